"""The library stores each transcript in one transaction: repeat-safe, replace-on-change, nothing lost on failure."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.library import models
from bot.library.service import Library, NotFoundError

FIRST = (
    "Alice: We started the company in a garage in 2019.\nBob: How many people were there?\nAlice: Just three of us.\n"
)
CHANGED = FIRST + "Bob: And now?\nAlice: Now we are two hundred people across four offices.\n"


async def _count(library: Library, table: type[models.Base]) -> int:
    async with library.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def test_ingest_stores_turns_and_passages(library: Library) -> None:
    outcome = await library.ingest(FIRST.encode(), "talk.txt")
    assert outcome.status == "ingested"
    detail = await library.interview(outcome.interview_id)
    assert [t.speaker for t in detail.turns] == ["Alice", "Bob", "Alice"]
    assert detail.turns[0].text == "We started the company in a garage in 2019."
    assert {p["name"]: p["turns"] for p in detail.info.participants} == {"Alice": 2, "Bob": 1}
    assert await _count(library, models.Passage) >= 3


async def test_same_file_again_changes_nothing(library: Library) -> None:
    first = await library.ingest(FIRST.encode(), "talk.txt")
    again = await library.ingest(FIRST.encode(), "talk.txt")
    assert again.status == "unchanged" and again.interview_id == first.interview_id
    assert await _count(library, models.Interview) == 1
    assert await _count(library, models.Turn) == 3


async def test_changed_file_replaces_its_earlier_version(library: Library) -> None:
    await library.ingest(FIRST.encode(), "talk.txt")
    outcome = await library.ingest(CHANGED.encode(), "talk.txt")
    assert outcome.status == "replaced"
    assert await _count(library, models.Interview) == 1
    assert await _count(library, models.Turn) == 5
    listed = await library.interviews()
    assert [i.id for i in listed] == [outcome.interview_id]


async def test_failed_ingest_leaves_library_as_it_was(library: Library) -> None:
    await library.ingest(FIRST.encode(), "talk.txt")
    before = [await _count(library, t) for t in (models.Interview, models.Turn, models.Passage)]
    bad = await library.ingest(b"\x00\x01\x02\xff\xfe binary \x00" * 50, "talk.txt")
    assert bad.failed and "talk.txt" in bad.message
    after = [await _count(library, t) for t in (models.Interview, models.Turn, models.Passage)]
    assert after == before


async def test_error_while_storing_rolls_back(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the old version was deleted must not lose it: one transaction."""
    await library.ingest(FIRST.encode(), "talk.txt")

    def explode(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("bot.library.service._rows_for", explode)
    outcome = await library.ingest(CHANGED.encode(), "talk.txt")
    assert outcome.failed and "disk full" in outcome.message
    listed = await library.interviews()
    assert len(listed) == 1 and listed[0].participants == [{"name": "Alice", "turns": 2}, {"name": "Bob", "turns": 1}]
    assert await _count(library, models.Turn) == 3


async def test_file_over_the_size_limit_is_refused(library: Library) -> None:
    small = Library(library.sessions, max_bytes=10)
    outcome = await small.ingest(FIRST.encode(), "talk.txt")
    assert outcome.failed and "limit" in outcome.message
    assert await _count(library, models.Interview) == 0


async def test_guild_uploads_are_invisible_to_other_guilds(library: Library) -> None:
    mine = await library.ingest(FIRST.encode(), "talk.txt", guild_id=111)
    assert [i.id for i in await library.interviews(guild_ids={0, 111})] == [mine.interview_id]
    assert await library.interviews(guild_ids={0, 222}) == []
    with pytest.raises(NotFoundError):
        await library.interview(mine.interview_id, guild_ids={0, 222})


async def test_rename_speaker(library: Library) -> None:
    outcome = await library.ingest(b"Speaker 0: Hello there.\nSpeaker 1: Hi, welcome.\n", "d.txt")
    count = await library.rename_speaker("Speaker 1", "Dana", interview_id=outcome.interview_id)
    assert count == 1
    detail = await library.interview(outcome.interview_id)
    assert [t.speaker for t in detail.turns] == ["Speaker 0", "Dana"]
    assert [p["name"] for p in detail.info.participants] == ["Speaker 0", "Dana"]
    with pytest.raises(NotFoundError):
        await library.rename_speaker("Nobody", "X")


async def test_remove_deletes_everything_of_an_interview(library: Library) -> None:
    outcome = await library.ingest(FIRST.encode(), "talk.txt")
    await library.remove(outcome.interview_id)
    assert [await _count(library, t) for t in (models.Interview, models.Turn, models.Passage)] == [0, 0, 0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "binary"),
        ("司会：今日はよろしくお願いします。\n田中：こちらこそ。\n".encode("shift_jis"), "cannot decode"),
        (b'{"name": "colloquy", "version": "1.0"}', "Whisper"),
        (b"Home\nMenu\nSubscribe\nPrivacy Policy | Terms\n", "no transcript text"),
        (b'<?xml version="1.0"?><rss><channel/></rss>', "not a transcript"),
        (b'Speaker,Text\nAna,"' + b"word " * 30_000 + b'"\n', "a table that cannot be read"),
        (b"Speaker,Start,Text\n", "no transcript text"),
        (b'<!DOCTYPE html><html><body><div id="app"></div><script>render()</script></body></html>', "no text in it"),
    ],
)
async def test_bad_input_fails_with_one_line_and_leaves_the_library_as_it_was(
    library: Library, content: bytes, reason: str
) -> None:
    await library.ingest(FIRST.encode(), "talk.txt")
    before = [await _count(library, t) for t in (models.Interview, models.Turn, models.Passage)]
    outcome = await library.ingest(content, "talk.txt")
    assert outcome.failed and reason in outcome.message and "\n" not in outcome.message
    assert [await _count(library, t) for t in (models.Interview, models.Turn, models.Passage)] == before
    assert [p["name"] for p in (await library.interviews())[0].participants] == ["Alice", "Bob"]


