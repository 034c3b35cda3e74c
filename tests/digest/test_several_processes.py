"""Several bot processes on one database (one per shard group): each digest is posted by exactly one of them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from bot.digest.models import SENT, Delivery

from .conftest import RecordingSender, World, transcript, utc

GUILD, BERLIN, TOKYO = 1, 10, 30


async def statuses(world: World) -> list[str]:
    async with world.sessions() as session:
        return [d.status for d in await session.scalars(select(Delivery).order_by(Delivery.id))]


async def test_two_schedulers_started_on_one_database_post_each_digest_once(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    setup = await world.service()
    for channel, zone in ((BERLIN, "Europe/Berlin"), (TOKYO, "Asia/Tokyo")):
        at = "09:00" if channel == BERLIN else "17:00"  # both 08:00 UTC
        await setup.subscribe(guild_id=GUILD, channel_id=channel, local_time=at, timezone=zone, created_by=5)

    world.clock.now = utc(2026, 2, 2, 8, 5)  # both processes start just after the digests fell due
    first, second = await world.service(fresh_engine=True), await world.service(fresh_engine=True)
    try:
        reports = await asyncio.gather(first.start(), second.start())
        assert sorted(r.channel_id for run in reports for r in run) == [BERLIN, TOKYO]
        assert sorted(world.sender.channels()) == [BERLIN, TOKYO]
        # Both keep sweeping; a later sweep by either finds nothing left to do.
        assert await first.run_due(utc(2026, 2, 2, 8, 30)) == []
        assert await second.run_due(utc(2026, 2, 2, 8, 30)) == []
    finally:
        await first.stop()
        await second.stop()
    assert sorted(world.sender.channels()) == [BERLIN, TOKYO]
    assert await statuses(world) == [SENT, SENT]


@dataclass
class SlowSender(RecordingSender):
    """A sender whose first post hangs until released: a live process stuck in a long send or retry."""

    sending: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, channel_id: int, payload: dict, nonce: str) -> int:
        self.sending.set()
        await self.release.wait()
        return await super().send(channel_id, payload, nonce)


async def test_a_slow_but_live_owner_is_not_taken_over_by_another_process(db_url: str, world: World) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite serves one process; the cross-process advisory lock exists on PostgreSQL only")
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 2, 2, 6))
    setup = await world.service()
    await setup.subscribe(guild_id=GUILD, channel_id=BERLIN, local_time="09:00", timezone="Europe/Berlin", created_by=5)
    slow = SlowSender()
    owner = await world.service(sender=slow, fresh_engine=True)
    rival = await world.service(sender=world.sender, fresh_engine=True)

    delivering = asyncio.create_task(owner.run_due(utc(2026, 2, 2, 8, 0)))
    await asyncio.wait_for(slow.sending.wait(), 30)
    # Ten minutes on, the claim looks abandoned (stale, its message create in flight past Discord's nonce window):
    # without the lock the rival would close it as failed, or post it a second time.
    assert await rival.run_due(utc(2026, 2, 2, 8, 10)) == []
    slow.release.set()
    reports = await asyncio.wait_for(delivering, 30)
    assert [(r.channel_id, r.status) for r in reports] == [(BERLIN, SENT)]
    assert len(slow.posts) == 1 and world.sender.posts == []
    assert await statuses(world) == [SENT]
