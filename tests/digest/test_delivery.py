"""Exactly-once delivery with a fake clock: local times, DST, restarts, races, retries, 403s, nothing-new skips."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.digest.deliver import ChannelGoneError, RetryableSendError, SendError
from bot.digest.models import FAILED, PENDING, SENT, SKIPPED, Delivery, Subscription
from bot.digest.schedule import cron_trigger
from bot.digest.service import DeliveryPolicy, SubscriptionError

from .conftest import World, transcript, utc

BERLIN, NEW_YORK, TOKYO = 10, 20, 30  # channel ids
GUILD = 1


async def subscribe(world: World, channel: int, at: str, zone: str, **kwargs: object) -> int:
    service = await world.service()
    info = await service.subscribe(
        guild_id=GUILD, channel_id=channel, local_time=at, timezone=zone, created_by=77, **kwargs
    )
    return info.id


async def deliveries(world: World) -> list[Delivery]:
    async with world.sessions() as session:
        return list(await session.scalars(select(Delivery).order_by(Delivery.id)))


async def test_two_time_zones_fire_at_their_own_local_time(world: World) -> None:
    world.clock.now = utc(2026, 1, 10, 20)  # after both zones’ 09:00 that day
    await world.add("tides.txt", transcript("tides"), utc(2026, 1, 11, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")  # 08:00 UTC in winter
    await subscribe(world, NEW_YORK, "09:00", "America/New_York")  # 14:00 UTC in winter
    service = await world.service()

    assert await service.run_due(utc(2026, 1, 11, 7, 59)) == []
    sent = await service.run_due(utc(2026, 1, 11, 8, 0))
    assert [(r.channel_id, r.status) for r in sent] == [(BERLIN, SENT)]
    assert world.sender.channels() == [BERLIN]
    assert await service.run_due(utc(2026, 1, 11, 13, 59)) == []
    sent = await service.run_due(utc(2026, 1, 11, 14, 0))
    assert [(r.channel_id, r.status) for r in sent] == [(NEW_YORK, SENT)]
    assert world.sender.channels() == [BERLIN, NEW_YORK]
    assert await service.run_due(utc(2026, 1, 11, 20)) == []  # later the same day: nothing twice
    assert "tides" in world.sender.text(BERLIN) and "tides" in world.sender.text(NEW_YORK)
    assert [d.local_date for d in await deliveries(world)] == [date(2026, 1, 11)] * 2


@pytest.mark.parametrize(
    ("before", "day_before", "change_day", "early", "on_time"),
    [
        # spring forward on Sunday 29 March 2026: 09:00 Berlin is 08:00 UTC before, 07:00 UTC after
        ("spring", utc(2026, 3, 28, 8, 0), date(2026, 3, 29), utc(2026, 3, 29, 6, 59), utc(2026, 3, 29, 7, 0)),
        # fall back on Sunday 25 October 2026: 07:00 UTC before, 08:00 UTC after
        ("autumn", utc(2026, 10, 24, 7, 0), date(2026, 10, 25), utc(2026, 10, 25, 7, 59), utc(2026, 10, 25, 8, 0)),
    ],
)
async def test_berlin_digest_stays_at_nine_local_through_dst(
    world: World, before: str, day_before, change_day, early, on_time
) -> None:
    world.clock.now = day_before - timedelta(hours=22)  # after the previous day’s 09:00
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin", skip_when_nothing_new=False)
    await world.add("tides.txt", transcript("tides"), day_before - timedelta(days=1))
    service = await world.service()

    assert [r.status for r in await service.run_due(day_before - timedelta(minutes=1))] == []
    assert [r.status for r in await service.run_due(day_before)] == [SENT]
    assert await service.run_due(early) == []
    reports = await service.run_due(on_time)
    assert [(r.local_date, r.status) for r in reports] == [(change_day, SENT)]

    trigger = cron_trigger(time(9, 0), ZoneInfo("Europe/Berlin"))
    fire = day_before
    for _ in range(3):  # APScheduler's own trigger agrees: 09:00 local on each side of the change
        fire = trigger.get_next_fire_time(None, fire + timedelta(minutes=1))
        assert (fire.hour, fire.minute) == (9, 0)
        assert fire.tzinfo is not None and str(fire.tzinfo) == "Europe/Berlin"


async def test_restart_posts_a_missed_digest_late_within_grace(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    # the bot was down at 09:00 local; a new process on the same database starts at 11:30 local
    restarted = await world.service(fresh_engine=True)
    reports = await restarted.run_due(utc(2026, 2, 2, 10, 30))
    assert [(r.status, len(r.message_ids)) for r in reports] == [(SENT, 1)]
    assert world.sender.channels() == [BERLIN]


async def test_restart_past_grace_skips_and_never_bursts_old_digests(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 1, 12))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin", skip_when_nothing_new=False)
    short_grace = DeliveryPolicy(retry_delays=(), grace=timedelta(hours=1))
    # down for days; back at 12:00 Berlin on 5 Feb (3 h late today): today's is skipped, older days are not posted
    restarted = await world.service(policy=short_grace, fresh_engine=True)
    reports = await restarted.run_due(utc(2026, 2, 5, 11))
    assert [(r.local_date, r.status) for r in reports] == [(date(2026, 2, 4), SKIPPED), (date(2026, 2, 5), SKIPPED)]
    assert all("missed" in (r.reason or "") for r in reports)
    assert world.sender.posts == []
    reports = await restarted.run_due(utc(2026, 2, 6, 8))  # the next day runs normally, and covers the gap
    assert [(r.local_date, r.status) for r in reports] == [(date(2026, 2, 6), SENT)]
    assert "tides" in world.sender.text()


async def test_two_schedulers_racing_on_one_database_post_once(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    await subscribe(world, TOKYO, "17:00", "Asia/Tokyo")  # also 08:00 UTC
    first, second = await world.service(fresh_engine=True), await world.service(fresh_engine=True)
    now = utc(2026, 2, 2, 8, 0)
    a, b, c = await asyncio.gather(first.run_due(now), second.run_due(now), first.run_due(now))
    assert sorted(r.channel_id for r in a + b + c) == [BERLIN, TOKYO]
    assert sorted(world.sender.channels()) == [BERLIN, TOKYO]
    assert [d.status for d in await deliveries(world)] == [SENT, SENT]


async def test_a_failed_send_is_retried_and_posted_once(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    world.sender.failures = [RetryableSendError("503 Service Unavailable", maybe_sent=True)]
    service = await world.service()
    reports = await service.run_due(utc(2026, 2, 2, 8))
    assert [(r.status, r.attempts) for r in reports] == [(SENT, 2)]
    assert world.sender.calls == 2 and len(world.sender.posts) == 1


async def test_a_send_still_failing_is_retried_by_a_later_run_the_same_day(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    world.sender.failures = [RetryableSendError("429 Too Many Requests", maybe_sent=False) for _ in range(3)]
    service = await world.service()
    reports = await service.run_due(utc(2026, 2, 2, 8))
    assert [(r.status, r.attempts) for r in reports] == [(PENDING, 3)]  # three tries in-process, then wait
    assert await service.run_due(utc(2026, 2, 2, 8, 1)) == []  # too soon: it may still be in someone's hands
    reports = await service.run_due(utc(2026, 2, 2, 8, 10))
    assert [(r.status, r.attempts) for r in reports] == [(SENT, 4)]
    assert len(world.sender.posts) == 1


async def test_crash_after_the_claim_is_resumed_once_by_the_next_process(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    crashed = await world.service()
    sub = (await crashed.subscriptions(GUILD))[0]
    async with world.sessions() as session:
        subscription = await session.get(Subscription, sub.id)
    await crashed._claim(subscription, date(2026, 2, 2), utc(2026, 2, 2, 8), utc(2026, 2, 2, 8), PENDING, None)

    restarted = await world.service(fresh_engine=True)
    assert await restarted.run_due(utc(2026, 2, 2, 8, 1)) == []  # a fresh claim belongs to a live process
    reports = await restarted.run_due(utc(2026, 2, 2, 8, 30))
    assert [r.status for r in reports] == [SENT]
    assert len(world.sender.posts) == 1


async def interrupted_mid_create(world: World) -> None:
    """Berlin's 09:00 digest, left pending at 08:00 UTC with its message create in flight (the process died)."""
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    world.sender.failures = [RetryableSendError("timeout", maybe_sent=True)]  # whether it exists, nobody knows
    service = await world.service(policy=DeliveryPolicy(retry_delays=()))
    assert [r.status for r in await service.run_due(utc(2026, 2, 2, 8))] == [PENDING]


