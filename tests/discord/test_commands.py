"""Slash commands end to end: the real discord.py client against the fake Discord API, asserting what users see.

One bot serves the module (hashing embedder: plumbing, not search quality). Tests that change a server's library
use a server of their own, so no test depends on another.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot import PROJECT_ROOT
from bot.discord.render import clock, moment_url
from tests.conftest import BILINGUAL_CAPTIONS

from .conftest import RUN_EN, RUN_ZH, SPACELESS, Colloquy, running_colloquy, unquoted, whole_graphemes
from .harness import EPHEMERAL, LOADING, MANAGE_CHANNELS, MANAGE_GUILD, FakeDiscord, buttons, message_text, pings

pytestmark = pytest.mark.asyncio(loop_scope="module")

TIDAL = b"""Tidal power, explained
Published 2025-05-02. Source: https://example.org/tidal-power
Key points:
- Tides are predictable decades ahead.
- Barrages can harm estuaries.

Lena Ortiz: Why is tidal power not everywhere yet?
Marco Bell: Because the good sites are few, and a barrage changes the whole estuary.
Lena Ortiz: And the upside?
Marco Bell: You can predict the tide decades ahead, which no wind farm can promise.
"""
# A Chinese interview in which Sam Altman speaks of open source (开源) four times, the first time in passing.
OPEN_SOURCE_ZH = """Lin Xiao: 你怎么看DeepSeek?
Sam Altman: 这不仅仅是关于是否开源的问题。
Lin Xiao: 那你们自己的模型呢?
Sam Altman: 我认为开源模型有它存在的价值,世界上确实需要开源模型,它们可以为开发者提供大量价值。
Lin Xiao: 为什么现在改变主意?
Sam Altman: 我们在开源这件事上站在了历史错误的一边,需要制定不同的开源战略。
Lin Xiao: 安全呢?
Sam Altman: 开源权重的模型也需要安全测试,我们会先做评估再发布。
"""
PRANK = b"""1
00:00:01,000 --> 00:00:04,000
Zed Quill: Attention @everyone and @here: the **bold** plan for the lighthouse keeper is ||secret|| and __underlined__.

