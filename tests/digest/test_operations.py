"""The CLI-facing operations: time parsing, preview by channel, run-due as of a given time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.digest.models import SENT
from bot.digest.operations import parse_moment, preview_digest, run_due_digests

from .conftest import World, transcript, utc


def test_parse_moment_accepts_dates_and_offsets() -> None:
    assert parse_moment("2026-03-29") == datetime(2026, 3, 29, tzinfo=UTC)
    assert parse_moment("2026-03-29T09:00+02:00") == datetime(2026, 3, 29, 9, tzinfo=timezone(timedelta(hours=2)))
    assert parse_moment("2026-03-29T07:00") == datetime(2026, 3, 29, 7, tzinfo=UTC)
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_moment("next tuesday")


async def test_preview_by_channel_then_run_due_posts_the_same_thing(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    service = await world.service()
    await service.subscribe(guild_id=1, channel_id=10, local_time="09:00", timezone="Europe/Berlin", created_by=5)

    preview = await preview_digest(service, channel_id=10, now="2026-02-02T09:00+01:00")
    reports = await run_due_digests(service, "2026-02-02T09:00+01:00")
    assert [r.status for r in reports] == [SENT]
    posted = [{key: value for key, value in p.payload.items() if key != "content"} for p in world.sender.posts]
    assert posted == preview.payloads  # the preview is exactly what was posted, but for each message's reference line
    assert all(p.payload["content"] == f"-# ref {p.nonce}" for p in world.sender.posts)


async def test_run_due_without_a_sender_or_token_refuses_before_claiming(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    service = await world.service()
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await service.subscribe(guild_id=1, channel_id=10, local_time="09:00", timezone="UTC", created_by=5)
    service.sender = None
    with pytest.raises(ValueError, match="DISCORD_TOKEN"):
        await run_due_digests(service, "2026-02-02T10:00Z")
    service.sender = world.sender  # nothing was claimed: with a sender the digest still goes out
    assert [r.status for r in await run_due_digests(service, "2026-02-02T10:00Z")] == [SENT]
