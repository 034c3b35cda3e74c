"""The digest service: subscriptions, composing from the library, and delivering each digest exactly once.

Exactly once, in detail. The key is (subscription, local date), a unique constraint on `digest_deliveries`.

1. Claim: a `pending` row is INSERTed before anything is composed or sent. A second process, an overlapping
   run or a retry that finds the key taken does nothing; only the inserter sends.
2. Send, message by message. Before each create, `inflight_at` is set; Discord's id is appended to
   `message_ids` right after, so a resumed delivery starts at the first message without an id. Each message
   has a nonce fixed at the claim (`<random>-<index>`) sent with `enforce_nonce`, so if the same message is
   created twice within Discord's deduplication window (a few minutes) Discord returns the first one.
3. Finish: the row becomes `sent` (or `skipped` when there was nothing new, `failed` on a permanent error).

A pending row whose owner died (claimed longer than `stale_after` ago) is taken over by compare-and-swap on its
`claim_token` and resumed, on the same local day and within the grace. If a create was in flight when the owner
died, Discord may or may not have created that message. Within `nonce_window` the resend is safe (Discord
deduplicates the nonce). Past it, the channel's recent messages are read for the message's marker (every digest
message starts with `-# ref <nonce>`): found, its id is recorded and the delivery goes on after it; not found, it
was never created and is sent now. Either way each message is posted exactly once. Only when the channel's
messages cannot be read (the bot lacks Read Message History) is the row marked `failed` rather than risking a
second post.

Several processes (one per shard group) share one PostgreSQL database: each run of a subscription also holds a
PostgreSQL advisory lock on it, so two schedulers never work on the same subscription at once (see `run_due`).

Retries: 5xx/429/timeouts are retried in-process after each of `retry_delays` (same nonce). If they are still
failing the row stays pending; a later run retries it the same day (at most `max_attempts` sends in all).
403/404 pauses the subscription, logs why and tries to tell whoever subscribed.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.digest.compose import (
    WEEK,
    Digest,
    InterviewState,
    KeyPoint,
    LibraryState,
    Quote,
    _utc,
    compose_digest,
    memorable,
    quotable,
    quote_order,
)
from bot.digest.deliver import ChannelGoneError, DigestSender, RetryableSendError, SendError
from bot.digest.models import (
    FAILED,
    PENDING,
    SENT,
    SKIPPED,
    Delivery,
    QuoteShown,
    Subscription,
    parse_local_time,
    parse_timezone,
)
from bot.digest.render import payloads_as_text, render_digest
from bot.digest.schedule import JobTable, local_today, next_run, scheduled_at
from bot.library import models
from bot.library.database import advisory_lock
from bot.library.models import GLOBAL_LIBRARY
from bot.library.service import interview_roles
from bot.search.service import match_speakers
from bot.summarize.points import roughness
from bot.text.roles import Roles

log = logging.getLogger(__name__)

NOTHING_NEW = "nothing new"
DIGEST_LOCK = 0x0D16E57  # advisory-lock namespace of digest deliveries (the key is the subscription id)
KEY_POINTS = 3
QUOTE_BATCH = 50  # candidates read at a time while looking for one that is a principal's point
QUOTE_LOOK = 200  # candidates read, at most, for one that reads well alone before the first quotable one serves
QUOTE_CHOICE = 10  # quotes that read well alone, in the day's order, of which the least rough one is the day's
QUOTE_LENGTH = (40, 700)  # characters: long enough to say something, short enough to read in a channel


class SubscriptionError(ValueError):
    """A subscription request that cannot be honoured (bad time or zone, unknown channel); the text says why."""


class InterviewSummarizer(Protocol):
    """What the digest needs from bot.summarize: an interview's key points and keywords, and what is on a topic."""

    def interview(self, interview_id: int, points: int = KEY_POINTS, *, guild_ids: frozenset[int] = ...) -> Any:
        """A Summary (or an awaitable of one) with `.points` (`.text`, `.speaker`) and `.keywords`; `guild_ids`
        are the libraries the interview may come from (a guild's own uploads are not global)."""
        ...

    async def topic_passages(
        self, topic: str, *, guild_ids: frozenset[int] = ..., speakers: frozenset[str] | None = None
    ) -> list[int]:
        """Ids of the passages about a topic in these libraries (and by these speakers), as topic summaries
        find them: a digest's topic scope is the same as `/summary topic`'s, across languages."""
        ...