async def test_interrupted_mid_create_is_posted_exactly_once_after_the_nonce_window(world: World) -> None:
    await interrupted_mid_create(world)
    within_window = await world.service(fresh_engine=True)
    assert [r.status for r in await within_window.run_due(utc(2026, 2, 2, 8, 3))] == [SENT]  # same nonce: safe
    assert len(world.sender.posts) == 1

    async with world.sessions.begin() as session:  # the same crash after Discord created it, found an hour later
        await session.execute(update(Delivery).values(status=PENDING, message_ids=[], inflight_at=utc(2026, 2, 2, 8)))
    late = await world.service(fresh_engine=True)
    reports = await late.run_due(utc(2026, 2, 2, 9))
    assert [(r.status, r.message_ids) for r in reports] == [(SENT, [world.sender.posts[0].message_id])]
    assert len(world.sender.posts) == 1  # found by its marker in the channel, not posted again

    world.sender.posts.clear()
    async with world.sessions.begin() as session:  # and once more, where the request never reached Discord
        await session.execute(update(Delivery).values(status=PENDING, message_ids=[], inflight_at=utc(2026, 2, 2, 8)))
    later = await world.service(fresh_engine=True)
    assert [r.status for r in await later.run_due(utc(2026, 2, 2, 10))] == [SENT]
    assert len(world.sender.posts) == 1 and "-# ref " in world.sender.posts[0].payload["content"]


