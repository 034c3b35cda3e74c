"""Real exports in other formats (../shared/corpus) ingest with their speakers."""

from __future__ import annotations

import pytest

from bot import PROJECT_ROOT
from bot.ingest import load_aliases, parse_transcript
from tests.conftest import shared_or_skip

ALIASES = load_aliases(PROJECT_ROOT / "config" / "speakers.toml")


def corpus(prefix: str):  # type: ignore[no-untyped-def]
    path = next(shared_or_skip("corpus").glob(f"{prefix}_*"))
    return parse_transcript(path.read_bytes(), path.name, aliases=ALIASES)


def test_otter_export() -> None:
    transcript = corpus("01")
    assert transcript.format == "header"
    assert {"Emma", "Kelly", "Sidney", "Unknown Speaker"} <= set(transcript.participants)
    assert "Taylor" in transcript.participants  # the guest's label 'Tailor' is the Taylor the host introduces
    assert transcript.turns[1].start == 34.0
    text = "\n".join(t.text for t in transcript.turns)
    assert "otter.ai" not in text and "shopify.com slash careers" not in text.lower()


def test_srt_with_inline_names() -> None:
    transcript = corpus("04")
    assert set(transcript.participants) == {"Bekah Hawrot Weigel", "Dan Ott", "Reda"}
    text = "\n".join(t.text for t in transcript.turns)
    assert "[Chuckles]" not in text and "-->" not in text
    assert all(t.start is not None and t.end is not None for t in transcript.turns)


def test_diarized_whisper_json() -> None:
    transcript = corpus("05")
    assert transcript.format == "whisper-json"
    assert set(transcript.participants) == {"Speaker 0", "Speaker 1"}
    assert transcript.turns[0].start == pytest.approx(0.0, abs=60)


def test_rev_style_markdown() -> None:
    transcript = corpus("08")
    assert transcript.participants.keys() == {"Lenny Rachitsky", "Shreya Shankar", "Hamel Husain"}
    counts = transcript.participants
    assert abs(counts["Lenny Rachitsky"] - 145) <= 10 and abs(counts["Shreya Shankar"] - 96) <= 10
    assert transcript.title and "evals" in transcript.title
