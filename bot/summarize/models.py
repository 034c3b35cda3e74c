"""The summary cache table, on the library's declarative base (portable types: SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.library.models import Base


class SummaryCache(Base):
    """One cached summary. `params_key` hashes scope and parameters; the row is used only while `fingerprint`
    (the content hashes and speaker lists of the interviews it summarizes) still matches. Deleting an
    interview (a re-ingest replaces it) deletes its interview summaries with it."""

    __tablename__ = "summary_cache"
    __table_args__ = (UniqueConstraint("params_key", name="uq_summary_cache_params_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    params_key: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16))
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True, nullable=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
