"""`colloquy digest preview` and `run-due` from the command line: the real discord.py client, logged in to the
HTTP API only, posts to the fake Discord API of tests/discord, and the test reads what that server received."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.digest.operations import digest_service
from bot.services import open_services
from bot.settings import load_settings
from tests.discord.harness import Channel, FakeDiscord, serve_fake

from .conftest import transcript

runner = CliRunner()


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    """The fake Discord API served from a thread of its own, so that the CLI can run its own event loop."""
    loop = asyncio.new_event_loop()
    started: concurrent.futures.Future[FakeDiscord] = concurrent.futures.Future()
    stop: list[asyncio.Event] = []

    async def serve() -> None:
        stop.append(asyncio.Event())
        try:
            async with serve_fake() as server:
                started.set_result(server)
                await stop[0].wait()
        except Exception as exc:  # handed to the test thread, which would otherwise wait in vain
            if not started.done():
                started.set_exception(exc)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), name="fake-discord", daemon=True)
    thread.start()
    server = started.result(timeout=10)
    try:
        yield server
    finally:
        loop.call_soon_threadsafe(stop[0].set)
        thread.join(10)
        loop.close()


def environment(tmp_path: Path, token: str | None) -> dict[str, str | None]:
    return {
        "COLLOQUY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'digest.db'}",
        "COLLOQUY_EMBEDDING_MODEL": "hashing",
        "COLLOQUY_LOG_LEVEL": "WARNING",
        "DISCORD_TOKEN": token,
    }


def later_today() -> datetime:
    """A digest time ahead of the clock by less than a day (a first digest reaches one day back), with the two
    hours after it on the same UTC day: an hour from now, or 00:30 late in the day ("an hour from now" failed after
    22:00: the retry two hours later fell on the next day, past its digest's day)."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    if now.hour < 21:
        return now + timedelta(hours=1)
    return (now + timedelta(days=1)).replace(hour=0, minute=30)


def subscribe(env: dict[str, str | None], guild_id: int, channel: Channel, at: datetime) -> None:
    """A library with one new interview, and the channel subscribed at `at` (UTC)."""

    async def setup() -> None:
        settings = load_settings(database_url=env["COLLOQUY_DATABASE_URL"], embedding_model="hashing")
        async with open_services(settings) as services:
            assert not (await services.library.ingest(transcript("tides"), "tides.txt")).failed
            service = digest_service(services.sessions, settings, await services.summaries())
            await service.subscribe(
                guild_id=guild_id, channel_id=channel.id, local_time=f"{at:%H:%M}", timezone="UTC", created_by=7
            )

    asyncio.run(setup())


def digest(env: dict[str, str | None], *args: str):  # type: ignore[no-untyped-def]  # click's Result
    return runner.invoke(app, ["digest", *args], env=env, catch_exceptions=False)


def test_preview_then_run_due_posts_exactly_the_preview_once(fake: FakeDiscord, tmp_path: Path) -> None:
    guild = fake.add_guild("Operators")
    channel = guild.channels["digest"]
    env = environment(tmp_path, fake.token)
    at = later_today()
    subscribe(env, guild.id, channel, at)

    shown = digest(env, "preview", "--channel", str(channel.id), "--now", at.isoformat(), "--json")
    assert shown.exit_code == 0, shown.output
    preview = json.loads(shown.stdout)
    assert preview["digest"]["interviews"] and fake.channel_messages(channel.id) == []  # a preview posts nothing
    text = digest(env, "preview", "--channel", str(channel.id), "--now", at.isoformat()).stdout
    assert text.startswith("── message 1 of ") and f"## Colloquy digest · {at:%Y-%m-%d}" in text and "tides" in text

    early = digest(env, "run-due", "--now", (at - timedelta(minutes=1)).isoformat())
    assert early.exit_code == 0 and early.stdout == "no digest was due\n"
    ran = digest(env, "run-due", "--now", at.isoformat())
    assert ran.exit_code == 0, ran.output
    assert f"channel {channel.id} {at:%Y-%m-%d}: sent messages " in ran.output
    posted = fake.channel_messages(channel.id)
    assert posted
    assert [[(e["title"], e.get("description")) for e in m["embeds"]] for m in posted] == [
        [(e["title"], e.get("description")) for e in m["embeds"]] for m in preview["messages"]
    ]
    assert all(m["allowed_mentions"] == {"parse": []} for m in posted)

    again = digest(env, "run-due", "--now", (at + timedelta(hours=2)).isoformat(), "--json")
    assert again.exit_code == 0 and json.loads(again.stdout) == []  # already posted today: nothing twice
    assert len(fake.channel_messages(channel.id)) == len(posted)
    assert fake.take_violations() == []


def test_usage_errors_are_one_line_and_claim_nothing(fake: FakeDiscord, tmp_path: Path) -> None:
    guild = fake.add_guild("Careful")
    channel = guild.channels["digest"]
    at = later_today()
    env = environment(tmp_path, None)
    subscribe(env, guild.id, channel, at)

    both = digest(env, "preview", "--channel", str(channel.id), "--since", "2026-01-01")
    assert both.exit_code == 2 and "not both" in both.output
    unknown = digest(env, "preview", "--channel", "999")
    assert unknown.exit_code == 1 and "999" in unknown.output
    vague = digest(env, "run-due", "--now", "next tuesday")
    assert vague.exit_code == 2 and "ISO 8601" in vague.output
    tokenless = digest(env, "run-due", "--now", at.isoformat())
    assert tokenless.exit_code == 2 and "DISCORD_TOKEN" in tokenless.output

    with_token = environment(tmp_path, fake.token)  # nothing was claimed without a token: the digest still goes out
    assert "sent" in digest(with_token, "run-due", "--now", at.isoformat()).stdout
    assert len(fake.channel_messages(channel.id)) >= 1
    assert digest(env, "--help").exit_code == 0
