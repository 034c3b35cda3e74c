"""Digest fixtures: a settable clock, a library with transcripts arriving at chosen times, a recording sender."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.digest.service import DeliveryPolicy, DigestService
from bot.library import models
from bot.library.database import create_engine, sessionmaker, upgrade_database
from bot.library.service import Library
from bot.summarize import Summarizer

FAST = DeliveryPolicy(retry_delays=(0.0, 0.0), grace=timedelta(hours=12))


def make_summarizer(sessions: async_sessionmaker[AsyncSession]) -> Summarizer:
    """The project's summarizer, offline: stored vectors of the fake embedder or TF-IDF centrality."""
    return Summarizer(sessions)


class Clock:
    """A clock the test sets; the service reads it only for subscription timestamps and previews."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Post:
    channel_id: int
    payload: dict
    nonce: str
    message_id: int


@dataclass
class RecordingSender:
    """Records posts like Discord would: a nonce seen before returns the first message instead of a new one."""

    failures: list[Exception] = field(default_factory=list)  # raised, in order, by the next sends
    failures_for: dict[int, list[Exception]] = field(default_factory=dict)  # per channel: runs race each other
    posts: list[Post] = field(default_factory=list)
    notices: list[tuple[int, str]] = field(default_factory=list)
    calls: int = 0

    async def send(self, channel_id: int, payload: dict, nonce: str) -> int:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        if self.failures_for.get(channel_id):
            raise self.failures_for[channel_id].pop(0)
        for post in self.posts:
            if post.channel_id == channel_id and post.nonce == nonce:
                return post.message_id
        post = Post(channel_id, payload, nonce, 1000 + len(self.posts))
        self.posts.append(post)
        return post.message_id

    async def find(self, channel_id: int, marker: str, *, after: int | None = None) -> int | None:
        """A posted message whose content holds the marker (after message `after`), as a channel read shows it."""
        if self.failures_for.get(channel_id):
            raise self.failures_for[channel_id].pop(0)
        for post in self.posts:
            content = str(post.payload.get("content") or "")
            if post.channel_id == channel_id and marker in content and (after is None or post.message_id > after):
                return post.message_id
        return None

    async def notify(self, user_id: int, text: str) -> None:
        self.notices.append((user_id, text))

    def channels(self) -> list[int]:
        return [p.channel_id for p in self.posts]

    def text(self, channel_id: int | None = None) -> str:
        """Everything posted (to one channel), as the embeds read."""
        return "\n".join(
            f"{e['title']}\n{e['description']}"
            for p in self.posts
            if channel_id is None or p.channel_id == channel_id
            for e in p.payload["embeds"]
        )


def transcript(topic: str, *, first: str = "Alice", second: str = "Bob", extra: str = "") -> bytes:
    """A small 'Name: text' transcript about `topic` in which both speakers talk twice."""
    lines = [
        f"{first}: I have been thinking about {topic} for a long time, and the short answer is patience.",
        f"{second}: Why patience? Most people say {topic} is about speed and luck.",
        f"{first}: Speed matters less than people believe; {topic} rewards those who keep showing up. {extra}",
        f"{second}: That is a calmer view of {topic} than I expected from you.",
    ]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class World:
    """One database file with the library and a way to open more digest services on it (a restart, a rival)."""

    db_url: str
    sessions: async_sessionmaker[AsyncSession]
    library: Library
    clock: Clock
    sender: RecordingSender
    engines: list = field(default_factory=list)

    async def add(self, name: str, data: bytes, at: datetime, guild_id: int = models.GLOBAL_LIBRARY) -> int:
        """Ingest a transcript and pretend it arrived at `at` (ingest stamps the real time)."""
        outcome = await self.library.ingest(data, name, guild_id=guild_id)
        assert outcome.interview_id is not None, outcome.message
        async with self.sessions.begin() as session:
            await session.execute(
                update(models.Interview).where(models.Interview.id == outcome.interview_id).values(ingested_at=at)
            )
        return outcome.interview_id

    async def service(
        self, *, sender: object | None = None, policy: DeliveryPolicy = FAST, fresh_engine: bool = False
    ) -> DigestService:
        """A digest service; `fresh_engine` opens its own engine, as another process (or a restart) would."""
        sessions = self.sessions
        if fresh_engine:
            engine = create_engine(self.db_url)
            self.engines.append(engine)
            sessions = sessionmaker(engine)
        return DigestService(
            sessions, make_summarizer(sessions), sender or self.sender, policy=policy, clock=self.clock
        )


@pytest.fixture
async def world(db_url: str) -> AsyncIterator[World]:
    """The digest's world on a fresh database (SQLite, and PostgreSQL: see tests/conftest.py)."""
    engine = create_engine(db_url)
    await upgrade_database(engine)
    sessions = sessionmaker(engine)
    w = World(
        db_url,
        sessions,
        Library(sessions, max_bytes=1_000_000),
        Clock(datetime(2026, 1, 1, tzinfo=UTC)),
        RecordingSender(),
    )
    yield w
    for extra in w.engines:
        await extra.dispose()
    await engine.dispose()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
