"""The APScheduler jobs mirror the subscriptions table: built at start, rebuilt on every change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.digest.models import SENT
from bot.digest.schedule import matching_timezones, next_run, scheduled_at

from .conftest import World, transcript, utc


async def test_jobs_follow_the_table_and_start_catches_up(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    setup = await world.service()
    await setup.subscribe(guild_id=1, channel_id=10, local_time="09:00", timezone="Europe/Berlin", created_by=5)

    world.clock.now = utc(2026, 2, 2, 9, 30)  # the bot starts after Berlin's 09:00: the digest goes out late
    service = await world.service(fresh_engine=True)
    reports = await service.start()
    try:
        assert [(r.channel_id, r.status) for r in reports] == [(10, SENT)]
        jobs = service.jobs.jobs()
        assert set(jobs) == {"digest:1", "digest:sweep"}
        berlin_next = jobs["digest:1"]
        assert berlin_next is not None
        assert berlin_next.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "09:00"
        assert berlin_next > datetime.now(UTC)

        await service.subscribe(guild_id=1, channel_id=20, local_time="20:00", timezone="Asia/Tokyo", created_by=5)
        tokyo_next = service.jobs.jobs()["digest:2"]
        assert tokyo_next is not None and tokyo_next.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") == "20:00"

        await service.unsubscribe(1, 10)
        assert set(service.jobs.jobs()) == {"digest:2", "digest:sweep"}
        assert len(world.sender.posts) == 1
        assert await service.run_due(world.clock.now) == []  # the late digest is not posted twice
    finally:
        await service.stop()
    assert service.jobs.jobs() == {}


def test_local_times_that_do_not_exist_or_occur_twice_still_fire_once() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 02:30 does not exist on 29 March 2026 (clocks jump 02:00 → 03:00): it fires at 03:30 local, 01:30 UTC
    assert scheduled_at(date(2026, 3, 29), time(2, 30), berlin) == utc(2026, 3, 29, 1, 30)
    # 02:30 occurs twice on 25 October 2026: the first one (still summer time, 00:30 UTC)
    assert scheduled_at(date(2026, 10, 25), time(2, 30), berlin) == utc(2026, 10, 25, 0, 30)
    assert next_run(utc(2026, 3, 28, 2), time(2, 30), berlin) == utc(2026, 3, 29, 1, 30)


def test_timezone_autocomplete_finds_cities_quickly() -> None:
    assert matching_timezones("berl")[0] == "Europe/Berlin"
    assert "America/New_York" in matching_timezones("new york")
    assert len(matching_timezones("")) == 25
    assert matching_timezones("no such place") == []
