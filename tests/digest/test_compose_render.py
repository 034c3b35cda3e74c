"""Composing (pure) and rendering within Discord's limits, with transcript text made inert; quote rotation."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.digest.compose import (
    InterviewState,
    KeyPoint,
    LibraryState,
    Quote,
    compose_digest,
    quotable,
    week_themes,
)
from bot.digest.render import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_VALUE_LIMIT,
    FIELDS_PER_EMBED,
    TITLE_LIMIT,
    embed_size,
    neutralize,
    render_digest,
    split_text,
)
from bot.digest.service import SubscriptionError
from bot.library import models
from bot.summarize.points import filler_points, stands_alone
from bot.text.roles import Roles
from tests.conftest import UNLABELLED_RADIO

from .conftest import World, transcript, utc

NOW = utc(2026, 3, 2, 8)
SAMPLES = [
    (p.name, p.read_bytes()) for p in sorted((Path(__file__).resolve().parents[2] / "data" / "samples").iterdir())
]


def interview(n: int, *, at=None, points=None, keywords=("tides",), title=None) -> InterviewState:
    return InterviewState(
        id=n,
        title=title or f"Interview {n}",
        ingested_at=at or NOW - timedelta(hours=n),
        participants=["Alice", "Bob"],
        points=points if points is not None else [KeyPoint(f"point {n}", "Alice")],
        keywords=list(keywords),
    )


def test_compose_takes_what_arrived_since_and_themes_of_the_week() -> None:
    state = LibraryState(
        [
            interview(1, at=NOW - timedelta(hours=2), keywords=["tides", "ships"]),
            interview(2, at=NOW - timedelta(days=3), keywords=["Tides", "storms"]),
            interview(3, at=NOW - timedelta(days=9), keywords=["storms", "volcanoes"]),  # older than a week
            interview(4, at=NOW + timedelta(minutes=1), keywords=["future"]),  # not yet arrived at `now`
        ]
    )
    digest = compose_digest(state, since=NOW - timedelta(days=1), now=NOW)
    assert [i.id for i in digest.interviews] == [1]
    assert not digest.nothing_new
    assert [(t.keyword, t.interviews) for t in digest.themes][:1] == [("tides", 2)]
    assert "volcanoes" not in {t.keyword for t in digest.themes} and "future" not in {t.keyword for t in digest.themes}
    assert compose_digest(state, since=NOW - timedelta(hours=1), now=NOW).nothing_new


def test_week_themes_count_interviews_not_repetitions() -> None:
    themes = week_themes([interview(1, keywords=["a", "a", "b"]), interview(2, keywords=["b"])])
    assert [(t.keyword, t.interviews) for t in themes] == [("b", 2), ("a", 1)]


def test_a_theme_written_in_either_chinese_script_case_or_number_is_one_theme() -> None:
    """Keywords are shown as each interview writes them (Traditional '開源', 'AGI'), and still meet across them;
    'companies' and 'company' were two of a week's eight themes."""
    themes = week_themes(
        [interview(1, keywords=["開源", "AGI", "companies"]), interview(2, keywords=["开源", "agi", "company"])]
    )
    assert [(t.keyword, t.interviews) for t in themes] == [("開源", 2), ("AGI", 2), ("companies", 2)]


def test_a_theme_named_in_chinese_and_in_english_is_one_theme_shown_both_ways() -> None:
    """A week of a Chinese and an English AI interview had '模型' and 'models', '公司' and 'companies' as four
    themes of one interview each; they are two themes of both, shown as each language writes them."""
    themes = week_themes(
        [
            interview(1, keywords=["模型", "公司", "机器人"]),
            interview(2, keywords=["models", "companies", "teaching"]),
            interview(3, keywords=["model", "teach", "teaching"]),  # one theme of this interview, not two
        ]
    )
    assert [(t.keyword, t.interviews) for t in themes][:3] == [
        ("模型 / models", 3),
        ("公司 / companies", 2),
        ("teaching", 2),
    ]
    assert {t.keyword for t in themes[3:]} == {"机器人"}


