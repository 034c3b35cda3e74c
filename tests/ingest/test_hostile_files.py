"""Odd or hostile files: impossible times, deep JSON, one enormous line, huge unlabelled caption files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bot.ingest import IngestError, parse_transcript
from bot.text.passages import MAX_PASSAGE_WEIGHT, build_passages
from bot.text.sentences import text_weight

from .conftest import ingest_file


def whisper(*segments: str) -> str:
    """Whisper JSON written by hand, so that non-standard numbers (Infinity, 1e400) stay as the file has them."""
    return '{"segments": [' + ", ".join(segments) + "]}"


@pytest.mark.parametrize(
    "start",
    ["Infinity", "-Infinity", "NaN", "1e400", "1" + "0" * 400, "1" + "0" * 5000, "-5", '"-5"', "9e9"],
)
def test_impossible_times_are_dropped_with_a_warning(tmp_path: Path, start: str) -> None:
    text = whisper(
        f'{{"start": {start}, "end": 4.0, "text": "The tide moves five metres here.", "speaker": "Owen"}}',
        '{"start": 4.0, "end": 9.5, "text": "Then the boats wait for it.", "speaker": "Priya"}',
    )
    transcript = ingest_file(tmp_path, "odd.json", text)
    assert [(t.speaker, t.start, t.end) for t in transcript.turns] == [("Owen", None, 4.0), ("Priya", 4.0, 9.5)]
    assert any("1 time(s) dropped" in w for w in transcript.warnings), transcript.warnings


def test_impossible_milliseconds_are_dropped_too(tmp_path: Path) -> None:
    huge = "1" + "0" * 400
    cpp = {"transcription": [{"offsets": {"from": 0, "to": 2000}, "text": "Hello there."}]}
    text = json.dumps(cpp).replace('"from": 0', f'"from": {huge}')
    assert ingest_file(tmp_path, "cpp.json", text).turns[0].start is None
    tsv = f"start\tend\ttext\n{huge}\t2000\tHello there.\n2000\t4000\tAnd welcome.\n"
    assert [t.start for t in ingest_file(tmp_path, "w.tsv", tsv).turns] == [None]


@pytest.mark.parametrize("rate", ["0", "-5", "abc", "1e400"])
def test_a_ttml_tick_rate_that_is_no_rate_falls_back_to_the_default(tmp_path: Path, rate: str) -> None:
    ttml = (
        '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter" '
        f'ttp:tickRate="{rate}"><body><p begin="20000000t" end="3s">Hello there.</p></body></tt>'
    )  # 20 000 000 ticks at TTML's default rate of 10 MHz: 2 s (a rate of 0 divided by zero)
    assert [(t.start, t.end) for t in ingest_file(tmp_path, "x.ttml", ttml).turns] == [(2.0, 3.0)]


def test_deeply_nested_json_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="nested too deeply"):
        ingest_file(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)


def annes_passages(tmp_path: Path, words: str) -> list:
    """Passages of Ann's one enormous turn in a two-person dialogue."""
    transcript = ingest_file(tmp_path, "line.txt", f"Ann Lee: {words}\nBo Chen: Right.\n")
    return [p for p in build_passages(transcript.turns) if p.speaker == "Ann Lee"]


def test_one_enormous_line_becomes_many_bounded_passages(tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(40_000))  # one 'sentence' of ~290 KB, no full stop anywhere
    passages = annes_passages(tmp_path, words)
    assert max(text_weight(p.text) for p in passages) <= MAX_PASSAGE_WEIGHT
    assert " ".join(p.text for p in passages) == words  # cut between words, nothing lost


@pytest.mark.parametrize(
    ("run", "unit"),
    [
        ("x" * 50_000, "x"),  # a Latin run without spaces (a pasted hash, a URL)
        ("说" * 5_000, "说"),  # Chinese without punctuation
        ("e\u0301" * 5_000, "e\u0301"),  # a letter and its combining accent: one grapheme, two code points
        ("👩\u200d💻" * 3_000, "👩\u200d💻"),  # a ZWJ emoji sequence: one grapheme, three code points
    ],
)
def test_long_runs_without_spaces_are_cut_inside_at_grapheme_boundaries(tmp_path: Path, run: str, unit: str) -> None:
    passages = annes_passages(tmp_path, run)
    assert len(passages) > 1
    assert max(text_weight(p.text) for p in passages) <= MAX_PASSAGE_WEIGHT
    assert "".join(p.text for p in passages) == run
    assert all(p.text.startswith(unit) and p.text.endswith(unit) for p in passages)  # no grapheme split


def test_a_huge_bilingual_line_is_cut_on_both_sides(tmp_path: Path) -> None:
    chinese, english = "屋顶花园" * 2_000, " ".join(["rooftop gardens"] * 2_000)
    cues = [(chinese, english), ("好。", "Good."), ("谢谢。", "Thank you.")]
    text = "\n".join(f"{i}\n00:00:0{i},000 --> 00:00:0{i},900\n{zh}\n{en}\n" for i, (zh, en) in enumerate(cues, 1))
    transcript = ingest_file(tmp_path, "two.srt", text)
    assert transcript.turns[0].translation is not None  # read as bilingual captions
    passages = build_passages(transcript.turns)
    assert max(text_weight(f"{p.text} {p.translation}") for p in passages) <= MAX_PASSAGE_WEIGHT
    assert len(passages) > 100 and all(p.text and p.translation for p in passages)
    assert " ".join(p.text for p in passages).startswith(english)  # the English original, its Chinese translation
    assert "".join(p.translation or "" for p in passages).startswith(chinese)


def test_an_unlabelled_caption_file_joins_its_cues_in_order(tmp_path: Path) -> None:
    def stamp(i: int) -> str:
        return f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}"

    cues = [f"{i}\n{stamp(i)},000 --> {stamp(i)},900\nline {i}\n" for i in range(1, 3000)]
    transcript = parse_transcript("\n".join(cues).encode(), "big.srt")
    text = " ".join(t.text for t in transcript.turns).split()
    assert text[:4] == ["line", "1", "line", "2"] and text[-1] == "2999"
    assert math.isclose(transcript.turns[0].start or 0, 1.0)
