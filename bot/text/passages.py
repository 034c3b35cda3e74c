"""Cut turns into quote-sized passages: a sentence or a few, within one turn, never across speakers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.text.sentences import join_parts, split_sentences, text_weight


class Turn(Protocol):
    """What passages need of a turn (bot/ingest/transcript.py's Turn has it)."""

    speaker: str
    text: str
    lang: str
    translation: str | None


# Size in "CJK-equivalent characters": a CJK character counts 1, any other character 1/3
# (an English word of ~5 letters plus a space carries about as much as two Chinese characters).
MIN_WEIGHT = 45
MAX_WEIGHT = 140


@dataclass(frozen=True)
class PassageDraft:
    """A passage before it is stored: its place in the transcript and both language versions."""

    turn_idx: int
    position: int
    speaker: str
    lang: str
    text: str
    translation: str | None


def _group(units: list[str]) -> list[tuple[int, int]]:
    """Greedy spans over units: close a span once it is long enough or the next unit would overflow it."""
    spans: list[tuple[int, int]] = []
    start, weight = 0, 0.0
    for i, unit in enumerate(units):
        w = text_weight(unit)
        if i > start and weight + w > MAX_WEIGHT:
            spans.append((start, i))
            start, weight = i, 0.0
        weight += w
        if weight >= MIN_WEIGHT:
            spans.append((start, i + 1))
            start, weight = i + 1, 0.0
    if start < len(units):
        if spans and weight < MIN_WEIGHT / 3 and text_weight(" ".join(units[spans[-1][0] : spans[-1][1]])) < MAX_WEIGHT:
            spans[-1] = (spans[-1][0], len(units))  # a short tail joins the span before it
        else:
            spans.append((start, len(units)))
    return spans


def passages_for_turn(turn: Turn, turn_idx: int) -> list[PassageDraft]:
    """Passages of one turn; for bilingual turns line i of the text travels with line i of the translation."""
    if turn.translation is not None:
        lines = turn.text.split("\n")
        tlines = turn.translation.split("\n")
        if len(lines) == len(tlines):
            keep = [i for i, line in enumerate(lines) if line.strip() or tlines[i].strip()]
            units = [lines[i] for i in keep]
            spans = _group([f"{lines[i]} {tlines[i]}" for i in keep])
            return [
                PassageDraft(
                    turn_idx,
                    position,
                    turn.speaker,
                    turn.lang,
                    join_parts([u for u in units[a:b] if u.strip()]),
                    join_parts([tlines[keep[k]] for k in range(a, b) if tlines[keep[k]].strip()]),
                )
                for position, (a, b) in enumerate(spans)
            ]
    sentences = [s for paragraph in turn.text.split("\n") for s in split_sentences(paragraph)]
    return [
        PassageDraft(turn_idx, position, turn.speaker, turn.lang, join_parts(sentences[a:b]), None)
        for position, (a, b) in enumerate(_group(sentences))
    ]


def build_passages(turns: list[Turn]) -> list[PassageDraft]:
    """All passages of a transcript, in order."""
    return [draft for idx, turn in enumerate(turns) for draft in passages_for_turn(turn, idx)]