def _all_text(payloads: list[dict]) -> str:
    return "\n".join(f"{e['title']}\n{e['description']}" for p in payloads for e in p["embeds"])


def _assert_within_limits(payloads: list[dict]) -> None:
    for payload in payloads:
        assert payload["allowed_mentions"] == {"parse": []}
        assert len(payload.get("content") or "") <= CONTENT_LIMIT
        assert 1 <= len(payload["embeds"]) <= EMBEDS_PER_MESSAGE
        assert sum(embed_size(e) for e in payload["embeds"]) <= EMBED_TOTAL_LIMIT
        for embed in payload["embeds"]:
            assert len(embed["title"]) <= TITLE_LIMIT
            assert len(embed.get("description", "")) <= DESCRIPTION_LIMIT
            assert len(embed.get("fields", [])) <= FIELDS_PER_EMBED
            assert all(len(f["value"]) <= FIELD_VALUE_LIMIT for f in embed.get("fields", []))


def test_a_huge_digest_is_split_into_messages_within_limits_without_losing_words() -> None:
    long_point = " ".join(f"word{i}" for i in range(900))  # ~7,000 characters in one key point
    interviews = [
        interview(n, points=[KeyPoint(long_point, "Alice"), KeyPoint(f"short point {n}", "Bob")], title="T" * 400)
        for n in range(1, 10)
    ]
    quote = Quote(1, 1, "Interview 1", "Alice", "x" * 5000, None)  # one unbreakable 5,000-character "word"
    digest = compose_digest(LibraryState(interviews, quote), since=NOW - timedelta(days=1), now=NOW)
    payloads = render_digest(digest)
    assert len(payloads) > 1
    _assert_within_limits(payloads)
    text = _all_text(payloads)
    words = re.findall(r"word\d+", text)
    assert words.count("word899") == 9 and len(words) == 9 * 900  # every word of every point, none cut
    assert text.count("x") >= 5000  # the unbreakable word is carried over, not dropped
    assert "…" in payloads[0]["embeds"][1]["title"]  # an over-long title shows that it was shortened


def test_more_than_ten_new_interviews_are_counted_not_dropped_silently() -> None:
    state = LibraryState([interview(n, at=NOW - timedelta(minutes=n)) for n in range(1, 14)])
    digest = compose_digest(state, since=NOW - timedelta(days=1), now=NOW)
    assert len(digest.interviews) == 10 and digest.more_interviews == 3
    text = _all_text(render_digest(digest))
    assert "13 new interviews" in text and "3 more" in text


def test_transcript_text_cannot_mention_or_restyle() -> None:
    evil = "@everyone look **here** <@123456789012345678> <@&987654321098765432> __under__ `code` @here"
    digest = compose_digest(
        LibraryState(
            [interview(1, points=[KeyPoint(evil, "@here")], title="**Loud** @everyone")],
            Quote(1, 1, "T", "Bob <@42>", evil, None),
        ),
        since=NOW - timedelta(days=1),
        now=NOW,
    )
    text = _all_text(render_digest(digest))
    assert "@everyone" not in text and "@here" not in text
    assert not re.search(r"<@[!&]?\d", text)
    assert "**here**" not in text and "__under__" not in text and "**Loud**" not in text
    assert "\\*\\*here\\*\\*" in text  # escaped, still readable
    assert neutralize("plain words stay plain") == "plain words stay plain"


def test_words_cut_inside_a_sentence_are_marked_as_an_excerpt() -> None:
    # a diarized, unpunctuated transcript: its points and quote start and stop mid-sentence
    cut = "did art only because I enjoyed and then with COVID the money started to flow around"
    whole = "I fell in love immediately."
    digest = compose_digest(
        LibraryState(
            [interview(1, points=[KeyPoint(cut, "Speaker 0"), KeyPoint(whole, "Speaker 1")])],
            Quote(1, 1, "T", "Speaker 0", cut, None),
        ),
        since=NOW - timedelta(days=1),
        now=NOW,
    )
    text = _all_text(render_digest(digest))
    assert f"“…{cut}…”" in text and f"> …{cut}…" in text
    assert f"“{whole}”" in text


