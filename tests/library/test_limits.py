"""Both backends accept and refuse the same things: long names and titles are cut with a warning, impossible ids and
over-long new names are refused in one line (PostgreSQL enforces varchar lengths and 32-bit ids, SQLite would not)."""

from __future__ import annotations

import json

import pytest

from bot.library.service import Library, NotFoundError, RefusedError

LONG_NAME = ("Maximilian " * 30).strip()  # 329 characters


def whisper_with_long_values() -> bytes:
    segments = [
        {"start": 0, "end": 2, "text": "Hello there, and welcome to the show.", "speaker": LONG_NAME},
        {"start": 2, "end": 4, "text": "Thanks for having me, it is good to be here.", "speaker": "Bo"},
        {"start": 4, "end": 6, "text": "Let us start with your first company.", "speaker": LONG_NAME},
    ]
    return json.dumps({"title": "T" * 600, "segments": segments}).encode()


async def test_long_names_and_titles_are_cut_with_a_warning(library: Library) -> None:
    outcome = await library.ingest(whisper_with_long_values(), "long.json")
    assert outcome.status == "ingested", outcome.message
    assert "1 speaker name longer than 256 characters cut" in outcome.warnings
    detail = await library.interview(outcome.interview_id or 0)
    assert 0 < len(detail.info.title or "") <= 512
    speakers = [t.speaker for t in detail.turns]
    assert speakers[0] == speakers[2] == LONG_NAME[:255] + "…" and speakers[1] == "Bo"
    assert {p["name"] for p in detail.info.participants} == {LONG_NAME[:255] + "…", "Bo"}


async def test_an_over_long_source_name_is_refused(library: Library) -> None:
    outcome = await library.ingest(whisper_with_long_values(), "/" + "x" * 1100)
    assert outcome.failed and "the source name is over 1,024 characters" in outcome.message
    assert await library.interviews() == []


async def test_renames_are_refused_alike(library: Library) -> None:
    outcome = await library.ingest(whisper_with_long_values(), "long.json")
    with pytest.raises(RefusedError, match="the new name is 10,000 characters; names are at most 256"):
        await library.rename_speaker("Bo", "B" * 10_000)
    with pytest.raises(RefusedError, match="the new name is empty"):
        await library.rename_speaker("Bo", "  \t ")
    assert await library.rename_speaker("Bo", "B" * 256) == 1
    detail = await library.interview(outcome.interview_id or 0)
    assert detail.turns[1].speaker == "B" * 256


@pytest.mark.parametrize("interview_id", [0, -1, 2**31, 2**63, 10**30])
async def test_impossible_ids_are_not_found(library: Library, interview_id: int) -> None:
    await library.ingest(whisper_with_long_values(), "long.json")
    with pytest.raises(NotFoundError, match=f"no interview with id {interview_id}"):
        await library.interview(interview_id)
    with pytest.raises(NotFoundError):
        await library.remove(interview_id)
    with pytest.raises(NotFoundError):
        await library.rename_speaker("Bo", "Bo Chen", interview_id=interview_id)
    assert len(await library.interviews()) == 1
