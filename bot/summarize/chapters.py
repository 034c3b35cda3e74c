"""Topical chapters of an interview (pure): the page's section headings, or cuts where the content shifts.

Where the page has headings ('OpenAI 董事会之争', 'Sora', …) each is a chapter. Where it has none, the
conversation is cut at the turns where the talk changes subject most (TextTiling, Hearst 1997, on the stored
passage vectors: one minus the cosine between the mean vector of a window before a turn and of one after
it), at about one chapter per seven minutes of talk, never fewer than three. When someone mostly asks, cuts
fall where they ask: a new question is where a new topic starts. With fewer turns than cuts (a talk given in one
voice is one turn) cuts fall between passages: 李沐's 24 000-character keynote was one chapter, one point. Each
chapter is named by its heading or by the words that set it apart from the other chapters.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.text.keywords import content_words, english_phrases, name_words, names_a_theme, repeats
from bot.text.sentences import text_weight

# About seven minutes of talk per topic: ~1,000 English words (weight = characters / 3) or ~2,000 Chinese characters.
CHAPTER_WEIGHT = 2000.0
MIN_CHAPTERS, MAX_CHAPTERS = 3, 8
LABEL_WORDS = 3


@dataclass(frozen=True)
class Span:
    """What chaptering needs to know of one passage."""

    turn_idx: int
    speaker: str
    text: str
    section: str | None


@dataclass(frozen=True)
class Plan:
    """One chapter: its passages (indexes), its heading when the page has one, the words that name it."""

    rows: list[int]
    heading: str | None
    keywords: list[str]


def chapter_count(total_weight: float) -> int:
    """How many chapters a conversation of this length has when the page marks none."""
    return max(MIN_CHAPTERS, min(MAX_CHAPTERS, round(total_weight / CHAPTER_WEIGHT)))


def by_sections(spans: Sequence[Span], holds_point: Collection[int] = ()) -> list[tuple[list[int], str | None]] | None:
    """Consecutive runs of one section heading; None when the page has fewer than two headings.

    A section too small to hold a point of its own (under a fifth of the average, or without a passage in
    `holds_point` when that is given) joins the one before it.
    """
    groups: list[tuple[list[int], str | None]] = []
    for i, span in enumerate(spans):
        if not groups or span.section != groups[-1][1]:
            groups.append(([], span.section))
        groups[-1][0].append(i)
    if sum(1 for _, heading in groups if heading) < 2:
        return None
    weights = [sum(text_weight(spans[i].text) for i in rows) for rows, _ in groups]
    floor = 0.2 * sum(weights) / len(groups)
    merged: list[tuple[list[int], str | None]] = []
    pointless = set(holds_point).isdisjoint
    for (rows, heading), weight in zip(groups, weights, strict=True):
        if merged and (weight < floor or (holds_point and pointless(rows))):
            merged[-1][0].extend(rows)
        else:
            merged.append((list(rows), heading))
    return merged


def by_content(
    spans: Sequence[Span],
    vectors: np.ndarray,
    count: int,
    askers: Collection[str] = (),
    holds_point: Collection[int] = (),
) -> list[list[int]]:
    """Cut the passages into up to `count` chapters at the turns where the content shifts most; each chapter at
    least half the average length and, when `holds_point` is given, holding one of those passages."""
    n = len(spans)
    starts = [i for i in range(1, n) if spans[i].turn_idx != spans[i - 1].turn_idx]
    asked = [i for i in starts if spans[i].speaker in askers]
    # too few turns to cut at (a talk given in one voice is one turn): between any two passages
    candidates = asked if len(asked) >= count else starts if len(starts) >= count - 1 else list(range(1, n))
    weights = np.array([text_weight(s.text) for s in spans], dtype=np.float64)
    total = float(weights.sum())
    if n < 2 or count < 2 or not candidates:
        return [list(range(n))]
    window = max(2, n // (count * 3))
    depth = {}
    for i in candidates:
        before = vectors[max(0, i - window) : i].mean(axis=0)
        after = vectors[i : i + window].mean(axis=0)
        norm = float(np.linalg.norm(before) * np.linalg.norm(after))
        depth[i] = 1.0 - (float(before @ after) / norm if norm else 0.0)
    cumulative = np.concatenate([[0.0], np.cumsum(weights)])
    smallest = 0.5 * total / count  # no chapter under half the average length
    marked = set(holds_point)
    points = np.concatenate([[0], np.cumsum([i in marked for i in range(n)])]) if marked else None
    cuts: list[int] = []
    for i in sorted(candidates, key=lambda i: (-depth[i], i)):
        if len(cuts) == count - 1:
            break
        edges = [0, *sorted([*cuts, i]), n]
        pairs = list(zip(edges, edges[1:], strict=False))
        long_enough = all(cumulative[b] - cumulative[a] >= smallest for a, b in pairs)
        if long_enough and (points is None or all(points[b] > points[a] for a, b in pairs)):
            cuts.append(i)
    edges = [0, *sorted(cuts), n]
    return [list(range(a, b)) for a, b in zip(edges, edges[1:], strict=False)]


def label_words(
    chapters: Sequence[Sequence[str]],
    themes: Mapping[str, float],
    exclude: Collection[str] = (),
    k: int = LABEL_WORDS,
) -> list[list[str]]:
    """For each chapter (its texts), up to k terms: the interview's themes (`themes`: keyword weights, frequency ×
    rarity in the library) said there at least twice and least in the other chapters, then those said once, then
    the words the chapter alone says most (a short chapter named by one repeated word read as "small" or
    "notice"). A word is not shown with its plural ('tides, tide'), nor with a phrase holding it, and a lone past
    participle ('changed', 'failed') names nothing: it stands in for what changed. (Counting a word's singular
    and plural as one changed the chosen words, and so the points, and lost on seed 004's summary: not done.)"""
    excluded = set(exclude)
    counts = []
    for texts in chapters:
        counter: Counter[str] = Counter()
        for text in texts:
            counter.update(t for t in (*content_words(text), *english_phrases(text)) if names_a_theme(t, excluded))
        counts.append(counter)
    spread = Counter(term for counter in counts for term in counter)
    labels = []
    for counter in counts:
        distinct = {term: count * math.log(1 + len(counts) / spread[term]) for term, count in counter.items()}
        themed = {t: v * math.log1p(themes[t]) for t, v in distinct.items() if t in themes}
        chosen: list[str] = []
        # themes said twice, then themes said once, then the words the chapter alone says most
        for tier in ({t: v for t, v in themed.items() if counter[t] >= 2}, themed, distinct):
            for term in sorted(tier, key=lambda t: (-tier[t], t)):
                if len(chosen) == k:
                    break
                if not repeats(term, chosen):
                    chosen.append(term)
        labels.append(chosen)
    return labels


def plan_chapters(
    spans: Sequence[Span],
    vectors: np.ndarray,
    themes: Mapping[str, float],
    askers: Collection[str] = (),
    names: Collection[str] = (),
    holds_point: Collection[int] = (),
) -> list[Plan]:
    """The interview's chapters in order: its sections when it has headings, else cuts at content shifts; with
    `holds_point` (the passages that hold a point), every chapter holds one."""
    if not spans:
        return []
    sections = by_sections(spans, holds_point)
    if sections is not None:
        groups = [rows for rows, _ in sections]
        headings = [heading for _, heading in sections]
    else:
        count = chapter_count(sum(text_weight(s.text) for s in spans))
        groups = by_content(spans, vectors, count, askers, holds_point)
        headings = [None] * len(groups)
    named = name_words(names, (s.text for s in spans))  # and the show's, as the opening says it
    words = label_words([[spans[i].text for i in rows] for rows in groups], themes, named)
    return [Plan(rows, heading, kw) for rows, heading, kw in zip(groups, headings, words, strict=True)]