def test_numbered_speakers_are_counted_not_listed_when_there_are_many() -> None:
    """An Oxide and Friends episode's digest read "With: Kendall, Speaker 2, Kato, Bamik, Josh, Speaker 6, Speaker
    7, Brian, Speaker 10, Speaker 11, Speaker 12"; two numbered speakers are still named."""
    panel = ["Kendall", "Speaker 2", "Kato", "Speaker 6", "Brian", "SPEAKER_10", "Speaker 11"]
    many = replace(interview(1), participants=panel)
    two = replace(interview(2), participants=["Ann Lee", "Speaker 2"])
    text = _all_text(render_digest(compose_digest(LibraryState([many, two]), since=NOW - timedelta(days=1), now=NOW)))
    assert "**With:** Kendall, Kato, Brian and 4 unnamed speakers" in text, text
    assert "**With:** Ann Lee, Speaker 2" in text


def test_split_text_prefers_line_then_word_boundaries() -> None:
    assert split_text("aaa bbb\nccc ddd", 9) == ["aaa bbb", "ccc ddd"]
    assert split_text("aaa bbb ccc", 8) == ["aaa bbb", "ccc"]
    assert split_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_split_text_cuts_runs_without_spaces_where_a_reader_would() -> None:
    run = "字" * 30
    assert split_text(f"• “{run}”", 10)[0] == "• “字字字字字字字"  # not a lone bullet before the run
    assert split_text("第一句话很长。第二句话也很长。", 10) == ["第一句话很长。", "第二句话也很长。"]
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # one grapheme of five code points
    assert split_text("ab" + family * 3, 9) == ["ab" + family, family, family]
    assert split_text("> " + "x" * 12, 8) == ["> xxxxxx", "> xxxxxx"]  # a block quote continues as one


def test_the_quote_of_the_day_is_a_whole_thought_of_a_guest() -> None:
    """Passages of real transcripts a quote of the day showed before stop 56: cut off by a caption's end, pointing
    back at what came before, a show's sign-off in a guest's turn. A whole sentence that stands alone is still one."""
    roles = Roles(frozenset({"Marie", "曹国"}), "Host")
    assert quotable("And just to, just to keep learning fun. That's", "Marie", roles) is None
    assert quotable("That was the reason. Not the money.", "Marie", roles) is None
    closing = "好，那各位朋友，以上就是本期的全部内容，感谢各位的观看，也感谢现场观众的参与，我们下期再见啦，拜拜。"
    assert quotable(closing, "曹国", roles) is None
    whole = "Discuss your problems or collaborate with them. Everyone explains things differently."
    assert quotable("Yeah. " + whole, "Marie", roles) == whole
    assert quotable("我一般会在三个项目里面经历三次极限，游泳到三千米的时候最痛苦。", "曹国", roles)
    assert quotable(whole, "Host", roles) is None
    told = "一五年的时候，我到美国看了Costco，很兴奋。"  # a reply and an announcement before it are not the quote
    assert quotable("是。你说太对了。对，我讲讲吧。" + told, "曹国", roles) == told