@dataclass(frozen=True)
class DeliveryPolicy:
    """Timing of late posts and retries; tests shrink the delays to zero."""

    grace: timedelta = timedelta(minutes=720)
    retry_delays: tuple[float, ...] = (2.0, 10.0, 30.0)
    max_attempts: int = 8
    stale_after: timedelta = timedelta(minutes=3)
    nonce_window: timedelta = timedelta(minutes=3)


@dataclass(frozen=True)
class SubscriptionInfo:
    """A subscription as /digest list and the CLI show it."""

    id: int
    guild_id: int
    channel_id: int
    local_time: str
    timezone: str
    speaker: str | None
    topic: str | None
    skip_when_nothing_new: bool
    paused: bool
    paused_reason: str | None
    created_by: int
    created_at: datetime
    next_digest_at: datetime | None  # UTC; None while paused

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict (datetimes as ISO 8601)."""
        data = asdict(self)
        for key in ("created_at", "next_digest_at"):
            data[key] = data[key].isoformat(timespec="seconds") if data[key] else None
        return data


@dataclass(frozen=True)
class DeliveryReport:
    """What one run did for one subscription and local date."""

    subscription_id: int
    guild_id: int
    channel_id: int
    local_date: date
    status: str
    reason: str | None
    message_ids: list[int]
    attempts: int

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict."""
        return {**asdict(self), "local_date": self.local_date.isoformat()}


@dataclass(frozen=True)
class Preview:
    """A digest and the exact messages that would be posted."""

    digest: Digest
    payloads: list[dict[str, object]]

    def text(self) -> str:
        """The messages as plain text."""
        return payloads_as_text(self.payloads)

    def to_json(self) -> dict[str, object]:
        """The JSON shape of `colloquy digest preview --json`: the digest and the message payloads."""
        return {"digest": self.digest.to_json(), "messages": self.payloads}


def digest_marker(nonce: str) -> str:
    """The line every digest message starts with (small grey text in Discord): its nonce, by which a later run
    finds a message whose creation it never heard back about, once Discord no longer deduplicates the nonce."""
    return f"-# ref {nonce}"


def format_reports(reports: Sequence[DeliveryReport]) -> str:
    """One line per delivery, for `colloquy digest run-due`."""
    if not reports:
        return "no digest was due\n"
    lines = []
    for r in reports:
        ids = f" messages {', '.join(map(str, r.message_ids))}" if r.message_ids else ""
        why = f" ({r.reason})" if r.reason else ""
        lines.append(f"subscription {r.subscription_id} channel {r.channel_id} {r.local_date}: {r.status}{why}{ids}")
    return "\n".join(lines) + "\n"


def _info(sub: Subscription, now: datetime) -> SubscriptionInfo:
    upcoming = None if sub.paused else next_run(now, sub.time_of_day, sub.zone)
    return SubscriptionInfo(
        sub.id,
        sub.guild_id,
        sub.channel_id,
        sub.local_time,
        sub.timezone,
        sub.speaker,
        sub.topic,
        sub.skip_when_nothing_new,
        sub.paused,
        sub.paused_reason,
        sub.created_by,
        _utc(sub.created_at),
        upcoming,
    )


def _report(sub: Subscription, row: Delivery) -> DeliveryReport:
    return DeliveryReport(
        sub.id,
        sub.guild_id,
        sub.channel_id,
        row.local_date,
        row.status,
        row.reason,
        list(row.message_ids),
        row.attempts,
    )


def _keyword_text(keyword: object) -> str:
    """Keywords may come as strings or as objects naming the term."""
    if isinstance(keyword, str):
        return keyword
    for attr in ("term", "text", "keyword", "word"):
        if isinstance(value := getattr(keyword, attr, None), str):
            return value
    return str(keyword)


def _describe_scope(sub: Subscription | None) -> str | None:
    if sub is None:
        return None
    parts = [f"speaker {sub.speaker}" if sub.speaker else "", f"topic “{sub.topic}”" if sub.topic else ""]
    return ", ".join(p for p in parts if p) or None


