"""The library's tables. Portable SQLAlchemy types: the same models run on SQLite and PostgreSQL.

The one difference: on PostgreSQL an embedding is stored as a pgvector `vector` (migration 0004) so it can be
searched by an HNSW index; the Python side sees float32 bytes on both (see `VectorBytes`).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
    type_coerce,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY, REAL
from sqlalchemy.dialects.postgresql import base as postgresql_base
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import UserDefinedType

GLOBAL_LIBRARY = 0  # guild_id of transcripts ingested by the operator: visible in every guild


class PgVector(UserDefinedType):
    """pgvector's `vector` seen as float32 bytes: sent as `real[]`, read in its binary format (no text formatting)."""

    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        """Any dimension: the HNSW index casts to the model's (bot/search/pgvector.py)."""
        return "vector"

    def bind_processor(self, dialect: object):  # type: ignore[no-untyped-def]  # SQLAlchemy hook
        """float32 bytes → list of floats (a `real[]` parameter)."""
        return lambda value: None if value is None else np.frombuffer(value, dtype=np.float32).tolist()

    def bind_expression(self, bindvalue):  # type: ignore[no-untyped-def]  # SQLAlchemy hook
        """`CAST(CAST(:value AS REAL[]) AS vector)`."""
        return sql_cast(sql_cast(bindvalue, ARRAY(REAL)), self)

    def column_expression(self, column):  # type: ignore[no-untyped-def]  # SQLAlchemy hook
        """Read in pgvector's binary wire format (`vector_send`: two 16-bit header fields, then big-endian
        float32s): about ten times faster to decode than a `real[]` of Python floats."""
        return type_coerce(func.vector_send(column), self)

    def result_processor(self, dialect: object, coltype: object):  # type: ignore[no-untyped-def]  # SQLAlchemy hook
        """pgvector's binary format → native float32 bytes, as on SQLite."""
        return lambda value: None if value is None else np.frombuffer(value, ">f4", offset=4).astype("<f4").tobytes()


class PgHalfVector(PgVector):
    """pgvector's `halfvec` seen as float16 bytes (a context vector: see `Embedding.window_vector`)."""

    def get_col_spec(self, **kw: object) -> str:
        """Any dimension."""
        return "halfvec"

    def bind_processor(self, dialect: object):  # type: ignore[no-untyped-def]  # SQLAlchemy hook
        """float16 bytes → list of floats (a `real[]` parameter, cast to halfvec)."""
        return lambda value: None if value is None else np.frombuffer(value, dtype=np.float16).tolist()

    def column_expression(self, column):  # type: ignore[no-untyped-def]  # SQLAlchemy hook
        """Read in the binary wire format (`halfvec_send`: the same header, then big-endian float16s)."""
        return type_coerce(func.halfvec_send(column), self)

    def result_processor(self, dialect: object, coltype: object):  # type: ignore[no-untyped-def]  # SQLAlchemy hook
        """The binary format → native float16 bytes, as on SQLite."""
        return lambda value: None if value is None else np.frombuffer(value, ">f2", offset=4).astype("<f2").tobytes()


VectorBytes = LargeBinary().with_variant(PgVector(), "postgresql")
HalfVectorBytes = LargeBinary().with_variant(PgHalfVector(), "postgresql")
postgresql_base.ischema_names["vector"] = PgVector  # so reflection (Alembic's comparisons) knows the type
postgresql_base.ischema_names["halfvec"] = PgHalfVector


class Base(DeclarativeBase):
    """Declarative base shared by the models and Alembic."""


class Interview(Base):
    """One ingested transcript. `guild_id` 0 is the global library; otherwise the guild that uploaded it."""

    __tablename__ = "interviews"
    __table_args__ = (UniqueConstraint("guild_id", "source_key", name="uq_interviews_guild_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, default=GLOBAL_LIBRARY, index=True)
    source_key: Mapped[str] = mapped_column(String(1024))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(String(512))
    source_url: Mapped[str | None] = mapped_column(String(2048))
    date: Mapped[str | None] = mapped_column(String(10))
    format: Mapped[str] = mapped_column(String(32))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    participants: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    editor_summary: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)  # the page's lead sentence, when it is not the title
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    turns: Mapped[list[Turn]] = relationship(
        back_populates="interview", order_by="Turn.idx", cascade="all, delete-orphan", passive_deletes=True
    )


class Turn(Base):
    """One speaker's uninterrupted speech, in transcript order."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("interview_id", "idx", name="uq_turns_interview_idx"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(256), index=True)
    label: Mapped[str] = mapped_column(String(256), default="")
    # The file named no speakers: this turn and its speaker were inferred from the text (renaming keeps it).
    speaker_inferred: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lang: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)
    translation_lang: Mapped[str | None] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(String(512))
    start: Mapped[float | None] = mapped_column(Float)
    end: Mapped[float | None] = mapped_column(Float)
    asks: Mapped[bool] = mapped_column(Boolean, default=False)  # ends asking (bot.text.sentences.ends_asking)

    interview: Mapped[Interview] = relationship(back_populates="turns")


class Passage(Base):
    """A quote-sized span of one turn (never across speakers); the unit of search."""

    __tablename__ = "passages"
    __table_args__ = (Index("ix_passages_interview_turn", "interview_id", "turn_idx", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    turn_idx: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # order of the passage within its turn
    speaker: Mapped[str] = mapped_column(String(256), index=True)
    lang: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)
    lexical: Mapped[str] = mapped_column(Text, default="")  # normalized, segmented tokens joined by spaces
    # The question this passage answers (end of the previous speaker's turn), embedded with it, never shown.
    context: Mapped[str | None] = mapped_column(Text)
    # What ranking reads from the passage's own words (bot.text.passages.passage_features), computed when stored.
    question_share: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    text_weight: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    has_number: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When its first words were said (its cue's or stamped paragraph's start, bot.text.passages.passage_starts; its
    # turn's start for passages stored before migration 0020); None when the file has no times
    start: Mapped[float | None] = mapped_column(Float)


class Embedding(Base):
    """A passage's vector under one model; vectors from another model are stale and get re-embedded."""

    __tablename__ = "embeddings"
    __table_args__ = (  # the rows whose context vectors are still to be filled (migration 0008)
        Index(
            "ix_embeddings_no_context",
            "model",
            postgresql_where=text("window_vector IS NULL"),
            sqlite_where=text("window_vector IS NULL"),
        ),
    )

    passage_id: Mapped[int] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(128), index=True)
    vector: Mapped[bytes] = mapped_column(VectorBytes)  # float32, L2-normalized; pgvector `vector` on PostgreSQL
    # The sums of the vectors of the passage's window (it and its neighbours in the turn) and of its whole turn,
    # float16 (`halfvec` on PostgreSQL), kept by the indexer (bot/search/context.py): ranking scores a candidate's
    # window and turn from them without reading the turn. None until computed (migration 0008 fills them).
    window_vector: Mapped[bytes | None] = mapped_column(HalfVectorBytes)
    turn_vector: Mapped[bytes | None] = mapped_column(HalfVectorBytes)