2
00:00:04,500 --> 00:00:06,000
Ivy Stone: That lighthouse keeper plan sounds risky.
"""


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def colloquy(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Colloquy]:
    async with running_colloquy(fake, tmp_path_factory.mktemp("commands")) as running:
        yield running


def footer(exchange_message: dict) -> str:
    return exchange_message["embeds"][0]["footer"]["text"]


async def test_commands_are_synced_with_admin_defaults(colloquy: Colloquy) -> None:
    synced = {c["name"]: c for c in colloquy.fake.global_commands}
    assert set(synced) == {"quote", "summary", "interviews", "interview", "speakers", "library", "digest"}
    assert int(synced["library"]["default_member_permissions"]) == MANAGE_GUILD
    assert int(synced["digest"]["default_member_permissions"]) == MANAGE_CHANNELS
    assert synced["quote"].get("default_member_permissions") is None
    assert synced["library"]["contexts"] == [0]  # servers only
    subcommands = {o["name"] for o in synced["library"]["options"]}
    assert subcommands == {"add", "remove", "rename-speaker"}


async def test_quote_pages_through_results_in_place(colloquy: Colloquy) -> None:
    answer = await colloquy.run("quote", query="loaded boats harbour low water")
    first = answer.original
    assert first is not None and not answer.ephemeral
    assert [bool(v["flags"] & LOADING) for v in answer.versions] == [True, False]  # deferred, then answered
    assert "sand bar" in message_text(first) and first["embeds"][0]["author"]["name"] == "Owen Hart"
    assert footer(first).startswith("Quote 1 of 5")
    assert answer.component("◀ Previous")["disabled"] and answer.component("1 / 5")["disabled"]
    first_words = first["embeds"][0]["description"]

    second = await answer.click("Next ▶")
    assert second.state.response_type == 7  # UPDATE_MESSAGE: the same message changes, no new one
    assert answer.original is not None and answer.original["id"] == first["id"]
    assert footer(answer.original).startswith("Quote 2 of 5")
    assert not answer.component("◀ Previous").get("disabled")
    assert answer.original["embeds"][0]["description"] != first_words
    assert len(answer.versions) == 3  # thinking…, page 1, page 2: one message edited

    stranger = await answer.click("Next ▶", user=colloquy.admin)
    assert stranger.ephemeral and "Only the person who asked" in stranger.text
    assert footer(answer.original).startswith("Quote 2 of 5")


async def test_context_button_shows_the_turns_around_the_quote(colloquy: Colloquy) -> None:
    answer = await colloquy.run("quote", query="loaded boats harbour low water")
    context = await answer.click("Context")
    assert context.ephemeral
    text = context.text
    assert text.startswith("Context · The Harbour Master on tides")
    assert "▶ **Owen Hart** · 00:00:24" in text and "sand bar" in text
    assert "Why do tides matter so much" in text  # the question before the quote
    assert text.index("Why do tides matter") < text.index("sand bar")


async def test_more_like_this_finds_other_quotes(colloquy: Colloquy) -> None:
    answer = await colloquy.run("quote", query="loaded boats harbour low water")
    quoted = answer.original["embeds"][0]["description"]  # type: ignore[index]
    more = await answer.click("More like this")
    assert more.ephemeral and more.original is not None
    assert more.original["embeds"][0]["description"] != quoted
    assert footer(more.original).startswith("Quote 1 of ")


async def test_unknown_speaker_gets_suggestions(colloquy: Colloquy) -> None:
    answer = await colloquy.run("quote", query="running out of money", speaker="Maya Chn")
    assert "No one called **Maya Chn**" in answer.text and "Did you mean **Maya Chen**" in answer.text


async def test_autocomplete_speakers_interviews_and_time_zones(colloquy: Colloquy) -> None:
    fake, guild, user = colloquy.fake, colloquy.guild, colloquy.member
    speakers = await fake.autocomplete("quote", "speaker", "ma", user=user, guild=guild, query="money")
    assert speakers[0] == {"name": "Maya Chen", "value": "Maya Chen"}
    interviews = await fake.autocomplete("interview info", "interview", "harb", user=user, guild=guild)
    assert [c["value"] for c in interviews] == [4] and interviews[0]["name"].startswith("The Harbour Master")
    everything = await fake.autocomplete("interview info", "interview", "", user=user, guild=guild)
    assert sorted(c["value"] for c in everything) == [1, 2, 3, 4, 5]
    zones = await fake.autocomplete(
        "digest subscribe", "timezone", "berl", user=colloquy.admin, guild=guild, channel=guild.channels["digest"]
    )
    assert zones[0]["value"] == "Europe/Berlin" and len(zones) <= 25


async def test_unknown_interview_is_a_helpful_private_error(colloquy: Colloquy) -> None:
    info = await colloquy.run("interview info", interview=999)
    assert info.ephemeral and info.state.response_type == 4  # answered at once, not deferred
    assert "no interview #999" in info.text and "/interviews" in info.text
    quote = await colloquy.run("quote", query="tides", interview=999)
    assert quote.ephemeral and "no interview #999" in quote.text


async def test_interview_info(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Tides club")
    outcome = await colloquy.services.library.ingest(TIDAL, "tidal.txt", guild_id=guild.id)
    await colloquy.services.index_pending()
    info = await colloquy.run("interview info", guild=guild, interview=outcome.interview_id)
    embed = info.original["embeds"][0]  # type: ignore[index]
    assert embed["title"] == f"#{outcome.interview_id} · Tidal power, explained"
    assert embed["url"] == "https://example.org/tidal-power"
    assert "Editor's summary** (from the source, not Colloquy's)" in embed["description"]
    assert "Tides are predictable decades ahead." in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Participants"] == "Lena Ortiz (2), Marco Bell (2)"
    assert fields["Date"] == "2025-05-02" and fields["Library"] == "this server's uploads"
    harbour = await colloquy.run("interview info", interview=4)
    keywords = next(f["value"] for f in harbour.embeds[0]["fields"] if f["name"] == "Keywords")
    assert "tide" in keywords.split(", ") and "harbour" in keywords.split(", ")
    elsewhere = await colloquy.run("interview info", interview=outcome.interview_id)
    assert elsewhere.ephemeral and "no interview" in elsewhere.text  # another server never sees it


async def test_interviews_paginate_and_filter_by_speaker(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Archive")
    guests = ("Ines Park", "Omar Vale", "Rui Costa", "Lea Brandt", "Sam Okoro", "Kim Ahn", "Eli Novak", "Ada Moss")
    ids = []
    for n, guest in enumerate(guests):
        data = f"Nora Hale: What is your topic, {guest}?\n{guest}: It is about thing number {n}.\n".encode()
        outcome = await colloquy.services.library.ingest(data, f"episode-{n}.txt", guild_id=guild.id)
        assert not outcome.failed
        ids.append(outcome.interview_id)
    listing = await colloquy.run("interviews", guild=guild)
    assert footer(listing.original).startswith("Page 1 of 2 · 13 interviews")  # type: ignore[arg-type]
    assert listing.text.count("**#") == 10
    second = await listing.click("Next ▶")
    assert second.state.response_type == 7 and listing.text.count("**#") == 3
    filtered = await colloquy.run("interviews", guild=guild, speaker="lea brandt")
    assert filtered.text.count("**#") == 1 and f"**#{ids[3]} · Lea Brandt**" in filtered.text  # titled by its guest
    assert not buttons(filtered.original)  # type: ignore[arg-type]  # one page: no buttons


async def test_speakers_lists_everyone_with_counts(colloquy: Colloquy) -> None:
    answer = await colloquy.run("speakers")
    assert "**Maya Chen** · 8 turns in 1 interview" in answer.text
    assert "**周敏**" in answer.text and answer.text.count("**") == 2 * 10


async def test_non_admin_cannot_add_to_the_library(colloquy: Colloquy) -> None:
    file = colloquy.fake.upload("sneaky.txt", b"Eve: I should not be here.\nMallory: Nor I.\n")
    with pytest.raises(PermissionError):  # Discord's client does not even offer the command
        await colloquy.run("library add", attachment=file)
    crafted = await colloquy.fake.invoke(
        "library add", user=colloquy.member, guild=colloquy.guild, crafted=True, attachment=file
    )
    assert crafted.ephemeral and "You need the Manage Server permission" in crafted.text
    rows = await colloquy.services.library.interviews(guild_ids=(colloquy.guild.id,))
    assert rows == []


async def test_refused_members_do_not_use_up_the_servers_upload_cooldown(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Busy editors")
    file = colloquy.fake.upload("minutes.txt", b"Ida Berg: The harbour board met on Monday.\nOla Lind: Who came?\n")
    for _ in range(4):  # the server's bucket holds three uploads a minute
        refused = await colloquy.fake.invoke(
            "library add", user=colloquy.member, guild=guild, crafted=True, attachment=file
        )
        assert refused.ephemeral and "You need the Manage Server permission" in refused.text, refused.text
    assert not [path for path in colloquy.fake.cdn_requests if str(file.id) in path]  # refused before downloading
    added = await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    assert "✓ Added minutes.txt" in added.text, added.text
    for command, options in (
        ("library remove", {"interview": 1}),
        ("library rename-speaker", {"old": "a", "new": "b"}),
    ):
        other = await colloquy.fake.invoke(command, user=colloquy.member, guild=guild, crafted=True, **options)
        assert other.ephemeral and "You need the Manage Server permission" in other.text, command


async def test_server_commands_sent_from_a_direct_message_say_so(colloquy: Colloquy) -> None:
    reader = colloquy.fake.user("reader")
    file = colloquy.fake.upload("dm.txt", b"Ida Berg: Hello.\nOla Lind: Hi.\n")
    for command, options in (("library add", {"attachment": file}), ("digest list", {})):
        crafted = await colloquy.fake.invoke(command, user=reader, guild=None, crafted=True, **options)
        assert crafted.ephemeral and "works in a server, not in direct messages" in crafted.text, command
        assert "in this server" not in crafted.text


async def test_a_failed_download_says_so_and_logs_one_line(
    colloquy: Colloquy, caplog: pytest.LogCaptureFixture
) -> None:
    guild = await colloquy.new_guild("Expired links")
    caplog.set_level(logging.WARNING)
    expired = colloquy.fake.upload("expired.txt", b"Ida Berg: Hello.\nOla Lind: Hi.\n", cdn_fault=404)
    answer = await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=expired)
    assert answer.ephemeral and "Could not download **expired.txt** from Discord (Discord answered 404)" in answer.text
    assert "Attach the file again" in answer.text and "Something went wrong" not in answer.text
    slow = colloquy.fake.upload("slow.txt", b"Ida Berg: Hello.\nOla Lind: Hi.\n", cdn_fault="hang")
    settings = colloquy.bot.settings
    patience, settings.download_timeout_seconds = settings.download_timeout_seconds, 0.5
    try:
        timed_out = await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=slow)
    finally:
        settings.download_timeout_seconds = patience
    assert timed_out.ephemeral and "Could not download **slow.txt** from Discord (no answer within 0.5 s)" in (
        timed_out.text
    )
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("bot.")]
    assert [(r.levelname, r.exc_info) for r in logged] == [("WARNING", None)] * 2, [r.getMessage() for r in logged]
    assert "404" in logged[0].getMessage() and "no answer within 0.5 s" in logged[1].getMessage()
    assert await colloquy.services.library.interviews(guild_ids=(guild.id,)) == []


async def test_upload_is_ingested_with_progress_and_stays_in_its_server(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Lighthouse fans")
    file = colloquy.fake.upload("lighthouse.srt", PRANK)
    added = await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    assert added.ephemeral
    steps = [message_text(v) for v in added.versions]
    assert steps[0] == ""  # "thinking…"
    assert [s.split(" ", 1)[0] for s in steps[1:4]] == ["📥", "🔎", "🧮"]
    assert steps[-1].startswith("✓ Added lighthouse.srt") and "Zed Quill (1), Ivy Stone (1)" in steps[-1]
    assert added.original["flags"] & EPHEMERAL  # type: ignore[index]

    found = await colloquy.run("quote", guild=guild, query="lighthouse keeper plan")
    assert "lighthouse" in found.text.lower()
    elsewhere = await colloquy.run("quote", query="lighthouse keeper plan", speaker="Zed Quill")
    assert "No one called **Zed Quill**" in elsewhere.text


async def test_a_server_uploading_a_global_file_sees_each_quote_once(colloquy: Colloquy) -> None:
    """Item 4 of the Discord issue: the server's own copy and the global one are the same words, shown once."""
    guild = await colloquy.new_guild("Harbour club")
    sample = PROJECT_ROOT / "data" / "samples" / "harbour-tides.vtt"
    upload = colloquy.fake.upload(sample.name, sample.read_bytes())
    added = await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=upload)
    assert added.versions and message_text(added.versions[-1]).startswith("✓ Added harbour-tides.vtt")

    async def pages(where) -> list[str]:
        answer = await colloquy.run("quote", guild=where, query="loaded boats harbour low water")
        count = int(footer(answer.original).split(" of ", 1)[1].split()[0])
        quotes = [answer.original["embeds"][0]["description"]]
        for _ in range(count - 1):
            await answer.click("Next ▶")
            quotes.append(answer.original["embeds"][0]["description"])
        return quotes

    own, everyone = await pages(guild), await pages(colloquy.guild)
    assert len(set(own)) == len(own)  # no quote twice
    assert own == everyone  # the same quotes a server without the copy sees