class DigestService:
    """Subscriptions, previews and exactly-once delivery; guild-scoped for everything a guild can ask.

    Borrows the session factory, the summarizer and the sender; `start` runs the schedule in the current loop.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        summarizer: InterviewSummarizer,
        sender: DigestSender | None = None,
        *,
        policy: DeliveryPolicy | None = None,
        aliases: object = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sweep_seconds: float = 60.0,
    ) -> None:
        self.sessions = sessions
        self.summarizer = summarizer
        self.sender = sender
        self.policy = policy or DeliveryPolicy()
        self.aliases = aliases
        self.clock = clock
        self.jobs = JobTable(self._fire, sweep_seconds=sweep_seconds)
        self._concurrency = asyncio.Semaphore(8)

    # ---- subscriptions -------------------------------------------------------------------------------------

    async def subscribe(
        self,
        *,
        guild_id: int,
        channel_id: int,
        local_time: str,
        timezone: str,
        created_by: int,
        speaker: str | None = None,
        topic: str | None = None,
        skip_when_nothing_new: bool = True,
    ) -> SubscriptionInfo:
        """Subscribe a channel (or change its subscription, which also resumes a paused one)."""
        try:
            at = parse_local_time(local_time)
            zone = parse_timezone(timezone)
        except ValueError as exc:
            raise SubscriptionError(str(exc)) from None
        now = _utc(self.clock())
        values = {
            "local_time": f"{at:%H:%M}",
            "timezone": zone.key,
            "speaker": (speaker or "").strip() or None,
            "topic": (topic or "").strip() or None,
            "skip_when_nothing_new": skip_when_nothing_new,
            "paused": False,
            "paused_reason": None,
        }
        async with self.sessions.begin() as session:
            sub = await session.scalar(
                select(Subscription).where(Subscription.guild_id == guild_id, Subscription.channel_id == channel_id)
            )
            if sub is None:
                sub = Subscription(
                    guild_id=guild_id, channel_id=channel_id, created_by=created_by, created_at=now, **values
                )
                session.add(sub)
            else:
                for key, value in values.items():
                    setattr(sub, key, value)
            await session.flush()
            info = _info(sub, now)
        log.info("guild %s subscribed channel %s to the digest at %s %s", guild_id, channel_id, info.local_time, zone)
        await self.resync()
        return info

    async def unsubscribe(self, guild_id: int, channel_id: int) -> bool:
        """Remove a channel's subscription (only within its guild); False when there was none."""
        async with self.sessions.begin() as session:
            result = await session.execute(
                delete(Subscription).where(Subscription.guild_id == guild_id, Subscription.channel_id == channel_id)
            )
        await self.resync()
        return bool(result.rowcount)

    async def subscriptions(self, guild_id: int | None) -> list[SubscriptionInfo]:
        """A guild's subscriptions (None: every guild, for operators)."""
        query = select(Subscription).order_by(Subscription.guild_id, Subscription.channel_id)
        if guild_id is not None:
            query = query.where(Subscription.guild_id == guild_id)
        now = _utc(self.clock())
        async with self.sessions() as session:
            return [_info(sub, now) for sub in await session.scalars(query)]

    async def _subscription(self, channel_id: int, guild_id: int | None) -> Subscription | None:
        query = select(Subscription).where(Subscription.channel_id == channel_id)
        if guild_id is not None:
            query = query.where(Subscription.guild_id == guild_id)
        async with self.sessions() as session:
            return await session.scalar(query)

    # ---- composing -----------------------------------------------------------------------------------------

    async def preview(
        self,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        since: datetime | None = None,
        now: datetime | None = None,
    ) -> Preview:
        """What would be posted now: for a subscribed channel with its scope and since its last digest, else
        the guild's (or, with no guild, the global) library since `since` (default: a day ago). Records nothing.
        """
        now = _utc(now or self.clock())
        sub = None
        if channel_id is not None:
            sub = await self._subscription(channel_id, guild_id)
            if sub is None:
                raise SubscriptionError(f"channel {channel_id} has no digest subscription here")
        if since is None:
            since = await self._since(sub, now) if sub else now - timedelta(days=1)
        guild = sub.guild_id if sub else guild_id if guild_id is not None else GLOBAL_LIBRARY
        digest = await self.compose(guild, sub, since=_utc(since), now=now)
        return Preview(digest, render_digest(digest, heading=self._heading(sub, now)))

    @staticmethod
    def _heading(sub: Subscription | None, now: datetime) -> str:
        day = local_today(now, sub.zone) if sub else now.date()
        return f"Colloquy digest · {day.isoformat()}"

    async def compose(
        self,
        guild_id: int,
        sub: Subscription | None,
        *,
        since: datetime,
        now: datetime,
    ) -> Digest:
        """Load the library state visible to `guild_id` within the subscription's scope and compose the digest."""
        visible = sorted({GLOBAL_LIBRARY, guild_id})
        async with self.sessions() as session:
            speakers = await self._speaker_names(session, sub, visible)
        about = None  # passage ids on the subscription's topic (by its speaker, when it has one)
        if sub is not None and sub.topic:
            found = await self.summarizer.topic_passages(sub.topic, guild_ids=frozenset(visible), speakers=speakers)
            about = set(found)
        async with self.sessions() as session:
            interview_query = select(models.Interview).where(
                models.Interview.guild_id.in_(visible),
                models.Interview.ingested_at > min(since, now - WEEK),
                models.Interview.ingested_at <= now,
            )
            if speakers is not None:
                interview_query = interview_query.where(
                    models.Interview.id.in_(select(models.Turn.interview_id).where(models.Turn.speaker.in_(speakers)))
                )
            rows = list(await session.scalars(interview_query))
            if about is not None:
                ids = await session.execute(
                    select(models.Passage.id, models.Passage.interview_id).where(
                        models.Passage.interview_id.in_([row.id for row in rows])
                    )
                )
                on_topic = {interview_id for passage_id, interview_id in ids if passage_id in about}
                rows = [row for row in rows if row.id in on_topic]
            quote, exhausted = await self._quote(session, sub, visible, speakers, about, now)
        interviews = [await self._interview_state(row) for row in rows]
        state = LibraryState(interviews, quote, exhausted, _describe_scope(sub))
        return compose_digest(state, since=since, now=now)

    async def _speaker_names(
        self, session: AsyncSession, sub: Subscription | None, visible: list[int]
    ) -> frozenset[str] | None:
        if sub is None or not sub.speaker:
            return None
        known = await session.scalars(
            select(models.Turn.speaker)
            .join(models.Interview, models.Interview.id == models.Turn.interview_id)
            .where(models.Interview.guild_id.in_(visible))
            .distinct()
        )
        return match_speakers(sub.speaker, set(known), self.aliases) or frozenset({sub.speaker})

    async def _quote(
        self,
        session: AsyncSession,
        sub: Subscription | None,
        visible: list[int],
        speakers: frozenset[str] | None,
        about: set[int] | None,
        now: datetime,
    ) -> tuple[Quote | None, bool]:
        """The quote of the day: a passage in scope this channel has not seen, chosen stably for the day; one whose
        speaker the file named before one whose speaker was inferred (a day's quote is shown alone, beside no
        context, and inference puts a host's words in the guest's mouth often enough: a garbled machine translation
        of Karpathy's interview, its turns inferred, was a library's quote of the day over seven labelled episodes)."""
        # the files whose speakers were inferred (all their turns say so): one semi-join, not each passage's turn
        inferred_files = select(models.Turn.interview_id).where(models.Turn.speaker_inferred).distinct()
        query = (
            select(models.Passage.id, models.Passage.interview_id.in_(inferred_files))
            .join(models.Interview, models.Interview.id == models.Passage.interview_id)
            .where(
                models.Interview.guild_id.in_(visible),
                models.Interview.ingested_at <= now,
                func.length(models.Passage.text).between(*QUOTE_LENGTH),
            )
        )
        if speakers is not None:
            query = query.where(models.Passage.speaker.in_(speakers))
        rows = (await session.execute(query)).all()
        candidates = {pid for pid, _ in rows}
        inferred = {pid for pid, guessed in rows if guessed}
        if about is not None:
            candidates &= about
        shown: set[int] = set()
        seed = f"{now.date()}"
        if sub is not None:
            shown = set(
                await session.scalars(select(QuoteShown.passage_id).where(QuoteShown.channel_id == sub.channel_id))
            )
            seed = f"{sub.channel_id}:{local_today(now, sub.zone)}"
        order, exhausted = quote_order(candidates, shown, seed, inferred)
        quote = await self._first_quotable(session, order)
        if quote is None and not exhausted and shown:  # every fresh one was a question or filler: start over
            order, exhausted = quote_order(candidates, (), seed, inferred)
            quote, exhausted = await self._first_quotable(session, order), True
        return (quote, exhausted) if quote is not None else (None, False)

    @staticmethod
    async def _first_quotable(session: AsyncSession, order: Sequence[int]) -> Quote | None:
        """A passage in `order` that is a principal's point (bot.digest.compose.quotable), as a Quote: of the first
        QUOTE_CHOICE among the next QUOTE_LOOK that read well alone (`memorable`), the one whose words are the
        least rough (`roughness`: fewest fillers, stutters and restarts per word), else the first quotable one.
        Replies and check-ins had been quotes of the day ('Yeah, I hear good things about the distro as an
        experience.', 'Does that make sense? 90% agreement look good on paper…'; 4 of 100 days over three surveyed
        libraries), and so had unedited speech: 'So you got a it was a little bit of kind of prompting then…'."""
        roles: dict[int, Roles] = {}
        inferred: dict[int, bool] = {}  # the file named no speakers (every turn's speaker_inferred)
        fallback: Quote | None = None
        choice: list[tuple[float, int, Quote]] = []  # (roughness, place in order, quote)
        for start in range(0, len(order), QUOTE_BATCH):
            if fallback is not None and start >= QUOTE_LOOK:  # every quote in `choice` was a fallback first
                break
            batch = order[start : start + QUOTE_BATCH]
            found = await session.execute(
                select(models.Passage, models.Interview)
                .join(models.Interview, models.Interview.id == models.Passage.interview_id)
                .where(models.Passage.id.in_(batch))
            )
            by_id = {passage.id: (passage, interview) for passage, interview in found.all()}
            for passage_id in batch:
                passage, interview = by_id[passage_id]
                if interview.id not in roles:
                    found = await interview_roles(session, [interview.id])
                    roles[interview.id], inferred[interview.id] = found[interview.id]
                words = quotable(passage.text, passage.speaker, roles[interview.id])
                if words is None:
                    continue
                quote = Quote(
                    passage.id,
                    interview.id,
                    interview.title or interview.source_key.rsplit("/", 1)[-1],
                    passage.speaker,
                    words if passage.translation is None else passage.text,
                    passage.translation,
                    interview.date,
                    interview.source_url,
                    inferred[interview.id],
                )
                if memorable(words):
                    choice.append((roughness(words), len(choice), quote))
                    if len(choice) == QUOTE_CHOICE:
                        return min(choice)[2]
                fallback = fallback or quote
        return min(choice)[2] if choice else fallback

    async def _summary(self, interview_id: int, guild_id: int) -> tuple[list[KeyPoint], list[str]]:
        """Key points and keywords; a summarizer failure costs this interview its points, not the digest."""
        method = self.summarizer.interview
        libraries = frozenset({GLOBAL_LIBRARY, guild_id})
        try:
            if inspect.iscoroutinefunction(method):
                summary = await method(interview_id, points=KEY_POINTS, guild_ids=libraries)
            else:  # a synchronous summarizer does CPU work: keep it off the event loop
                summary = await asyncio.to_thread(method, interview_id, points=KEY_POINTS, guild_ids=libraries)
        except Exception:
            log.exception("summarizing interview %s for the digest failed", interview_id)
            return [], []
        points = [
            KeyPoint(p.text, getattr(p, "speaker", None), getattr(p, "speaker_inferred", False))
            for p in summary.points[:KEY_POINTS]
        ]
        return points, [_keyword_text(k) for k in summary.keywords]

    async def _interview_state(self, row: models.Interview) -> InterviewState:
        points, keywords = await self._summary(row.id, row.guild_id)
        return InterviewState(
            id=row.id,
            title=row.title or row.source_key.rsplit("/", 1)[-1],
            ingested_at=_utc(row.ingested_at),
            participants=list(row.participants),
            points=points,
            keywords=keywords,
            date=row.date,
            source_url=row.source_url,
        )

    async def _since(self, sub: Subscription, now: datetime) -> datetime:
        """Where the next digest starts: the end of the last one sent (or skipped as empty), else a day back."""
        async with self.sessions() as session:
            last = await session.scalar(
                select(func.max(Delivery.covered_until)).where(
                    Delivery.subscription_id == sub.id,
                    or_(Delivery.status == SENT, (Delivery.status == SKIPPED) & (Delivery.reason == NOTHING_NEW)),
                )
            )
        if last is not None:
            return _utc(last)
        return min(_utc(sub.created_at), now - timedelta(days=1))

    # ---- delivering ----------------------------------------------------------------------------------------

    async def run_due(self, now: datetime, *, subscription_ids: Collection[int] | None = None) -> list[DeliveryReport]:
        """Deliver every digest due at `now` that no one has claimed; never raises for one subscription's trouble."""
        now = _utc(now)
        query = select(Subscription).where(Subscription.paused.is_(False))
        if subscription_ids is not None:
            query = query.where(Subscription.id.in_(list(subscription_ids)))
        async with self.sessions() as session:
            subs = list(await session.scalars(query.order_by(Subscription.id)))

        async def one(sub: Subscription) -> list[DeliveryReport]:
            async with self._concurrency:
                try:
                    # PostgreSQL: one process at a time per subscription, so a slow but live owner (long retries)
                    # is never taken over as if it had died; the unique delivery key still decides who posts.
                    async with advisory_lock(self.sessions.kw["bind"], DIGEST_LOCK, sub.id) as ours:
                        if not ours:
                            log.debug("subscription %s is being delivered by another process", sub.id)
                            return []
                        return await self._run_subscription(sub, now)
                except Exception:  # one subscription's bug must not stop the others or the scheduler
                    log.exception("digest for subscription %s (channel %s) failed", sub.id, sub.channel_id)
                    return []

        results = await asyncio.gather(*(one(sub) for sub in subs))
        return [report for reports in results for report in reports]

    async def _run_subscription(self, sub: Subscription, now: datetime) -> list[DeliveryReport]:
        reports = []
        today = local_today(now, sub.zone)
        for day in (today - timedelta(days=1), today):  # yesterday only to record a miss; it is never posted
            due = scheduled_at(day, sub.time_of_day, sub.zone)
            if due > now or due < _utc(sub.created_at):
                continue
            async with self.sessions() as session:
                row = await session.scalar(
                    select(Delivery).where(Delivery.subscription_id == sub.id, Delivery.local_date == day)
                )
            postable = day == today and now - due <= self.policy.grace
            if row is None:
                if postable:
                    row = await self._claim(sub, day, due, now, PENDING, None)
                    if row is not None:
                        reports.append(await self._deliver(sub, row, now))
                else:
                    late = now - due
                    reason = f"missed while the bot was down ({late} late, grace {self.policy.grace})"
                    row = await self._claim(sub, day, due, now, SKIPPED, reason)
                    if row is not None:
                        log.warning("digest for channel %s on %s skipped: %s", sub.channel_id, day, reason)
                        reports.append(_report(sub, row))
            elif row.status == PENDING and now - _utc(row.claimed_at) >= self.policy.stale_after:
                report = await self._recover(sub, row, now, postable)
                if report is not None:
                    reports.append(report)
        return reports

    async def _claim(
        self, sub: Subscription, day: date, due: datetime, now: datetime, status: str, reason: str | None
    ) -> Delivery | None:
        """INSERT the delivery key; None when another run holds it already."""
        row = Delivery(
            subscription_id=sub.id,
            local_date=day,
            status=status,
            reason=reason,
            attempts=0,
            claim_token=uuid.uuid4().hex,
            nonce=uuid.uuid4().hex[:16],
            message_ids=[],
            scheduled_at=due,
            claimed_at=now,
            finished_at=None if status == PENDING else now,
            covered_until=now if status == PENDING else None,
        )
        try:
            async with self.sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            log.debug("digest for channel %s on %s already claimed", sub.channel_id, day)
            return None
        return row

    async def _recover(self, sub: Subscription, row: Delivery, now: datetime, postable: bool) -> DeliveryReport | None:
        """Take over a pending delivery whose owner died or gave up, or close it when it cannot be finished."""
        if not postable or row.attempts >= self.policy.max_attempts:
            reason = "could not be delivered the same day" if not postable else f"gave up after {row.attempts} attempts"
            if await self._update(row, status=FAILED, reason=reason, finished_at=now):
                log.warning("digest for channel %s on %s failed: %s", sub.channel_id, row.local_date, reason)
                return _report(sub, row)
            return None
        token = uuid.uuid4().hex
        if not await self._update(row, claim_token=token, claimed_at=now):
            return None  # another process took it over first
        in_doubt = row.inflight_at is not None and now - _utc(row.inflight_at) > self.policy.nonce_window
        if in_doubt and not await self._settle_in_doubt(sub, row, now):
            return _report(sub, row)
        log.info("resuming the digest for channel %s on %s", sub.channel_id, row.local_date)
        return await self._deliver(sub, row, now)

    async def _settle_in_doubt(self, sub: Subscription, row: Delivery, now: datetime) -> bool:
        """A message create was in flight when its process died, longer ago than Discord deduplicates a resend:
        look for the message (its marker) among the channel's recent messages. Found: record it. Not found: it was
        never created, so creating it now posts it once. The channel cannot be read: fail, never post twice.
        Returns True when the delivery can go on."""
        if self.sender is None:
            raise RuntimeError("the digest service has no sender; it can preview but not deliver")
        index = len(row.message_ids)
        try:
            found = await self.sender.find(
                sub.channel_id, digest_marker(f"{row.nonce}-{index}"), after=row.message_ids[-1] if index else None
            )
        except ChannelGoneError as exc:
            await self._pause(sub, row, f"Discord refused to show the channel ({exc})", now)
            return False
        except SendError as exc:
            reason = (
                f"interrupted while message {index + 1} was being created, and the channel's messages could not "
                f"be read to check whether it exists ({exc}); not resent, to avoid posting it twice"
            )
            if await self._update(row, status=FAILED, reason=reason, finished_at=now):
                log.warning("digest for channel %s on %s failed: %s", sub.channel_id, row.local_date, reason)
            return False
        if found is not None:
            log.info("digest message %d for channel %s had been created (%s) before the interruption", index + 1,
                     sub.channel_id, found)  # fmt: skip
            return await self._update(row, message_ids=[*row.message_ids, found], inflight_at=None)
        log.info("digest message %d for channel %s was never created; sending it", index + 1, sub.channel_id)
        return await self._update(row, inflight_at=None)

    async def _update(self, row: Delivery, **values: object) -> bool:
        """Compare-and-swap on the claim token; updates `row` in memory when this process still owns it."""
        async with self.sessions.begin() as session:
            result = await session.execute(
                update(Delivery)
                .where(Delivery.id == row.id, Delivery.claim_token == row.claim_token, Delivery.status == PENDING)
                .values(**values)
            )
        if result.rowcount != 1:
            log.warning("lost the claim on digest delivery %s", row.id)
            return False
        for key, value in values.items():
            setattr(row, key, value)
        return True

    async def _deliver(self, sub: Subscription, row: Delivery, now: datetime) -> DeliveryReport:
        """Compose and send a claimed delivery, resuming after the messages already sent."""
        since = await self._since(sub, now)
        until = _utc(row.covered_until or now)
        digest = await self.compose(sub.guild_id, sub, since=min(since, until), now=until)
        if digest.nothing_new and sub.skip_when_nothing_new and not row.message_ids:
            await self._update(row, status=SKIPPED, reason=NOTHING_NEW, finished_at=now)
            log.info("digest for channel %s on %s skipped: nothing new", sub.channel_id, row.local_date)
            return _report(sub, row)
        if self.sender is None:
            raise RuntimeError("the digest service has no sender; it can preview but not deliver")
        payloads = render_digest(digest, heading=f"Colloquy digest · {row.local_date.isoformat()}")
        ids = list(row.message_ids)
        for index in range(len(ids), len(payloads)):
            nonce = f"{row.nonce}-{index}"
            message_id = await self._send_one(
                sub, row, {**payloads[index], "content": digest_marker(nonce)}, nonce, now
            )
            if message_id is None:
                return _report(sub, row)
            ids.append(message_id)
            if not await self._update(row, message_ids=list(ids), inflight_at=None):
                return _report(sub, row)
        async with self.sessions.begin() as session:
            result = await session.execute(
                update(Delivery)
                .where(Delivery.id == row.id, Delivery.claim_token == row.claim_token, Delivery.status == PENDING)
                .values(status=SENT, finished_at=now)
            )
            if result.rowcount == 1 and digest.quote is not None:
                if digest.quotes_exhausted:
                    await session.execute(delete(QuoteShown).where(QuoteShown.channel_id == sub.channel_id))
                shown = QuoteShown(channel_id=sub.channel_id, passage_id=digest.quote.passage_id, shown_at=now)
                await session.merge(shown)
        if result.rowcount == 1:
            row.status, row.finished_at = SENT, now
            log.info("digest for channel %s on %s sent as %d message(s)", sub.channel_id, row.local_date, len(ids))
        return _report(sub, row)

    async def _send_one(
        self, sub: Subscription, row: Delivery, payload: dict[str, object], nonce: str, now: datetime
    ) -> int | None:
        """Create one message with bounded retries; None when the delivery stops (paused, failed, retry later)."""
        assert self.sender is not None
        delays = [0.0, *self.policy.retry_delays]
        for delay in delays:
            if row.attempts >= self.policy.max_attempts:
                break
            if delay:
                await asyncio.sleep(delay)
            if not await self._update(row, attempts=row.attempts + 1, inflight_at=now, claimed_at=now):
                return None
            try:
                return await self.sender.send(sub.channel_id, payload, nonce)
            except RetryableSendError as exc:
                log.warning("digest message to channel %s failed (%s); will retry", sub.channel_id, exc)
                if not exc.maybe_sent:
                    await self._update(row, inflight_at=None)
            except ChannelGoneError as exc:
                await self._pause(sub, row, f"Discord refused the post ({exc})", now)
                return None
            except SendError as exc:
                await self._update(row, status=FAILED, reason=f"Discord rejected the message: {exc}", finished_at=now)
                log.error("digest for channel %s on %s failed: %s", sub.channel_id, row.local_date, exc)
                return None
        log.warning("digest for channel %s on %s still failing; a later run retries it", sub.channel_id, row.local_date)
        return None

    async def _pause(self, sub: Subscription, row: Delivery, why: str, now: datetime) -> None:
        """Pause a subscription whose channel is gone or closed to the bot, and tell the subscriber if possible."""
        reason = f"{why} on {now:%Y-%m-%d %H:%M} UTC: the channel was deleted or I may no longer post there"
        await self._update(row, status=FAILED, reason=reason, finished_at=now)
        async with self.sessions.begin() as session:
            await session.execute(
                update(Subscription).where(Subscription.id == sub.id).values(paused=True, paused_reason=reason)
            )
        sub.paused, sub.paused_reason = True, reason
        log.warning("digest for guild %s channel %s paused: %s", sub.guild_id, sub.channel_id, reason)
        await self.resync()
        assert self.sender is not None
        try:
            await self.sender.notify(
                sub.created_by,
                f"The Colloquy digest for channel <#{sub.channel_id}> is paused: {reason}. "
                "Fix the channel's permissions and run /digest subscribe again to resume it.",
            )
        except Exception as exc:  # best effort: the user may not accept DMs
            log.info("could not tell user %s that the digest is paused: %s", sub.created_by, exc)

    # ---- scheduling ----------------------------------------------------------------------------------------

    async def start(self) -> list[DeliveryReport]:
        """Build the jobs from the subscriptions table and deliver (or record as missed) what is already due."""
        self.jobs.start()
        await self.resync()
        return await self.run_due(self.clock())

    async def stop(self) -> None:
        """Stop scheduling; deliveries in progress finish or are recovered by the next start."""
        self.jobs.stop()

    async def resync(self) -> None:
        """Rebuild the cron jobs from the table (a no-op before start)."""
        if not self.jobs.running:
            return
        async with self.sessions() as session:
            subs = await session.scalars(select(Subscription).where(Subscription.paused.is_(False)))
            self.jobs.sync((sub.id, sub.time_of_day, sub.zone) for sub in subs)

    async def _fire(self, subscription_id: int | None) -> None:
        """A job fired: one subscription, or the sweep (re-read the table, run everything due)."""
        try:
            if subscription_id is None:
                await self.resync()
                await self.run_due(self.clock())
            else:
                await self.run_due(self.clock(), subscription_ids=[subscription_id])
        except Exception:  # the scheduler must survive anything (e.g. the database briefly unreachable)
            log.exception("digest job %s failed", subscription_id)
