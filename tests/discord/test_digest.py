"""Digests through Discord: /digest commands, and deliveries posted by the real client to the fake API.

Time is driven through `DigestService.run_due(now)`; what was posted is read from the fake's channels.
Each test uses a server of its own.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from bot.digest.models import FAILED, SENT

from .conftest import SPACELESS, Colloquy, running_colloquy, whole_graphemes
from .harness import Channel, FakeDiscord, Guild, message_text, pings

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def colloquy(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Colloquy]:
    async with running_colloquy(fake, tmp_path_factory.mktemp("digest")) as running:
        yield running


def soon() -> datetime:
    """A UTC minute a little ahead, so the subscription is created before its first digest is due."""
    return (datetime.now(UTC) + timedelta(minutes=5)).replace(second=0, microsecond=0)


async def subscribe(colloquy: Colloquy, guild: Guild, at: datetime, **options: object) -> Channel:
    channel = guild.channels["digest"]
    answer = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time=f"{at:%H:%M}", timezone="UTC",
        **options,
    )  # fmt: skip
    assert answer.ephemeral and f"<#{channel.id}> will get the digest" in answer.text, answer.text
    return channel


def posts(fake: FakeDiscord, channel: Channel) -> list[dict]:
    return [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{channel.id}/messages"]


async def test_subscribe_list_preview_and_unsubscribe(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Subscribers")
    channel = guild.channels["digest"]
    answer = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="09:00",
        timezone="Europe/Berlin", speaker="Owen Hart",
    )  # fmt: skip
    assert answer.ephemeral
    assert f"<#{channel.id}> will get the digest about speaker **Owen Hart** every day at 09:00 Europe/Berlin" in (
        answer.text
    )

    listed = await colloquy.run("digest list", user=colloquy.admin, guild=guild)
    assert (
        f"<#{channel.id}> at **09:00** Europe/Berlin · speaker Owen Hart" in listed.text and "next: <t:" in listed.text
    )
    other = await colloquy.run("digest list", user=colloquy.admin)
    assert f"<#{channel.id}>" not in other.text  # another server never sees this one's subscriptions

    preview = await colloquy.run("digest preview", user=colloquy.admin, guild=guild, channel=channel)
    assert preview.ephemeral and preview.embeds[0]["title"].startswith("Colloquy digest · ")
    assert "The Harbour Master on tides" in preview.text and "Scope: speaker Owen Hart" in preview.text
    assert not posts(colloquy.fake, channel)  # a preview posts nothing

    gone = await colloquy.run("digest unsubscribe", user=colloquy.admin, guild=guild, channel=channel)
    assert gone.ephemeral and "will no longer get the digest" in gone.text
    again = await colloquy.run("digest unsubscribe", user=colloquy.admin, guild=guild, channel=channel)
    assert again.ephemeral and "has no digest subscription" in again.text


async def test_bad_time_zone_and_time_are_private_errors(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Typos")
    channel = guild.channels["digest"]
    zone = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="09:00", timezone="Mars/Olympus"
    )
    assert zone.ephemeral and "Mars/Olympus" in zone.text
    clock = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="25:61", timezone="UTC"
    )
    assert clock.ephemeral and "25:61" in clock.text
    assert await colloquy.bot.digests.subscriptions(guild.id) == []


async def test_member_cannot_subscribe_a_channel(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Members only")
    with pytest.raises(PermissionError):
        await colloquy.run(
            "digest subscribe", guild=guild, channel=guild.channels["digest"], time="09:00", timezone="UTC"
        )
    crafted = await colloquy.fake.invoke(
        "digest subscribe", user=colloquy.member, guild=guild, crafted=True, channel=guild.channels["digest"],
        time="09:00", timezone="UTC",
    )  # fmt: skip
    assert crafted.ephemeral and "Manage Channels" in crafted.text
    assert await colloquy.bot.digests.subscriptions(guild.id) == []
    for command in ("digest list", "digest preview", "digest unsubscribe"):  # every /digest command checks it too
        options = {"channel": guild.channels["digest"]} if command.endswith("unsubscribe") else {}
        refused = await colloquy.fake.invoke(command, user=colloquy.member, guild=guild, crafted=True, **options)
        assert refused.ephemeral and "Manage Channels" in refused.text, command


async def test_digest_is_posted_at_its_time_exactly_once(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Morning readers")
    at = soon()
    channel = await subscribe(colloquy, guild, at)
    digests = colloquy.bot.digests

    assert await digests.run_due(at - timedelta(minutes=1)) == []
    assert not posts(colloquy.fake, channel)
    reports = [r for r in await digests.run_due(at) if r.channel_id == channel.id]
    assert [r.status for r in reports] == [SENT]
    messages = colloquy.fake.channel_messages(channel.id)
    assert [int(m["id"]) for m in messages] == reports[0].message_ids
    first = messages[0]
    assert first["embeds"][0]["title"] == f"Colloquy digest · {at:%Y-%m-%d}"
    assert "5 new interviews" in message_text(first) and "The Harbour Master on tides" in message_text(first)
    assert first["allowed_mentions"] == {"parse": []} and pings(first) == []
    assert posts(colloquy.fake, channel)[0].body["enforce_nonce"] is True

    assert [r for r in await digests.run_due(at + timedelta(hours=3)) if r.channel_id == channel.id] == []
    assert len(colloquy.fake.channel_messages(channel.id)) == len(messages)  # nothing twice


async def test_server_error_is_retried_and_posted_once(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Flaky")
    at = soon()
    channel = await subscribe(colloquy, guild, at)
    colloquy.fake.fail("POST", f"/channels/{channel.id}/messages", 503)
    reports = [r for r in await colloquy.bot.digests.run_due(at) if r.channel_id == channel.id]
    assert [(r.status, r.attempts) for r in reports] == [(SENT, 2)]
    sent = posts(colloquy.fake, channel)
    assert [r.status for r in sent] == [503, 200] and sent[0].body["nonce"] == sent[1].body["nonce"]
    assert len(colloquy.fake.channel_messages(channel.id)) == 1


async def test_lost_response_is_deduplicated_by_the_nonce(colloquy: Colloquy) -> None:
    """A 500 after Discord created the message: the resend carries the same nonce and gets the same message."""
    guild = await colloquy.new_guild("Lossy")
    at = soon()
    channel = await subscribe(colloquy, guild, at)
    colloquy.fake.fail("POST", f"/channels/{channel.id}/messages", 500, after_create=True)
    reports = [r for r in await colloquy.bot.digests.run_due(at) if r.channel_id == channel.id]
    assert [r.status for r in reports] == [SENT]
    assert [r.status for r in posts(colloquy.fake, channel)] == [500, 200]
    messages = colloquy.fake.channel_messages(channel.id)
    assert len(messages) == 1 and reports[0].message_ids == [int(messages[0]["id"])]


async def test_rate_limit_is_waited_out_and_posted_once(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Busy")
    at = soon()
    channel = await subscribe(colloquy, guild, at)
    colloquy.fake.fail("POST", f"/channels/{channel.id}/messages", 429, retry_after=0.05)
    reports = [r for r in await colloquy.bot.digests.run_due(at) if r.channel_id == channel.id]
    assert [r.status for r in reports] == [SENT]
    assert [r.status for r in posts(colloquy.fake, channel)] == [429, 200]
    assert len(colloquy.fake.channel_messages(channel.id)) == 1


async def test_lost_permission_pauses_and_tells_the_subscriber(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Locked")
    at = soon()
    channel = await subscribe(colloquy, guild, at)
    channel.bot_can_post = False
    with colloquy.fake.expect_rejection("Missing Permissions"):
        reports = [r for r in await colloquy.bot.digests.run_due(at) if r.channel_id == channel.id]
    assert [r.status for r in reports] == [FAILED] and "Missing Permissions" in (reports[0].reason or "")
    [sub] = await colloquy.bot.digests.subscriptions(guild.id)
    assert sub.paused
    [notice] = colloquy.fake.dm_messages(colloquy.admin)
    assert "is paused" in notice["content"] and notice["allowed_mentions"] == {"parse": []}
    listed = await colloquy.run("digest list", user=colloquy.admin, guild=guild)
    assert "⏸ paused" in listed.text
    tomorrow = await colloquy.bot.digests.run_due(at + timedelta(days=1))
    assert [r for r in tomorrow if r.channel_id == channel.id] == []  # paused: nothing is tried
    assert len(posts(colloquy.fake, channel)) == 1


async def test_deleted_channel_pauses_the_subscription(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Tidy")
    at = soon()
    channel = await subscribe(colloquy, guild, at)
    del colloquy.fake.channels[channel.id]
    with colloquy.fake.expect_rejection("Unknown Channel"):
        reports = [r for r in await colloquy.bot.digests.run_due(at) if r.channel_id == channel.id]
    assert [r.status for r in reports] == [FAILED] and "Unknown Channel" in (reports[0].reason or "")
    [sub] = await colloquy.bot.digests.subscriptions(guild.id)
    assert sub.paused and "deleted" in (sub.paused_reason or "")


async def test_a_server_cannot_subscribe_another_servers_channel(colloquy: Colloquy) -> None:
    mine, theirs = await colloquy.new_guild("Mine"), await colloquy.new_guild("Theirs")
    crafted = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=mine, channel=theirs.channels["digest"], time="09:00",
        timezone="UTC",
    )  # fmt: skip
    assert crafted.ephemeral and "not a valid value" in crafted.text
    assert await colloquy.bot.digests.subscriptions(theirs.id) == []
    assert await colloquy.bot.digests.subscriptions(mine.id) == []


async def test_subscribing_a_channel_closed_to_the_bot_is_refused(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Read-only")
    channel = guild.channels["digest"]
    await colloquy.fake.set_bot_can_post(channel, False)
    refused = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="09:00", timezone="UTC"
    )
    assert (
        refused.ephemeral
        and f"I cannot post in <#{channel.id}>: I need View Channel, Send Messages and Embed Links" in refused.text
    )
    assert await colloquy.bot.digests.subscriptions(guild.id) == []
    await colloquy.fake.set_bot_can_post(channel, True)
    await subscribe(colloquy, guild, soon())


async def test_subscribing_to_an_unknown_speaker_warns_and_suggests(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Typo-prone")
    channel = guild.channels["digest"]
    answer = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="09:00", timezone="UTC",
        speaker="Owen Hrat",
    )  # fmt: skip
    assert answer.ephemeral and "will get the digest about speaker **Owen Hrat**" in answer.text
    assert "⚠ No one called **Owen Hrat** speaks in this server's library" in answer.text
    assert "Did you mean **Owen Hart**" in answer.text
    nobody = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="09:00", timezone="UTC",
        speaker="Nobody Atall",
    )  # fmt: skip
    assert "⚠ No one called **Nobody Atall**" in nobody.text
    known = await colloquy.run(
        "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="09:00", timezone="UTC",
        speaker="owen",
    )  # fmt: skip
    assert "⚠" not in known.text  # a part of a name resolves as search resolves it


async def test_digest_cuts_text_without_spaces_between_graphemes(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Printer digest")
    await colloquy.services.library.ingest(SPACELESS.encode(), "printout.txt", guild_id=guild.id)
    preview = await colloquy.run("digest preview", user=colloquy.admin, guild=guild)
    descriptions = [e.get("description", "") for e in preview.embeds]
    stubs = [d for d in descriptions if len(d.strip("•“”>* \n")) < 20]
    assert not stubs, stubs  # no message holding only a bullet or a quote mark
    joined = "".join(descriptions)
    # Points are passages, which have a maximum size: pieces of the runs, cut between graphemes
    assert re.search(r"Tok\d{3}", joined) and "机器打印" in joined and all(whole_graphemes(d) for d in descriptions)