async def test_quote_of_the_day_does_not_repeat_until_the_library_is_exhausted(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides"), utc(2026, 1, 1))
    service = await world.service()
    for channel in (10, 20):
        await service.subscribe(
            guild_id=1,
            channel_id=channel,
            local_time="09:00",
            timezone="Europe/Berlin",
            created_by=5,
            skip_when_nothing_new=False,
        )
    quotes: dict[int, list[str]] = {10: [], 20: []}
    for day in range(2, 12):  # three quotable passages (Bob's question is not one), ten days
        await service.run_due(utc(2026, 2, day, 8))
        for post in world.sender.posts:
            embed = next(e for e in post.payload["embeds"] if e["title"] == "Quote of the day")
            quotes[post.channel_id].append(embed["description"].split("\n— ")[0])
        world.sender.posts.clear()
    for seen in quotes.values():
        assert len(seen) == 10 and not any("?" in quote for quote in seen)
        assert len(set(seen[:3])) == 3  # every quotable passage once before any repeats
        assert set(seen[3:6]) == set(seen[:3])  # then a new round over the same passages
        assert len(set(seen[3:6])) == 3
    assert quotes[10] != quotes[20]  # each channel has its own rotation (stable per channel and day)


async def _a_week_of_quotes(world: World, asked: str, said: list[str]) -> list[str]:
    """Six days of one channel's quotes of the day from a transcript where Bob asks `asked` before each of
    Alice's answers `said`."""
    world.clock.now = utc(2026, 2, 1, 12)
    lines = [f"Bob: {asked}\nAlice: {words}" for words in said]
    await world.add("answers.txt", ("\n".join(lines) + "\n").encode(), utc(2026, 1, 1))
    service = await world.service()
    await service.subscribe(
        guild_id=1, channel_id=10, local_time="09:00", timezone="UTC", created_by=5, skip_when_nothing_new=False
    )
    seen = []
    for day in range(2, 8):
        await service.run_due(utc(2026, 2, day, 9))
        post = world.sender.posts.pop()
        embed = next(e for e in post.payload["embeds"] if e["title"] == "Quote of the day")
        seen.append(embed["description"].split("\n— ")[0].strip("> “”"))
    return seen


async def test_the_quote_of_the_day_is_a_statement_before_a_reply_or_a_check_in(world: World) -> None:
    """A library's quotes of the day included 'Yeah, I hear good things about the distro as an experience.' (a
    reply) and 'Does that make sense? 90% agreement look good on paper…' (a check-in): quotable, but poor alone.
    Such passages are shown only once the statements of a round are (a channel still sees every passage)."""
    statements = [
        "The harbour silts up every winter, so the dredgers work from November to March.",
        "Eels cross the whole Atlantic to spawn in the Sargasso Sea, and nobody has seen it happen.",
        "Salt marshes store more carbon per acre than any forest we have measured on this coast.",
    ]
    others = [
        "Yeah, I hear good things about the new harbour master and her plans for the quay.",
        "Does that make sense? The tide tables for the estuary are printed every spring.",
        "Sure, the lighthouse keepers kept their own weather logs for a hundred years.",
    ]
    seen = await _a_week_of_quotes(world, "What do you see on the coast, day to day?", [*others, *statements])
    assert [quote in statements for quote in seen] == [True] * 3 + [False] * 3, seen
    assert set(seen) == {*statements, *others}


async def test_the_quote_of_the_day_is_the_least_rough_of_the_day_s_candidates(world: World) -> None:
    """Sentences of Oxide and Friends' speech-to-text 'On Code Review': the rough ones (a restart, a stutter, a
    filler) were quotes of the day, though the same speakers also said things an editor would print as they are.
    Those come first; the rough ones only once a channel has seen them."""
    clean = [
        "It is really tough when you are looking at someone's code that's in production, and you're thinking to "
        "yourself, I think I'm the first person that's ever looked at this.",
        "And in fact, online code reviews, when they came out in the Surlyard's kernel group, were hugely "
        "controversial.",
        "And this is one of the things that I've actually gotten a huge amount from doing in person reviews.",
    ]
    rough = [
        "And people are disconnected from the consequences of, which I think is a an interesting way of connecting "
        "people. And I like the video.",
        "I've seen the consequences of of the negative advice or the absence of some of those things too.",
        "Or if you don't have an approval, you should have, like, a really good reason why you don't.",
    ]
    seen = await _a_week_of_quotes(world, "How do you review code?", [*rough, *clean])
    assert [quote in clean for quote in seen] == [True] * 3 + [False] * 3, seen
    assert set(seen) == {*clean, *rough}


async def test_quote_scope_follows_the_subscriptions_speaker(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("tides.txt", transcript("tides", first="Grace Hopper", second="Alan Turing"), utc(2026, 1, 1))
    service = await world.service()
    await service.subscribe(
        guild_id=1,
        channel_id=10,
        local_time="09:00",
        timezone="UTC",
        created_by=5,
        speaker="Hopper",
        skip_when_nothing_new=False,
    )
    for day in range(2, 6):
        await service.run_due(utc(2026, 2, day, 9))
    speakers = {
        name
        for p in world.sender.posts
        for e in p.payload["embeds"]
        if e["title"] == "Quote of the day"
        for name in re.findall(r"\*\*([^*]+)\*\*", e["description"])
    }
    assert speakers == {"Grace Hopper"}


async def test_preview_shows_what_would_be_posted_and_records_nothing(world: World) -> None:
    world.clock.now = utc(2026, 2, 2, 7)
    await world.add("tides.txt", transcript("tides", extra="@everyone **now**"), utc(2026, 2, 2, 6))
    service = await world.service()
    preview = await service.preview(since=utc(2026, 2, 1))
    assert "tides" in preview.text() and "@everyone" not in preview.text()
    data = preview.to_json()
    assert data["messages"] == preview.payloads and data["digest"]["interviews"][0]["title"]
    assert (await service.preview(since=utc(2026, 2, 2, 6, 30))).digest.nothing_new
    with pytest.raises(SubscriptionError, match="99"):
        await service.preview(channel_id=99)
    assert world.sender.posts == []


async def test_topic_scope_keeps_interviews_on_the_topic_by_the_speaker(world: World) -> None:
    """The topic is matched as topic summaries match it (here by its words: no model); with a speaker, only what
    that speaker said about it counts."""
    world.clock.now = utc(2026, 2, 2, 7)
    at = utc(2026, 2, 2, 6)
    tides = await world.add("tides.txt", transcript("tidal energy", first="Grace Hopper", second="Alan Turing"), at)
    await world.add("gardens.txt", transcript("rooftop gardens", first="Grace Hopper", second="Alan Turing"), at)
    aside = transcript("chess", first="Alan Turing", second="Grace Hopper", extra="Tidal energy is not my field.")
    chess = await world.add("chess.txt", aside, at)  # Hopper talks here, but only Turing mentions the topic
    service = await world.service()
    for channel, speaker, expected in ((10, None, {tides, chess}), (20, "hopper", {tides})):
        await service.subscribe(guild_id=1, channel_id=channel, local_time="09:00", timezone="UTC", created_by=5,
                                speaker=speaker, topic="tidal energy")  # fmt: skip
        digest = (await service.preview(guild_id=1, channel_id=channel, since=utc(2026, 2, 1))).digest
        assert {i.id for i in digest.interviews} == expected, speaker
        assert digest.quote is not None and "tidal energy" in digest.quote.text.casefold()


async def test_a_question_is_never_the_quote_of_the_day(world: World) -> None:
    world.clock.now = utc(2026, 2, 1, 12)
    asks = (
        b"Host: If it turned out that we never really created anything new, and only recombined what we had, "
        b"would that change your core beliefs about progress and about the work you do every single day?\n"
        b"Guest: No. Tides have been measured at this harbour since 1850, and the records show the sea rising "
        b"three millimetres a year.\n"
        b"Host: Yeah.\n"
        b"Guest: The harbour authority decided in 2019 to raise the sea wall by forty centimetres before 2030.\n"
    )
    await world.add("asks.txt", asks, utc(2026, 1, 1))
    service = await world.service()
    for day in range(2, 8):
        digest = await service.compose(models.GLOBAL_LIBRARY, None, since=utc(2026, 2, day), now=utc(2026, 2, day, 9))
        assert digest.quote is not None and digest.quote.speaker == "Guest"
        assert "?" not in digest.quote.text and "Yeah" not in digest.quote.text


async def test_the_digest_of_the_bundled_samples_has_no_filler_point(world: World) -> None:
    for name, data in SAMPLES:
        await world.add(name, data, utc(2026, 2, 1, 6))
    service = await world.service()
    digest = await service.compose(models.GLOBAL_LIBRARY, None, since=utc(2026, 2, 1), now=utc(2026, 2, 1, 9))
    points = [p.text for i in digest.interviews for p in i.points]
    assert len(digest.interviews) == 5 and len(points) >= 10
    assert filler_points(points) == [], filler_points(points)
    assert digest.quote is not None and stands_alone(digest.quote.text)


def test_the_quote_of_the_day_names_its_speaker_once_when_the_title_was_made_from_them() -> None:
    """An untitled upload's title is made from its guest ('周敏 — 工作, 远程'); under the quote it follows her name."""
    digest = compose_digest(
        LibraryState([interview(1)], Quote(1, 1, "周敏 — 工作, 远程", "周敏", "是偶然的对话。", None, "2025-01-02")),
        since=NOW - timedelta(days=1),
        now=NOW,
    )
    text = _all_text(render_digest(digest))
    assert "— **周敏**, *工作, 远程* (2025-01-02)" in text and "周敏 — 工作" not in text


# the city-bees talk of UNLABELLED_RADIO, in a file that names its speakers
LABELLED_BEES = (
    b"Bo Kim: What do wild bees need from a city garden?\n"
    b"Ann Lee: Wild bees need bare soil to nest in, because most of them dig their nests in the ground.\n"
    b"Bo Kim: And what should people plant for them?\n"
    b"Ann Lee: Plant native flowers that bloom from early spring to late autumn, so there is always food.\n"
)


async def test_a_digest_says_when_its_speakers_were_inferred(world: World) -> None:
    """A file that named no one has its Host and Guest inferred from the text; the quote of the day and the key
    points say so beside the name, and a labelled file's do not."""
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("city-bees.txt", UNLABELLED_RADIO.encode(), utc(2026, 1, 31))
    service = await world.service()
    digest = await service.compose(models.GLOBAL_LIBRARY, None, since=utc(2026, 1, 30), now=utc(2026, 2, 1, 9))
    assert digest.quote is not None and digest.quote.speaker_inferred
    [bees] = digest.interviews
    assert bees.points and all(p.speaker_inferred for p in bees.points if p.speaker)
    text = _all_text(render_digest(digest))
    assert f"— **{digest.quote.speaker}** (speaker inferred)" in text
    assert "* (speaker inferred)" in text  # after a key point's italic name

    await world.add("labelled.txt", LABELLED_BEES, utc(2026, 2, 1))
    labelled = await service.compose(models.GLOBAL_LIBRARY, None, since=utc(2026, 1, 31, 12), now=utc(2026, 2, 1, 9))
    shown = _all_text(render_digest(labelled))
    assert "— *Ann Lee*" in shown and "*Ann Lee* (speaker inferred)" not in shown


async def test_the_quote_of_the_day_is_a_named_speaker_s_before_an_inferred_one(world: World) -> None:
    """A day's quote is shown alone; where the library holds files that name their speakers, it is taken from
    them before any file whose speakers were inferred from the text (a host's words may be the guest's there)."""
    world.clock.now = utc(2026, 2, 1, 12)
    await world.add("city-bees.txt", UNLABELLED_RADIO.encode(), utc(2026, 1, 30))
    await world.add("labelled.txt", LABELLED_BEES, utc(2026, 1, 31))
    service = await world.service()
    speakers = set()
    for day in range(2, 12):
        digest = await service.compose(models.GLOBAL_LIBRARY, None, since=utc(2026, 1, 1), now=utc(2026, 2, day, 9))
        assert digest.quote is not None
        speakers.add((digest.quote.speaker, digest.quote.speaker_inferred))
    assert speakers == {("Ann Lee", False)}
