"""The digest's lost-delivery window, end to end: `colloquy digest run-due` (the real discord.py client) against the
fake Discord API, after a process died with a message create in flight and Discord's nonce window has passed."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from bot.digest.models import FAILED, PENDING, SENT, Delivery
from bot.library.database import create_engine, sessionmaker
from bot.services import open_services
from bot.settings import load_settings
from tests.discord.harness import FakeDiscord

from .conftest import transcript
from .test_cli_digest import digest, environment, fake, later_today, subscribe  # noqa: F401  # `fake` is a fixture

__all__ = ["fake"]
TOPICS = ("tides", "harbours", "nets", "gulls", "storms", "charts", "ropes", "lighthouses", "boats", "ferries", "salt")


def crashed_mid_create(env: dict[str, str | None], at: datetime, posted: list[dict]) -> None:
    """Leave the delivery as a process killed while creating its last message leaves it: claimed, pending, the
    create in flight since `at`, the ids of the messages before it recorded."""

    async def rewind() -> None:
        engine = create_engine(str(env["COLLOQUY_DATABASE_URL"]))
        try:
            async with sessionmaker(engine).begin() as session:
                await session.execute(
                    update(Delivery).values(
                        status=PENDING,
                        message_ids=[int(m["id"]) for m in posted[:-1]],
                        inflight_at=at,
                        claimed_at=at,
                        finished_at=None,
                        attempts=len(posted),
                    )
                )
        finally:
            await engine.dispose()

    asyncio.run(rewind())


def delivery(env: dict[str, str | None]) -> Delivery:
    async def read() -> Delivery:
        engine = create_engine(str(env["COLLOQUY_DATABASE_URL"]))
        try:
            async with sessionmaker(engine)() as session:
                return (await session.scalars(select(Delivery))).one()
        finally:
            await engine.dispose()

    return asyncio.run(read())


def more_interviews(env: dict[str, str | None], count: int) -> None:
    async def add() -> None:
        settings = load_settings(database_url=env["COLLOQUY_DATABASE_URL"], embedding_model="hashing")
        async with open_services(settings) as services:
            for n in range(count):
                topic = f"{TOPICS[n % len(TOPICS)]} {n}"
                assert not (await services.library.ingest(transcript(topic), f"{n}.txt")).failed

    asyncio.run(add())


def first_post(fake: FakeDiscord, tmp_path: Path) -> tuple[dict[str, str | None], int, datetime, list[dict]]:
    """A subscription whose digest was posted at `at`; the channel id and what it holds."""
    guild = fake.add_guild("Harbour")
    channel = guild.channels["digest"]
    env = environment(tmp_path, fake.token)
    at = later_today()
    subscribe(env, guild.id, channel, at)
    more_interviews(env, 11)  # a digest of several messages: only the last one is in doubt
    ran = digest(env, "run-due", "--now", at.isoformat())
    assert ran.exit_code == 0 and ": sent messages " in ran.output, ran.output
    posted = fake.channel_messages(channel.id)
    assert len(posted) >= 2 and all(m["content"].startswith("-# ref ") for m in posted)
    return env, channel.id, at, posted


def test_a_message_created_before_the_crash_is_found_and_not_posted_again(fake: FakeDiscord, tmp_path: Path) -> None:
    env, channel, at, posted = first_post(fake, tmp_path)
    crashed_mid_create(env, at, posted)  # Discord created the last message; the process died before its id came
    fake.expire_nonces()  # and the next run comes after Discord stopped deduplicating their nonces
    ran = digest(env, "run-due", "--now", (at + timedelta(hours=2)).isoformat())
    assert ran.exit_code == 0 and ": sent messages " in ran.output, ran.output
    assert fake.channel_messages(channel) == posted  # nothing posted twice
    assert delivery(env).message_ids == [int(m["id"]) for m in posted]
    assert fake.take_violations() == []


def test_a_message_lost_before_reaching_discord_is_posted_once(fake: FakeDiscord, tmp_path: Path) -> None:
    env, channel, at, posted = first_post(fake, tmp_path)
    crashed_mid_create(env, at, posted)
    del fake.messages[int(posted[-1]["id"])]  # this time the last request never reached Discord
    fake.expire_nonces()
    ran = digest(env, "run-due", "--now", (at + timedelta(hours=2)).isoformat())
    assert ran.exit_code == 0 and ": sent messages " in ran.output, ran.output
    again = fake.channel_messages(channel)
    assert [[e["title"] for e in m["embeds"]] for m in again] == [[e["title"] for e in m["embeds"]] for m in posted]
    assert delivery(env).status == SENT
    later = digest(env, "run-due", "--now", (at + timedelta(hours=3)).isoformat())
    assert later.exit_code == 0 and len(fake.channel_messages(channel)) == len(posted)  # and only once


def test_without_read_message_history_an_interrupted_digest_is_not_risked_twice(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env, channel, at, posted = first_post(fake, tmp_path)
    crashed_mid_create(env, at, posted)
    fake.expire_nonces()
    fake.channels[channel].bot_can_read_history = False
    with fake.expect_rejection("Missing Access"):
        ran = digest(env, "run-due", "--now", (at + timedelta(hours=2)).isoformat())
    assert ran.exit_code == 0 and "failed" in ran.output and "Read Message History" in ran.output, ran.output
    assert fake.channel_messages(channel) == posted and delivery(env).status == FAILED