async def test_when_the_channel_cannot_be_read_an_interrupted_create_is_not_resent(world: World) -> None:
    await interrupted_mid_create(world)
    world.sender.failures_for[BERLIN] = [SendError("403 Missing Access")]  # no Read Message History
    reports = await (await world.service(fresh_engine=True)).run_due(utc(2026, 2, 2, 9))
    assert [r.status for r in reports] == [FAILED]
    assert "could not be read" in (reports[0].reason or "") and "not resent" in (reports[0].reason or "")
    assert world.sender.posts == []


async def test_forbidden_pauses_the_subscription_and_tells_the_subscriber(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    await subscribe(world, TOKYO, "17:00", "Asia/Tokyo")
    world.sender.failures_for[BERLIN] = [ChannelGoneError("403 Missing Permissions")]
    service = await world.service()
    reports = {r.channel_id: r for r in await service.run_due(utc(2026, 2, 2, 8))}
    assert reports[BERLIN].status == FAILED and reports[TOKYO].status == SENT  # the other channel is unaffected
    info = {s.channel_id: s for s in await service.subscriptions(GUILD)}
    assert info[BERLIN].paused and "403" in (info[BERLIN].paused_reason or "")
    assert info[BERLIN].next_digest_at is None
    assert world.sender.notices and world.sender.notices[0][0] == 77
    await world.add("harbour.txt", transcript("harbours"), utc(2026, 2, 3, 6))
    assert [r.channel_id for r in await service.run_due(utc(2026, 2, 3, 8))] == [TOKYO]  # paused: not even tried
    assert BERLIN not in world.sender.channels()

    await service.subscribe(
        guild_id=GUILD, channel_id=BERLIN, local_time="09:00", timezone="Europe/Berlin", created_by=77
    )
    await world.add("volcano.txt", transcript("volcanoes"), utc(2026, 2, 4, 6))
    assert BERLIN in [r.channel_id for r in await service.run_due(utc(2026, 2, 4, 8))]


async def test_other_rejections_fail_the_delivery_without_pausing(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    world.sender.failures = [SendError("400 Invalid Form Body")]
    service = await world.service()
    assert [r.status for r in await service.run_due(utc(2026, 2, 2, 8))] == [FAILED]
    assert not (await service.subscriptions(GUILD))[0].paused


async def test_nothing_new_is_skipped_and_the_next_digest_covers_since_the_last(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 1, 20))  # old material
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    await subscribe(world, TOKYO, "09:00", "Europe/Berlin", skip_when_nothing_new=False)
    service = await world.service()

    reports = {r.channel_id: r for r in await service.run_due(utc(2026, 2, 2, 8))}
    assert (reports[BERLIN].status, reports[BERLIN].reason) == (SKIPPED, "nothing new")
    assert reports[TOKYO].status == SENT  # asked for the quote alone
    assert world.sender.channels() == [TOKYO] and "Quote of the day" in world.sender.text(TOKYO)

    await world.add("harbour.txt", transcript("harbours"), utc(2026, 2, 2, 20))
    reports = {r.channel_id: r for r in await service.run_due(utc(2026, 2, 3, 8))}
    assert reports[BERLIN].status == SENT
    posted = world.sender.text(BERLIN)
    assert "harbours" in posted and "1 new interview since 2026-02-02 08:00 UTC" in posted
    assert "tides" not in posted.split("Quote of the day")[0]  # old interviews are not news


async def test_subscriptions_are_validated_and_guild_scoped(world: World) -> None:
    service = await world.service()
    with pytest.raises(SubscriptionError, match="time zone"):
        await service.subscribe(guild_id=1, channel_id=5, local_time="09:00", timezone="Mars/Olympus", created_by=1)
    with pytest.raises(SubscriptionError, match="HH:MM"):
        await service.subscribe(guild_id=1, channel_id=5, local_time="25:00", timezone="UTC", created_by=1)
    await service.subscribe(guild_id=1, channel_id=5, local_time="7:05", timezone="Asia/Tokyo", created_by=1)
    await service.subscribe(guild_id=2, channel_id=6, local_time="08:00", timezone="UTC", created_by=2)
    assert [(s.channel_id, s.local_time) for s in await service.subscriptions(1)] == [(5, "07:05")]
    assert await service.unsubscribe(1, 6) is False  # guild 1 cannot remove guild 2's subscription
    assert [s.channel_id for s in await service.subscriptions(2)] == [6]
    assert await service.unsubscribe(2, 6) is True
    assert await service.subscriptions(2) == []


async def test_a_guild_digest_shows_its_own_uploads_and_the_global_library_only(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("global.txt", transcript("tides"), utc(2026, 2, 2, 6))
    await world.add("mine.txt", transcript("harbours"), utc(2026, 2, 2, 6), guild_id=GUILD)
    await world.add("theirs.txt", transcript("volcanoes"), utc(2026, 2, 2, 6), guild_id=999)
    await subscribe(world, BERLIN, "09:00", "Europe/Berlin")
    service = await world.service()
    await service.run_due(utc(2026, 2, 2, 8))
    posted = world.sender.text(BERLIN)
    assert "tides" in posted and "harbours" in posted and "volcanoes" not in posted
