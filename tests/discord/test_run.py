"""`colloquy run`: the bot starts the digest schedule with it, serves commands, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.discord.bot import run_bot
from bot.settings import load_settings

from .conftest import running_colloquy
from .harness import FakeDiscord

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def start_bot(fake: FakeDiscord, tmp_path: Path, **settings: object) -> asyncio.Task[None]:
    """`colloquy run --sync` as a task, once the fake gateway has seen it identify (fails if it stopped)."""
    options = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'colloquy.db'}",
        embedding_model="hashing",
        speakers_file=PROJECT_ROOT / "config" / "speakers.toml",
        DISCORD_TOKEN=fake.token,
        **settings,
    )
    fake.identified.clear()
    running = asyncio.create_task(run_bot(options, sync=True))
    identified = asyncio.create_task(fake.identified.wait())
    done, _ = await asyncio.wait({running, identified}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if running in done:
        running.result()  # raises why the bot stopped
    assert identified in done
    return running


async def test_scheduler_runs_while_the_bot_is_up(fake: FakeDiscord, tmp_path: Path) -> None:
    async with running_colloquy(fake, tmp_path) as colloquy:
        jobs = colloquy.bot.digests.jobs
        assert jobs.running
        at = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
        channel = colloquy.guild.channels["digest"]
        await colloquy.run("digest subscribe", user=colloquy.admin, channel=channel, time=f"{at:%H:%M}", timezone="UTC")
        [sub] = await colloquy.bot.digests.subscriptions(colloquy.guild.id)
        assert jobs.jobs()[f"digest:{sub.id}"] == at  # the cron job fires at the subscription's local time
    assert not jobs.running  # closing the bot stopped the scheduler


async def test_run_serves_until_sigterm_and_closes_cleanly(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    guild = fake.add_guild("Operators")
    caplog.set_level(logging.INFO, logger="bot.discord.bot")
    running = await start_bot(fake, tmp_path)
    assert fake.global_commands
    answer = await fake.invoke("speakers", user=fake.user("reader"), guild=guild)
    assert "The library is empty." in answer.text

    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL  # run_bot handles it, so it cannot kill pytest
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(running, 10)
    assert not fake.sockets  # the gateway connection was closed
    assert "stopping on signal" in caplog.text and "digest schedule stopped" in caplog.text
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is removed again


async def test_sync_goes_to_the_dev_guild_only_and_ctrl_c_stops(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    guild = fake.add_guild("Testing ground")
    caplog.set_level(logging.INFO, logger="bot.discord.bot")
    global_before = fake.global_commands
    running = await start_bot(fake, tmp_path, dev_guild_id=guild.id)
    for _ in range(300):  # setup_hook syncs before the gateway connects, but be patient with a busy machine
        if guild.id in fake.guild_commands:
            break
        await asyncio.sleep(0.01)
    synced = {c["name"] for c in fake.guild_commands.get(guild.id, [])}
    assert synced == {"quote", "summary", "interviews", "interview", "speakers", "library", "digest"}
    assert fake.global_commands is global_before  # nothing was published globally
    answer = await fake.invoke("speakers", user=fake.user("tester"), guild=guild)
    assert "The library is empty." in answer.text

    assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler  # Ctrl-C reaches run_bot, not pytest
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, 10)
    assert "stopping on signal" in caplog.text and "digest schedule stopped" in caplog.text
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