async def test_transcript_markdown_and_mentions_are_inert(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Pranksters")
    file = colloquy.fake.upload("prank.srt", PRANK)
    await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    answer = await colloquy.run("quote", guild=guild, query="attention bold plan lighthouse", speaker="Zed Quill")
    message = answer.original
    assert message is not None
    description = message["embeds"][0]["description"]
    assert "@\u200beveryone" in description and "@\u200bhere" in description and "@everyone" not in description
    assert r"\*\*bold\*\*" in description and r"\_\_underlined\_\_" in description
    assert r"\|\|secret\|\|" in description
    assert not re.search(r"(?<!\\)\*\*bold", description)
    assert message["allowed_mentions"] == {"parse": []} and pings(message) == []


async def test_bilingual_quote_shows_the_original_and_its_translation(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Gardeners")
    captions = BILINGUAL_CAPTIONS
    file = colloquy.fake.upload("gardens.txt", captions.encode())
    await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    answer = await colloquy.run("quote", guild=guild, query="rooftop gardens cooler buildings summer rainwater")
    description = answer.original["embeds"][0]["description"]  # type: ignore[index]
    original = "Rooftop gardens keep buildings much cooler in summer, and they collect rainwater."
    assert description.startswith(f"> {original}")  # the words as a block quote
    assert "\n\n*屋顶花园能让夏天的楼房凉快很多,还能收集雨水。*" in description  # the other version, in italics


async def test_admin_removes_and_renames_only_in_their_server(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Editors")
    data = b"Speaker 1: We moved the press to the coast.\nSpeaker 2: Why the coast?\n"
    added = await colloquy.run(
        "library add", user=colloquy.admin, guild=guild, attachment=colloquy.fake.upload("press.txt", data)
    )
    interview_id = int(re.search(r"interview (\d+)", added.text).group(1))  # type: ignore[union-attr]

    admin = colloquy.admin
    choices = await colloquy.fake.autocomplete("library rename-speaker", "old", "spea", user=admin, guild=guild)
    assert sorted(c["value"] for c in choices) == ["Speaker 1", "Speaker 2"]  # this server's uploads only
    renamed = await colloquy.run("library rename-speaker", user=colloquy.admin, guild=guild, old="Speaker 1", new="Ida")
    assert renamed.ephemeral and "Renamed **Speaker 1** to **Ida** on 1 turns" in renamed.text

    global_one = await colloquy.run("library remove", user=colloquy.admin, guild=guild, interview=4)
    assert global_one.ephemeral and "global library" in global_one.text
    assert "(`colloquy remove`)" in global_one.text  # the bot's own markdown is not escaped
    assert (await colloquy.services.library.interview(4)).info.id == 4

    removed = await colloquy.run("library remove", user=colloquy.admin, guild=guild, interview=interview_id)
    assert f"Removed #{interview_id} · press.txt" in removed.text
    assert await colloquy.services.library.interviews(guild_ids=(guild.id,)) == []


async def test_cooldown_on_quote(colloquy: Colloquy) -> None:
    eager = colloquy.fake.user("eager")
    answers = [await colloquy.run("quote", user=eager, query="tides and boats") for _ in range(7)]
    assert all(not a.ephemeral for a in answers[:6])
    assert answers[6].ephemeral and "Slow down" in answers[6].text


async def test_unexpected_error_shows_a_reference(colloquy: Colloquy, error_log) -> None:
    class BrokenSummarizer:
        async def interview(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("the summarizer broke")

    working, colloquy.bot.summaries = colloquy.bot.summaries, BrokenSummarizer()  # type: ignore[assignment]
    try:
        answer = await colloquy.run("interview info", interview=4)
    finally:
        colloquy.bot.summaries = working
    reference = re.search(r"reference `([0-9a-f]{8})`", answer.text)
    assert reference and answer.ephemeral
    logged = error_log.take()
    assert len(logged) == 1 and reference.group(1) in logged[0] and "the summarizer broke" in logged[0]


async def test_quote_in_a_direct_message_searches_the_global_library(colloquy: Colloquy) -> None:
    reader = colloquy.fake.user("reader")
    answer = await colloquy.fake.invoke("quote", user=reader, guild=None, query="loaded boats harbour low water")
    assert "sand bar" in answer.text
    with pytest.raises(PermissionError, match="direct messages"):
        await colloquy.fake.invoke(
            "library add", user=reader, guild=None, attachment=colloquy.fake.upload("x.txt", b"x")
        )


async def test_context_of_a_quote_in_a_long_turn_is_the_words_around_it(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Long talkers")
    stones = [f"The breakwater stone number {n} was set by hand in the old harbour." for n in range(400)]
    stones[200] = "A winter storm tore one granite block loose, and the whole village carried it back on sledges."
    thanks = " ".join(f"Gull number {n} nested on the pier that spring." for n in range(100))
    data = f"Rhea Lund: Tell me about the breakwater.\nOtto Kranz: {' '.join(stones)}\nRhea Lund: Thank you. {thanks}\n"
    await colloquy.run(
        "library add", user=colloquy.admin, guild=guild, attachment=colloquy.fake.upload("wall.txt", data.encode())
    )
    answer = await colloquy.run("quote", guild=guild, query="storm granite block village sledges", speaker="Otto Kranz")
    assert "village carried it back" in answer.original["embeds"][0]["description"]  # type: ignore[index]
    context = await answer.click("Context")
    assert len(context.messages) == 1 and len(context.embeds) == 1  # not the turn's 27,000 characters
    text = context.text
    assert "village carried it back" in text and "stone number 199 was" in text and "stone number 201 was" in text
    assert re.search(r"\*\*[^*]*A winter storm tore one granite block loose[^*]*\*\*", text)  # the quote, in bold
    assert "stone number 0 was" not in text and "stone number 399 was" not in text
    assert "> … The breakwater" in text and "old harbour. …" in text  # where the turn was cut
    assert text.index("Tell me about the breakwater") < text.index("village") < text.index("Thank you")
    assert "Gull number 1 nested" in text and "Gull number 99" not in text  # the start of a long turn after it


async def test_context_of_a_long_timed_turn_is_stamped_where_its_shown_words_start(colloquy: Colloquy) -> None:
    """A long turn of captions is cut around the quote; its stamp is when the first words shown were said, not
    when the turn began minutes before (the view's first line had read 00:00:05 over words said at 00:15:xx)."""
    guild = await colloquy.new_guild("Timed talkers")
    stones = [f"The breakwater stone number {n} was set by hand in the old harbour." for n in range(400)]
    stones[200] = "A winter storm tore one granite block loose, and the whole village carried it back on sledges."
    cues = ["1\n00:00:00,000 --> 00:00:04,000\nRhea Lund: Tell me about the breakwater.\n"]
    for n, words in enumerate(stones):
        start = 5 + 5 * n
        cues.append(f"{n + 2}\n{clock(start)},000 --> {clock(start + 4)},000\nOtto Kranz: {words}\n")
    data = "\n".join(cues).encode()
    await colloquy.run(
        "library add", user=colloquy.admin, guild=guild, attachment=colloquy.fake.upload("wall.srt", data)
    )
    answer = await colloquy.run("quote", guild=guild, query="storm granite block village sledges", speaker="Otto Kranz")
    context = await answer.click("Context")
    stamp, shown = re.search(
        r"▶ \*\*Otto Kranz\*\* · (\d\d:\d\d:\d\d)\n> … The breakwater stone number (\d+)", context.text
    ).groups()
    assert stamp == clock(5 + 5 * int(shown)) and 150 < int(shown) < 200  # the first stone shown, not stone 0


async def test_summary_of_an_interview_links_each_point_to_its_context(colloquy: Colloquy) -> None:
    summary = await colloquy.run("summary interview", interview=4, points=3)
    assert not summary.ephemeral
    embed = summary.embeds[0]
    assert embed["title"] == "The Harbour Master on tides"
    points = re.findall(r"\*\*(\d)\.\*\* “(.+?)” — \*(.+?)\* \(#4 · (\d\d:\d\d:\d\d)\)", embed["description"])
    assert [p[0] for p in points] == ["1", "2", "3"] and {p[2] for p in points} <= {"Priya Nair", "Owen Hart"}
    assert [p[3] for p in points] == sorted(p[3] for p in points)  # in transcript order
    assert "Extractive" in embed["footer"]["text"]
    menu = summary.component("Show a point in its context")
    values = [o["value"] for o in menu["options"]]
    assert [o["label"][:2] for o in menu["options"]] == ["1.", "2.", "3."] and len(set(values)) == 3

    context = await summary.choose("Show a point in its context", values[1])
    assert context.ephemeral and context.text.startswith("Context · The Harbour Master on tides")
    marked = next(line for line in context.text.splitlines() if line.startswith("▶"))
    assert points[1][3] in marked  # the chosen point's turn is the one marked


async def test_summary_of_a_speaker_on_a_topic_is_only_their_words(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Lighthouse keepers")
    data = (
        b"Rhea Lund: The lighthouse lens was ground in Paris in 1890 and shipped here by rail.\n"
        b"Otto Kranz: The lighthouse keeper climbed those stairs twice every night, whatever the weather.\n"
        b"Rhea Lund: Our lighthouse still turns on its original clockwork, wound by hand.\n"
        b"Otto Kranz: Every lighthouse on this coast has its own flash pattern, so sailors know where they are.\n"
    )
    file = colloquy.fake.upload("keepers.txt", data)
    await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    answer = await colloquy.run("summary speaker", guild=guild, speaker="otto", topic="lighthouse", points=5)
    assert not answer.ephemeral and answer.embeds[0]["title"] == "Otto Kranz on lighthouse"
    (title,) = [i.title for i in await colloquy.services.library.interviews([guild.id])]
    cited = rf"\*\*(\d)\.\*\* “(.+?)” — \*(.+?)\*, {re.escape(title)}"
    points = re.findall(cited, answer.embeds[0]["description"])
    assert [p[0] for p in points] == ["1", "2"] and {p[2] for p in points} == {"Otto Kranz"}
    assert "stairs" in points[0][1] and "flash pattern" in points[1][1]
    assert "Paris" not in answer.text and "clockwork" not in answer.text  # Rhea's words never appear
    second = answer.component("Show a point in its context")["options"][1]["value"]
    context = await answer.choose("Show a point in its context", second)
    marked = next(line for line in context.text.splitlines() if line.startswith("▶"))
    assert "Otto Kranz" in marked
    elsewhere = await colloquy.run("summary speaker", speaker="otto", topic="lighthouse")
    assert "Otto Kranz" not in elsewhere.text and not buttons(elsewhere.original)  # type: ignore[arg-type]


async def test_summary_of_a_topic_and_of_nothing(colloquy: Colloquy) -> None:
    topic = await colloquy.run("summary topic", topic="remote work", points=3)
    assert "remote" in topic.text.lower() and topic.component("Show a point in its context")
    nothing = await colloquy.run("summary topic", topic="cricket test match tactics")
    assert "nothing in the library is about" in nothing.text and "Try a broader topic" in nothing.text
    assert not buttons(nothing.original)  # type: ignore[arg-type]
    nobody = await colloquy.run("summary speaker", speaker="Nobody Atall", topic="tides")
    assert "Nobody Atall" in nobody.text and not buttons(nobody.original)  # type: ignore[arg-type]
    unknown = await colloquy.run("summary interview", interview=999)
    assert unknown.ephemeral and "no interview #999" in unknown.text


async def test_speaker_names_resolve_like_search_in_lists_autocomplete_and_summaries(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Open source readers")
    file = colloquy.fake.upload("kaiyuan.txt", OPEN_SOURCE_ZH.encode())
    await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    for typed in ("altman", "阿爾特曼", "Sam Altman"):
        listed = await colloquy.run("interviews", guild=guild, speaker=typed)
        assert listed.text.count("**#") == 1 and "Sam Altman — 开源" in listed.text, typed
    for typed in ("阿爾特曼", "奥特", "alt"):
        choices = await colloquy.fake.autocomplete("quote", "speaker", typed, user=colloquy.member, guild=guild)
        assert {"name": "Sam Altman", "value": "Sam Altman"} in choices, typed
    summary = await colloquy.run("summary speaker", guild=guild, speaker="altman", topic="开源", points=5)
    assert summary.embeds[0]["title"] == "Sam Altman on 开源"
    points = re.findall(r"\*\*\d\.\*\* “(.+?)”", summary.embeds[0]["description"])
    assert len(points) == 4, points  # each thing he said about it, not one that stands for all


async def test_context_of_a_removed_upload_says_it_is_gone(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Short-lived")
    data = b"Rhea Lund: Who kept the lighthouse?\nOtto Kranz: My grandmother kept its lamp burning for forty winters.\n"
    file = colloquy.fake.upload("keepers.txt", data)
    added = await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    interview_id = int(re.search(r"interview (\d+)", added.text).group(1))  # type: ignore[union-attr]
    answer = await colloquy.run("quote", guild=guild, query="who kept the lamp burning", speaker="Otto Kranz")
    assert "grandmother" in answer.text
    await colloquy.run("library remove", user=colloquy.admin, guild=guild, interview=interview_id)
    context = await answer.click("Context")
    assert context.ephemeral and "no longer in the library" in context.text and context.embeds == []
    more = await answer.click("More like this")
    assert more.ephemeral and "no longer in the library" in more.text


async def test_text_without_spaces_is_cut_between_graphemes_and_nothing_is_dropped(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Printers")
    file = colloquy.fake.upload("printout.txt", SPACELESS.encode())
    await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    answer = await colloquy.run("quote", guild=guild, query="what did the machine print", speaker="Otto Kranz")
    for page in range(2):
        if page:
            await answer.click("Next ▶")
        description = answer.original["embeds"][0]["description"]  # type: ignore[index]
        words, _, rest = description.partition("\n*(continues: press Context)*")
        # A quote is a passage or two, and passages have a maximum size: a piece of one run (joined with a space),
        # marked "…" where it starts or stops inside the run
        assert any(words[2:].strip("…").replace(" ", "") in run for run in (RUN_EN, RUN_ZH)), description[:80]
        assert words.startswith("> ") and len(words) > 100 and whole_graphemes(words[2:]) and rest == ""
    context = await answer.click("Context")
    descriptions = [e.get("description", "") for e in context.embeds]
    # each run is cut to the part around the quote, "…" where it was cut: a piece of the run as it stands
    turns = re.split(r"\*\*(?:Rhea Lund|Otto Kranz)\*\*", unquoted(descriptions))
    pieces = [piece.replace("**", "").strip("…▶ ") for piece in turns if len(piece) > 100]  # the quote is in bold
    assert len(pieces) == 2 and all(any(piece in run for run in (RUN_EN, RUN_ZH)) for piece in pieces)
    assert words[2:].strip("…").replace(" ", "") in "".join(pieces)  # the quote on screen, within its context
    for text in descriptions:
        assert len(text) > 100 and all(whole_graphemes(line.removeprefix("> ")) for line in text.splitlines())


FERRY = b"""The last ferry
Source: https://www.youtube.com/watch?v=Xf3kQ9ferry

[00:00:05] Ada Moss: How long have you run the ferry?
[00:00:09] Piet Vos: Forty years this spring, the same crossing twice an hour, summer and winter.
[00:01:15] Piet Vos: The worst night was the storm of 1987, when we carried a doctor across in waves higher than
the wheelhouse, and the engine stopped twice before we reached the other pier.
"""


async def test_a_quote_from_a_youtube_video_links_to_its_moment(colloquy: Colloquy) -> None:
    """The quote's title opens the video where its words are said (the time under "Where"); a link that sets a
    time of its own, or another site's, is left as it was."""
    guild = await colloquy.new_guild("Ferry club")
    assert not (await colloquy.services.library.ingest(FERRY, "ferry.txt", guild_id=guild.id)).failed
    await colloquy.services.index_pending()
    embed = (await colloquy.run("quote", guild=guild, query="the storm when they carried a doctor")).embeds[0]
    where = next(f["value"] for f in embed["fields"] if f["name"] == "Where")
    hours, minutes, seconds = map(int, where.split("⏱ ")[1][:8].split(":"))
    assert embed["url"] == f"https://www.youtube.com/watch?v=Xf3kQ9ferry&t={hours * 3600 + minutes * 60 + seconds}s"
    assert "storm of 1987" in embed["description"] and where != "⏱ 00:00:00"
    assert moment_url("https://www.youtube.com/watch?v=EdI8kZQNdEE&t=4163s", 75.0).endswith("&t=4163s")
    assert moment_url("https://example.org/tidal-power", 75.0) == "https://example.org/tidal-power"
    assert moment_url("https://youtu.be/Xf3kQ9ferry", 75.4) == "https://youtu.be/Xf3kQ9ferry?t=75s"
