"""`colloquy bench parse`: parsing time of ever larger unlabelled SRT files, to show it grows linearly."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.ingest import parse_transcript
from bot.text.passages import build_passages

_WORDS = ["the", "tide", "moves", "almost", "five", "metres", "between", "low", "and", "high", "water", "so",
          "loaded", "boats", "wait", "for", "it", "in", "the", "harbour"]  # fmt: skip


def unlabelled_srt(cues: int) -> bytes:
    """An SRT file of `cues` two-second cues without any speaker label, a full stop every third cue."""
    out = []
    for i in range(1, cues + 1):
        start = 2 * i
        stamp = f"{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d}"
        words = " ".join(_WORDS[(i + k) % len(_WORDS)] for k in range(8))
        out.append(f"{i}\n{stamp},000 --> {stamp},900\n{words}{'.' if i % 3 == 0 else ''}\n")
    return "\n".join(out).encode()


@dataclass(frozen=True)
class ParseTiming:
    """One size: the file, and the seconds spent parsing it and cutting its passages."""

    cues: int
    size: int
    parse_seconds: float
    passage_seconds: float
    passages: int

    @property
    def microseconds_per_cue(self) -> float:
        """Parse and passages together, per cue: constant when the work grows linearly."""
        return (self.parse_seconds + self.passage_seconds) / self.cues * 1e6


def time_parse(cues: int) -> ParseTiming:
    """Parse one synthetic file of `cues` cues and cut its passages, timed."""
    data = unlabelled_srt(cues)
    started = time.perf_counter()
    transcript = parse_transcript(data, "bench.srt")
    parsed = time.perf_counter()
    passages = build_passages(transcript.turns)
    done = time.perf_counter()
    return ParseTiming(cues, len(data), parsed - started, done - parsed, len(passages))
