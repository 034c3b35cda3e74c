"""The digest's tables: subscriptions (the schedule's source of truth), deliveries (exactly once), quotes shown.

Portable SQLAlchemy types only, like bot.library.models: the same models run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.library.models import Base

PENDING, SENT, SKIPPED, FAILED = "pending", "sent", "skipped", "failed"
_HH_MM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_local_time(value: str) -> time:
    """'9:00' or '09:00' → time(9, 0); ValueError with a readable message otherwise."""
    match = _HH_MM.fullmatch(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a time of day as HH:MM (00:00–23:59)")
    return time(int(match[1]), int(match[2]))


def parse_timezone(value: str) -> ZoneInfo:
    """An IANA time zone ('Europe/Berlin'); ValueError naming the bad value otherwise."""
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:  # ValueError: malformed keys such as '../x'
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Berlin, America/New_York)") from exc


class Subscription(Base):
    """A channel's daily digest: when (local time in its zone), what (optional speaker/topic scope), and state."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (UniqueConstraint("guild_id", "channel_id", name="uq_digest_subscriptions_guild_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    local_time: Mapped[str] = mapped_column(String(5))  # HH:MM, 24-hour
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    speaker: Mapped[str | None] = mapped_column(String(256))
    topic: Mapped[str | None] = mapped_column(String(256))
    skip_when_nothing_new: Mapped[bool] = mapped_column(Boolean, default=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def zone(self) -> ZoneInfo:
        """The subscription's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def time_of_day(self) -> time:
        """The local time of day the digest is due."""
        return parse_local_time(self.local_time)


class Delivery(Base):
    """One digest for one subscription on one local date; the unique key is what makes delivery exactly once.

    A row is inserted as `pending` before anything is sent (the claim), `message_ids` grows as each message is
    accepted by Discord, and the row ends `sent`, `skipped` (nothing new, missed while down) or `failed`.
    `inflight_at` is set while a message create is in flight: if the process dies then, Discord may or may not
    have created the message; the next run resends it with the same nonce while Discord still deduplicates it, and
    after that looks for the message's marker in the channel first (see bot.digest.service).
    """

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "local_date", name="uq_digest_deliveries_sub_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("digest_subscriptions.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str] = mapped_column(String(32))  # changes when another process takes the claim over
    nonce: Mapped[str] = mapped_column(String(16))  # fixed at the claim; message i is sent with nonce "<nonce>-<i>"
    message_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    inflight_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    covered_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # next digest starts here


class QuoteShown(Base):
    """A passage already posted as quote of the day in a channel; cleared for the channel once all were shown."""

    __tablename__ = "digest_quotes_shown"

    channel_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    passage_id: Mapped[int] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True)
    shown_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