async def test_unknown_format_is_refused(library: Library) -> None:
    outcome = await library.ingest(FIRST.encode(), "talk.txt", fmt="docx")
    assert outcome.failed and "unknown format 'docx'" in outcome.message
    assert await _count(library, models.Interview) == 0


async def test_a_parser_crash_fails_that_file_only(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object, **_kwargs: object) -> None:
        raise ValueError("unexpected layout\nsecond line")

    monkeypatch.setattr("bot.library.service.parse_transcript", crash)
    outcome = await library.ingest(FIRST.encode(), "talk.txt")
    assert outcome.failed and "ValueError: unexpected layout" in outcome.message and "\n" not in outcome.message
    assert await _count(library, models.Interview) == 0


async def test_no_detectable_speakers_is_stored_as_one_inferred_speaker_with_a_warning(library: Library) -> None:
    outcome = await library.ingest(b"This is just prose.\nIt has no speakers at all.\n", "essay.txt")
    assert outcome.status == "ingested" and any("inferred from the text" in w for w in outcome.warnings)
    detail = await library.interview(outcome.interview_id)
    assert [(t.speaker, t.speaker_inferred) for t in detail.turns] == [("Speaker 1", True)]
    labelled = await library.ingest(b"Ann Lee: Hello.\nBo Chen: Hi.\n", "labelled.txt")
    assert not any(t.speaker_inferred for t in (await library.interview(labelled.interview_id)).turns)


async def test_caption_times_are_stored_per_turn(library: Library) -> None:
    srt = "1\n00:00:01,000 --> 00:00:03,000\nAnn Lee: Hello.\n\n2\n00:01:02,500 --> 00:01:04,000\nBo Chen: Hi.\n"
    outcome = await library.ingest(srt.encode(), "c.srt")
    detail = await library.interview(outcome.interview_id)
    assert [(t.speaker, t.start, t.end) for t in detail.turns] == [("Ann Lee", 1.0, 3.0), ("Bo Chen", 62.5, 64.0)]
