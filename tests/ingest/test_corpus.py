"""Real exports in other formats (../shared/corpus) ingest with their speakers."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape

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
    """Its numbered voices change inside sentences at 127 of 149 changes (the guest's childhood story went to
    "Speaker 0" and "Speaker 1" by turns): the host and the guest are told from the text instead, and the guest
    is the Claudio the host welcomes ("and yeah Claudio, so happy to have you on"; until stop 53 "Guest")."""
    transcript = corpus("05")
    assert transcript.format == "whisper-json"
    assert set(transcript.participants) == {"Host", "Claudio"}
    assert transcript.title.startswith("Claudio — ")  # the guest, not a bare role
    assert "127 of 149" in transcript.warnings[0]
    assert transcript.turns[0].start == pytest.approx(0.0, abs=60)
    said = {who: " ".join(t.text for t in transcript.turns if t.speaker == who) for who in ("Host", "Claudio")}
    assert "welcome everyone to another episode of Waiting to Be Signed" in said["Host"]
    for guest in ("Hi, nice to be here.", "My first encounter with computers", "I fell in love immediately."):
        assert guest in said["Claudio"]


def test_rev_style_markdown() -> None:
    transcript = corpus("08")
    assert transcript.participants.keys() == {"Lenny Rachitsky", "Shreya Shankar", "Hamel Husain"}
    counts = transcript.participants
    assert abs(counts["Lenny Rachitsky"] - 145) <= 10 and abs(counts["Shreya Shankar"] - 96) <= 10
    assert transcript.title and "evals" in transcript.title


def _stamp(seconds: float | None) -> str:
    minutes, rest = divmod(seconds or 0.0, 60)
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}:{rest:06.3f}"


def _written_as(fmt: str, turns: list[tuple[str, str, float | None, float | None]]) -> bytes:
    """A transcript's turns as another tool would export them: a CSV, a feed's JSON, TTML, a Markdown table, lines."""
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([["Speaker", "Start Time", "End Time", "Text"], *[
            [who, _stamp(start), _stamp(end), words] for who, words, start, end in turns
        ]])  # fmt: skip
        return out.getvalue().encode()
    if fmt == "json":
        segments = [
            {"speaker": who, "startTime": start, "endTime": end, "body": words} for who, words, start, end in turns
        ]
        return json.dumps({"version": "1.0.0", "segments": segments}).encode()
    if fmt == "ttml":
        cues = "".join(
            f'<p begin="{_stamp(start)}" end="{_stamp(end)}" ttm:agent="{escape(who)}">{escape(words)}</p>'
            for who, words, start, end in turns
        )
        return (
            '<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata">'
            f"<body><div>{cues}</div></body></tt>"
        ).encode()
    if fmt == "txt":
        return "\n\n".join(f"{who}: {words}" for who, words, _, _ in turns).encode()
    if fmt == "ass":  # times from the transcript, or three seconds a turn where it has none (as captions would)
        times = [start if start is not None else 3.0 * k for k, (_, _, start, _) in enumerate(turns)]
        events = "".join(
            f"Dialogue: 0,{_stamp(at)[1:11]},{_stamp(at + 2)[1:11]},Default,{who},0,,{words}\n"
            for (who, words, _, _), at in zip(turns, times, strict=True)
        )
        head = "[Script Info]\nTitle: Talk\n\n[Events]\nFormat: Layer, Start, End, Style, Name, Margin, Effect, Text"
        return f"{head}\n{events}".encode()
    if fmt == "stamped":
        return "\n".join(f"[{_stamp(start)[:8]}] {who}: {words}" for who, words, start, _ in turns).encode()
    rows = "".join(f"| {_stamp(start)} | {who} | {words} |\n" for who, words, start, end in turns)
    return f"| Time | Speaker | Text |\n|---|---|---|\n{rows}".encode()


@pytest.mark.parametrize("fmt", ["csv", "json", "ttml", "md", "txt", "stamped", "ass"])
@pytest.mark.parametrize("source", ["corpus/01", "corpus/04", "seeds/000"])
def test_a_real_transcript_exported_to_another_format_reads_back_the_same(source: str, fmt: str) -> None:
    """The same talk as a CSV, a podcast feed's JSON, TTML, a Markdown table or `Name: words` lines gives the same
    speakers and words. (Written out as TTML, Lenny Rachitsky came back as 'Lenny', the first word of the agent; as
    lines, Otter's 'Unknown Speaker' came back as 'Speaker', read as a role before a name; as `[00:00:12] Name:`
    lines, the guest who speaks once ran into the host's turn.)"""
    folder, prefix = source.split("/")
    path = next(shared_or_skip(folder).glob(f"{prefix}_*"))
    original = parse_transcript(path.read_bytes(), path.name, aliases=ALIASES)
    turns = [(t.speaker, t.text.replace("\n", " "), t.start, t.end) for t in original.turns]
    again = parse_transcript(_written_as(fmt, turns), f"talk.{fmt}", aliases=ALIASES)
    assert [(t.speaker, t.text.replace("\n", " ")) for t in again.turns] == [(who, words) for who, words, _, _ in turns]
