"""Cut turns into quote-sized passages: a sentence or a few, within one turn, never across speakers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import regex

from bot.text.numbers import states_number
from bot.text.sentences import asks_itself, join_parts, may_ask, split_sentences, text_weight


class Turn(Protocol):
    """What passages need of a turn (bot/ingest/transcript.py's Turn has it)."""

    speaker: str
    text: str
    lang: str
    translation: str | None
    start: float | None
    marks: tuple[tuple[float | None, str], ...]


# Size in "CJK-equivalent characters": a CJK character counts 1, any other character 1/3
# (an English word of ~5 letters plus a space carries about as much as two Chinese characters).
MIN_WEIGHT = 45
MAX_WEIGHT = 140
# No passage weighs more, whatever the input: a sentence up to this size stays whole, a longer one (a file that is
# one 20 MB line, Chinese without punctuation, a pasted hash) is cut into pieces of about MAX_WEIGHT.
MAX_PASSAGE_WEIGHT = 3 * MAX_WEIGHT
_ATOM_WEIGHT = 10  # a word heavier than this is cut into graphemes when it has to be cut at all
_ATOMS = regex.compile(r"\S+\s*|\s+")
_CJK = regex.compile(r"\p{Han}")
_BARE = regex.compile(r"[\w '\-]+")  # a line with no punctuation at all
_GRAPHEMES = regex.compile(r"\X")


@dataclass(frozen=True)
class PassageDraft:
    """A passage before it is stored: its place in the transcript and both language versions."""

    turn_idx: int
    position: int
    speaker: str
    lang: str
    text: str
    translation: str | None
    start: float | None = None  # when its first words were said (`passage_starts`), else None


def _atoms(text: str) -> list[str]:
    """Words with their trailing space; a word too heavy to be one piece of a cut comes as its graphemes."""
    atoms: list[str] = []
    for word in _ATOMS.findall(text):
        atoms.extend(_GRAPHEMES.findall(word) if text_weight(word) > _ATOM_WEIGHT else [word])
    return atoms


def cut_evenly(text: str, pieces: int) -> list[str]:
    """`text` cut into at most `pieces` consecutive pieces of about equal weight, between words where there are
    spaces and between graphemes inside a long run (never inside a character and its accents or an emoji)."""
    atoms = _atoms(text)
    weights = [text_weight(atom) for atom in atoms]
    total = sum(weights) or 1.0
    bins: list[list[str]] = [[] for _ in range(pieces)]
    done = 0.0
    for atom, weight in zip(atoms, weights, strict=True):
        bins[min(pieces - 1, int(done / total * pieces))].append(atom)
        done += weight
    return [piece for piece in ("".join(b).strip() for b in bins) if piece]


def _pieces_needed(weight: float) -> int:
    """1 when a unit of this weight may stay whole, else how many pieces of about MAX_WEIGHT it becomes."""
    return 1 if weight <= MAX_PASSAGE_WEIGHT else math.ceil(weight / MAX_WEIGHT)


def _bounded(sentences: list[str]) -> list[str]:
    """Sentences, with any heavier than MAX_PASSAGE_WEIGHT cut into pieces."""
    out: list[str] = []
    for sentence in sentences:
        n = _pieces_needed(text_weight(sentence))
        out.extend(cut_evenly(sentence, n) if n > 1 else [sentence])
    return out


def _bounded_pairs(lines: list[str], translations: list[str]) -> tuple[list[str], list[str]]:
    """Bilingual line pairs, with a pair heavier than MAX_PASSAGE_WEIGHT cut into as many pieces on each side."""
    out, out_translations = [], []
    for line, translation in zip(lines, translations, strict=True):
        n = _pieces_needed(text_weight(f"{line} {translation}"))
        if n == 1:
            out.append(line)
            out_translations.append(translation)
            continue
        ours, theirs = cut_evenly(line, n), cut_evenly(translation, n)
        width = max(len(ours), len(theirs))
        out.extend(ours + [""] * (width - len(ours)))
        out_translations.extend(theirs + [""] * (width - len(theirs)))
    return out, out_translations


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
            lines, tlines = _bounded_pairs(lines, tlines)
            keep = [i for i, line in enumerate(lines) if line.strip() or tlines[i].strip()]
            units = [lines[i] for i in keep]
            spans = _group([f"{lines[i]} {tlines[i]}" for i in keep])
            starts = passage_starts(turn, units, spans)
            return [
                PassageDraft(
                    turn_idx,
                    position,
                    turn.speaker,
                    turn.lang,
                    join_parts([u for u in units[a:b] if u.strip()]),
                    join_parts([tlines[keep[k]] for k in range(a, b) if tlines[keep[k]].strip()]),
                    starts[position],
                )
                for position, (a, b) in enumerate(spans)
            ]
    # In Chinese, a line of speech recognition with no punctuation ends at a pause, which a space keeps ('因为钱花得值
    # ABIG无所谓 Hello 大家好' had read '因为钱花得值ABIG无所谓Hello大家好').
    loose = _CJK.search(turn.text) is not None
    lines = [(line, loose and _BARE.fullmatch(line.strip()) is not None) for line in turn.text.split("\n")]
    pieces = [(s, bare) for line, bare in lines for s in _bounded(split_sentences(line))]
    sentences = [s for s, _ in pieces]
    spans = _group(sentences)
    starts = passage_starts(turn, sentences, spans)
    return [
        PassageDraft(turn_idx, position, turn.speaker, turn.lang, _joined(pieces[a:b]), None, starts[position])
        for position, (a, b) in enumerate(spans)
    ]


MARK_KEY = 24  # characters of a piece's or a passage's first words looked up in the turn's text
MARK_REACH = 2000  # characters past the last piece found within which the next is looked for (`_places`)


def passage_starts(turn: Turn, units: list[str], spans: list[tuple[int, int]]) -> list[float | None]:
    """When each passage of a turn starts (`spans` over its sentences or lines, `units`): the start of the last
    cue or stamped paragraph (`turn.marks`) that begins at or before its first unit in the turn's text, else the
    turn's.

    A turn merged from cues runs for minutes (a Rev paragraph stamped 00:11:40 in a turn from 00:10:06; a fifth to
    two thirds of the passages of the corpus' timed files are in turns over a minute long), and a quote showed the
    turn's start. A piece that cleaning changed (a loop said once, words moved to the turn before) is not found and
    its start is not used; a unit not found stands where the one before it ended."""
    placed = zip(_places(turn.text, [piece for _, piece in turn.marks]), turn.marks, strict=True)
    marks = [(place, start) for place, (start, _) in placed if place is not None and start is not None]
    places, at = [], 0
    for place in _places(turn.text, units):
        at = at if place is None else place
        places.append(at)
    starts: list[float | None] = []
    seen, current = 0, turn.start  # the marks before a passage: walked once, in linear time
    for a, _ in spans:
        while seen < len(marks) and marks[seen][0] <= places[a]:
            # never before the turn's start or a passage before it (a file's cues are not always in time order)
            current = marks[seen][1] if current is None else max(current, marks[seen][1])
            seen += 1
        starts.append(current)
    return starts


def _places(text: str, pieces: list[str]) -> list[int | None]:
    """Where each piece begins in `text`, found one after another by its first MARK_KEY characters (so pieces that
    open alike, "The stone number 1…", "The stone number 2…", each take their own place); None when not found.

    A piece is looked for only within MARK_REACH characters past the end of the last one found: the pieces cleaning
    dropped are gone from the text, so the next one kept follows at once. Looked for to the text's end, the 19 999
    cues of a loop said once took 6 s for a turn of 40 000 cues (0.3 s without the loop), and grew with its square."""
    places: list[int | None] = []
    at, reach = 0, MARK_REACH
    for piece in pieces:
        key = piece.strip()[:MARK_KEY]
        where = text.find(key, at, at + reach) if key else -1
        places.append(where if where >= 0 else None)
        if where >= 0:
            at, reach = where + len(key), len(piece) + MARK_REACH
    return places


def _joined(pieces: list[tuple[str, bool]]) -> str:
    """Sentences joined as `join_parts` does, with a space after each bare line of Chinese speech."""
    out = ""
    for i, (piece, _) in enumerate(pieces):
        space = i > 0 and pieces[i - 1][1] and not out.endswith(" ")
        out = f"{out} {piece}" if space else join_parts([out, piece])
    return out


def build_passages(turns: list[Turn]) -> list[PassageDraft]:
    """All passages of a transcript, in order."""
    return [draft for idx, turn in enumerate(turns) for draft in passages_for_turn(turn, idx)]


def question_share(text: str) -> float:
    """The share of a passage's sentences that are questions ("And remote work? You went remote in 2022." is 0.5);
    a question quoted after words of the speaker's own is reported, not asked (`asks_itself`)."""
    if not may_ask(text):  # no sentence can ask (`is_question`): most passages, at a third the cost
        return 0.0
    sentences = [s for s in split_sentences(text.replace("\n", " ")) if s.strip()]
    asked = sum(map(asks_itself, sentences))
    return asked / len(sentences) if sentences else 0.0


def passage_features(text: str) -> dict[str, float | bool]:
    """What ranking reads from a passage's own words, stored with it (`passages` columns of the same names): a
    search on PostgreSQL built them for its ~750 candidates each time (5–9 ms of a 14 ms index), and an
    in-process index for every passage at start-up. Migration 0011 fills them for passages stored before; a
    change to these rules needs a migration that computes them again (as 0010 did for `turns.asks`)."""
    return {"question_share": question_share(text), "text_weight": text_weight(text), "has_number": states_number(text)}
