"""Extractive summaries (pure): pick the passages' most representative sentences, without repeating an idea.

Every function here works on data already loaded (passages and their stored vectors); nothing reads the
database, the clock or a model, so the ranking is easy to test and to run in a worker thread.

Interview scope: the transcript is cut into topical chapters (bot.summarize.chapters) and each chapter gets
points in proportion to its length, at least its best one, so the summary covers the whole conversation in
order rather than only its most talked-about stretch. Only the principals' sentences that stand alone
(bot.summarize.points) are candidates. Within its chapter a sentence scores by how central its passage is to
the chapter and to the interview (cosine to their mean vectors), the keywords it carries, how many things it
names, how specific it is (figures, names, quoted terms, stated decisions and predictions) and how early it
answers in the chapter, all as percentile ranks; it loses points for leaning on what came before or being too
short to say anything. A candidate that repeats a chosen point (same words, or nearly the same vector) is
skipped: one idea, one point.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.summarize.chapters import Plan, Span, plan_chapters
from bot.summarize.points import dangles, is_fragment, specifics, stands_alone, trim_filler
from bot.text.keywords import content_words, english_phrases
from bot.text.roles import Roles, speaker_roles
from bot.text.sentences import is_question, split_sentences, text_weight

MIN_UNIT_WEIGHT = 12  # a point shorter than this (CJK-equivalent characters) is joined with its neighbour


@dataclass(frozen=True)
class PassageRow:
    """A stored passage with what a summary shows about it."""

    passage_id: int
    interview_id: int
    interview_title: str | None
    date: str | None
    turn_idx: int
    position: int
    speaker: str
    lang: str
    text: str
    translation: str | None
    translation_lang: str | None
    section: str | None
    start: float | None
    label: str = ""  # the transcript's label for the speaker ('主持人', 'SA'): a host label marks the interviewer
    speaker_inferred: bool = False  # the file named no speakers


@dataclass(frozen=True)
class Unit:
    """A candidate point: a sentence (or a few short ones) of one passage, or the whole passage when bilingual."""

    row: int  # index into the passages
    text: str
    translation: str | None
    order: int  # transcript order across the whole candidate list


def sentence_units(rows: Sequence[PassageRow]) -> list[Unit]:
    """Split passages into sentence-sized points (a clause ending in ';' runs on into the next, so a point is
    a whole sentence); bilingual passages by line (line i of one version translates line
    i of the other), or whole when the versions' lines do not pair up."""
    units: list[Unit] = []
    for i, row in enumerate(rows):
        if row.translation:
            lines, translated = row.text.split("\n"), row.translation.split("\n")
            if len(lines) != len(translated):
                lines, translated = [row.text], [row.translation]
            for line, other in zip(lines, translated, strict=True):
                if units and units[-1].row == i and text_weight(units[-1].text) < MIN_UNIT_WEIGHT:
                    last = units.pop()
                    line, other = _concat(last.text, line), _concat(last.translation or "", other)
                units.append(Unit(i, line, other, len(units)))
            continue
        sentences = [s for line in row.text.split("\n") for s in split_sentences(line)]
        pending = ""
        for sentence in sentences:
            pending = f"{pending} {sentence}".strip() if pending and not _is_wide(sentence) else pending + sentence
            if text_weight(pending) >= MIN_UNIT_WEIGHT and not pending.endswith((";", "；")):  # a clause: go on
                units.append(Unit(i, pending, None, len(units)))
                pending = ""
        if pending:
            if units and units[-1].row == i:
                last = units.pop()
                units.append(Unit(i, _concat(last.text, pending), None, last.order))
            else:
                units.append(Unit(i, pending, None, len(units)))
    return units


def _is_wide(text: str) -> bool:
    return bool(re.match(r"[\u3000-\u9fff\uff00-\uffef“”‘’]", text))


def _concat(a: str, b: str) -> str:
    return a + b if _is_wide(b) or _is_wide(a[-1:]) else f"{a} {b}"


def keyword_weights(
    texts: Sequence[str], documents_with: dict[str, int] | None = None, n_documents: int = 1
) -> dict[str, float]:
    """Term → weight for an interview: frequency × rarity across the library's interviews (smoothed).

    `documents_with[term]` counts the library's interviews that use the term; without it every term counts
    as rare. Terms said once are no theme; English two-word phrases said twice or more outrank their words.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(content_words(text))
        counts.update(english_phrases(text))
    documents_with = documents_with or {}
    weights = {}
    for term, count in counts.items():
        if count < 2:
            continue
        idf = math.log(1 + (n_documents + 1) / (documents_with.get(term, 0) + 0.5))
        weights[term] = count * idf * (1.5 if " " in term else 1.0)
    return weights


def tfidf_vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit TF-IDF vectors over content words: the centrality fallback when no passage has a stored vector."""
    docs = [Counter(content_words(t)) for t in texts]
    vocabulary = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    matrix = np.zeros((len(docs), max(1, len(vocabulary))), dtype=np.float32)
    df = Counter(w for d in docs for w in d)
    for i, doc in enumerate(docs):
        for word, count in doc.items():
            matrix[i, vocabulary[word]] = (1 + math.log(count)) * math.log(1 + len(docs) / df[word])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def _z(values: np.ndarray) -> np.ndarray:
    std = float(values.std()) if len(values) else 0.0
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


def _unit(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def allocate(sizes: Sequence[float], points: int) -> list[int]:
    """Points per part in proportion to its size (largest remainders); with fewer points than parts, the largest."""
    quota = [0] * len(sizes)
    if not sizes or points <= 0:
        return quota
    if points <= len(sizes):
        for i in sorted(range(len(sizes)), key=lambda i: -sizes[i])[:points]:
            quota[i] = 1
        return quota
    total = float(sum(sizes)) or 1.0
    exact = [s / total * points for s in sizes]
    quota = [int(x) for x in exact]
    for i in sorted(range(len(sizes)), key=lambda i: -(exact[i] - quota[i]))[: points - sum(quota)]:
        quota[i] += 1
    return quota


@dataclass(frozen=True)
class Weights:
    """How the interview score mixes its parts. Set from what each part means, not fitted to the three seeds
    with editor points (README, 'Summaries'): the chapter's topic counts most, then what the sentence names."""

    chapter_centrality: float = 1.0  # how much the sentence is about its chapter's topic
    interview_centrality: float = 0.5  # … and about the interview's
    keywords: float = 0.5  # the interview's and the chapter's keywords it carries
    substance: float = 0.5  # how many distinct things it names (a claim, a number, a named thing)
    specific: float = 0.5  # the figures, names and quoted terms it states ('十亿个代理', '2019', 'Stargate')
    position: float = 0.5  # bonus for coming early in its chapter: the answer that opens a topic states it
    dangling_penalty: float = 1.0  # opens by pointing back ('It', '这') and names little itself
    fragment_penalty: float = 1.0  # not a whole sentence (unpunctuated speech-to-text cut mid-sentence)
    short_penalty: float = 3.0
    min_points_weight: float = 10.0  # shorter units take the short penalty
    same_words: float = 0.6  # overlap coefficient of content words above which a unit repeats a chosen one
    # Two passages say the same thing when their cosine exceeds the typical (median) cosine between the
    # candidates by this margin, and this floor. e5+use: unrelated passages ~0.40-0.57, the same idea in other
    # words 0.70-0.80, median ~0.5; the floor keeps sparse vectors (TF-IDF, tests' hashing) from matching on one word.
    same_vector_margin: float = 0.2
    same_vector_floor: float = 0.5


def asks(text: str) -> bool:
    """True when any sentence of the span is a question."""
    return any(is_question(s) for s in split_sentences(text.replace("\n", " ")))


def typical_similarity(vectors: np.ndarray, sample: int = 400) -> float:
    """Median cosine between distinct passages (of an evenly spaced sample when there are many)."""
    if len(vectors) < 2:
        return 0.0
    rows = vectors[np.linspace(0, len(vectors) - 1, min(sample, len(vectors))).astype(int)]
    similarity = rows @ rows.T
    return float(np.median(similarity[np.triu_indices(len(rows), 1)]))


def _stem(word: str) -> str:
    """A crude English stem for comparing wordings ('decisions'/'decision', 'teams'/'team'); Chinese unchanged."""
    if not word.isascii():
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            break
    return word[:6]


class Redundancy:
    """Tells whether a unit repeats one already chosen: the same content words, or nearly the same vector."""

    def __init__(
        self,
        units: Sequence[Unit],
        vectors: np.ndarray,
        weights: Weights,
        groups: Sequence[str] | None = None,
        topic: str = "",
    ) -> None:
        self.units = units
        self.groups = groups  # when given, only units of the same group (speaker) can repeat each other
        self.vectors = vectors
        self.weights = weights
        # In a topic summary every unit carries the topic's words: sharing them says nothing (a short passage
        # whose only noun is '开源' would otherwise "repeat" every other passage about open source).
        shared = frozenset(map(_stem, content_words(topic)))
        self.words = [
            frozenset(map(_stem, content_words(u.text + "\n" + (u.translation or "")))) - shared for u in units
        ]
        self.same_vector = max(weights.same_vector_floor, typical_similarity(vectors) + weights.same_vector_margin)

    def repeats(self, candidate: int, chosen: Sequence[int]) -> bool:
        """True when `candidate` says what one of `chosen` already says."""
        unit = self.units[candidate]
        for other in chosen:
            if self.groups is not None and self.groups[candidate] != self.groups[other]:
                continue
            a, b = self.words[candidate], self.words[other]
            if a and b and len(a & b) / min(len(a), len(b)) > self.weights.same_words:
                return True
            row, other_row = unit.row, self.units[other].row
            if row != other_row and float(self.vectors[row] @ self.vectors[other_row]) > self.same_vector:
                return True
        return False


@dataclass(frozen=True)
class Outline:
    """An interview's summary before it is dressed as Points: its chapters and the chosen units of each."""

    chapters: list[Plan]
    units: list[tuple[Unit, int]]  # (unit, chapter index), in transcript order


def point_units(rows: Sequence[PassageRow]) -> list[Unit]:
    """Sentence units without the filler sentences they open with ('Exactly. We launched…' → 'We launched…');
    a bilingual unit keeps both versions whole."""
    return [replace(u, text=trim_filler(u.text)) if u.translation is None else u for u in sentence_units(rows)]


def interview_scores(
    rows: Sequence[PassageRow],
    units: Sequence[Unit],
    vectors: np.ndarray,
    chapters: Sequence[Plan],
    keyword_weight: dict[str, float],
    weights: Weights,
    principals: Collection[str] = (),
) -> np.ndarray:
    """Score every unit: about its chapter and the interview, keywords and named things it carries, early in
    its chapter; minus a penalty for leaning on what came before or being too short to say anything."""
    overall = vectors @ _unit(vectors)
    local = np.zeros(len(rows), dtype=np.float64)
    place = np.zeros(len(rows), dtype=np.float64)
    chapter_terms: dict[int, set[str]] = {}
    for chapter in chapters:
        index = np.asarray(chapter.rows)
        local[index] = _z(vectors[index] @ _unit(vectors[index]))  # z within the chapter: chapters differ in spread
        for principal in principals if len(principals) > 1 else ():  # equals: each one's view of the chapter
            own = np.asarray([row for row in chapter.rows if rows[row].speaker == principal])
            if len(own) >= 3:
                local[own] = _z(vectors[own] @ _unit(vectors[own]))
        place[index] = _opening(rows, chapter.rows, principals)
        for row in chapter.rows:
            chapter_terms[row] = set(chapter.keywords)
    top = dict(sorted(keyword_weight.items(), key=lambda item: -item[1])[:30])
    heaviest = max(top.values(), default=1.0)
    density: list[float] = []
    named: list[float] = []
    specific: list[int] = []
    for u in units:
        words = set(content_words(u.text))
        carried = sum(top.get(w, 0.0) for w in words) + heaviest * len(words & chapter_terms.get(u.row, set()))
        density.append(carried / math.sqrt(max(text_weight(u.text), 1.0)))
        named.append(math.log1p(len(words)))
        specific.append(len(specifics(u.text)))
    row_of = np.array([u.row for u in units], dtype=np.int64)
    penalties = np.array(
        [
            weights.dangling_penalty * dangles(u.text)
            + weights.fragment_penalty * is_fragment(u.text)
            + weights.short_penalty * (text_weight(u.text) < weights.min_points_weight)
            for u in units
        ]
    )
    return (
        weights.chapter_centrality * _rank(local[row_of])
        + weights.interview_centrality * _rank(overall[row_of])
        + weights.keywords * _rank(np.array(density))
        + weights.substance * _rank(np.array(named))
        + weights.specific * _rank(np.array(specific))
        + weights.position * place[row_of]
        - penalties
    )


def _opening(rows: Sequence[PassageRow], chapter: Sequence[int], principals: Collection[str]) -> np.ndarray:
    """From 1 for the chapter's first answer down towards 0 for its last: the answer that opens a topic states it."""
    answers = sorted({rows[row].turn_idx for row in chapter if rows[row].speaker in principals})
    order = {turn: k for k, turn in enumerate(answers)}
    return np.array([1.0 - order.get(rows[row].turn_idx, 0) / max(len(answers), 1) for row in chapter])


def _rank(values: np.ndarray) -> np.ndarray:
    """Percentile ranks in [0, 1]: every part of the score on one scale, none dominating by its outliers."""
    if len(values) < 2:
        return np.zeros_like(values, dtype=np.float64)
    order = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    return order / (len(values) - 1)


def roles_of(rows: Sequence[PassageRow]) -> Roles:
    """Principals and interviewer of an interview's passages (see bot.summarize.points.speaker_roles)."""
    return speaker_roles((r.speaker, r.label, r.text) for r in rows)


def choose_interview_points(
    rows: Sequence[PassageRow],
    vectors: np.ndarray,
    points: int | None,
    keyword_weight: dict[str, float],
    *,
    max_chars: int | None = None,
    weights: Weights | None = None,
    shown: Callable[[Unit], str] | None = None,
) -> Outline:
    """The interview's chapters and key points in transcript order (see the module docstring).

    Every chapter gets its best point when there are enough points (`points=None`: one per chapter); the
    rest go to the longer chapters. Only the principals' words that stand alone can be points, and in a
    conversation of several principals each gets a share in proportion to what they say (at least one), their
    sentences scored by how central they are to their own side of the chapter. `max_chars` counts each point
    as it will be shown (`shown`: the other version of a bilingual turn when the reader asked for it).
    """
    weights = weights or Weights()
    roles = roles_of(rows)
    spans = [Span(r.turn_idx, r.speaker, r.text, r.section) for r in rows]
    askers = {r.speaker for r in rows} - roles.principals
    units = point_units(rows)
    eligible = [
        i
        for i in range(len(units))
        if rows[units[i].row].speaker in roles.quoted
        and text_weight(units[i].text) >= weights.min_points_weight
        and stands_alone(units[i].text)
    ]
    holds_point = {units[i].row for i in eligible}
    chapters = plan_chapters(spans, vectors, keyword_weight, askers, {r.speaker for r in rows}, holds_point)
    points = len(chapters) if points is None else points
    if not units or points <= 0:
        return Outline(chapters, [])
    chapter_of = {row: c for c, chapter in enumerate(chapters) for row in chapter.rows}
    scores = interview_scores(rows, units, vectors, chapters, keyword_weight, weights, roles.quoted)
    ranked = sorted(eligible, key=lambda i: -scores[i])
    quota = allocate([sum(text_weight(rows[r].text) for r in c.rows) for c in chapters], points)
    redundancy = Redundancy(units, vectors, weights)
    lengths = [len(shown(u) if shown is not None else u.text) for u in units]
    chosen = pick(ranked, redundancy, points, max_chars, units, quota, chapter_of, lengths)
    chosen = _balance_principals(chosen, ranked, roles, rows, units, redundancy, chapter_of)
    ordered = sorted(chosen, key=lambda i: units[i].order)
    return Outline(chapters, [(units[i], chapter_of[units[i].row]) for i in ordered])


def _balance_principals(
    chosen: list[int],
    ranked: Sequence[int],
    roles: Roles,
    rows: Sequence[PassageRow],
    units: Sequence[Unit],
    redundancy: Redundancy,
    chapter_of: dict[int, int],
) -> list[int]:
    """Give each principal (and panelist) a share of the points in proportion to what they say (at least one): one
    below their share gets their best point in place of the weakest point of one above theirs, never leaving a
    chapter without a point."""
    principals = sorted(roles.quoted)
    if len(principals) < 2 or len(chosen) < 2:
        return chosen
    total = sum(roles.said.get(p, 0.0) for p in principals) or 1.0
    target = {p: max(1, round(len(chosen) * roles.said.get(p, 0.0) / total)) for p in principals}
    rank = {unit: k for k, unit in enumerate(ranked)}
    chosen = list(chosen)

    def speaker(i: int) -> str:
        return rows[units[i].row].speaker

    def chapter(i: int) -> int:
        return chapter_of[units[i].row]

    for principal in principals:
        while sum(speaker(i) == principal for i in chosen) < target[principal]:
            counts = Counter(speaker(i) for i in chosen)
            over = [i for i in chosen if speaker(i) != principal and counts[speaker(i)] > target.get(speaker(i), 0)]
            if not over:
                break
            weakest = max(over, key=lambda i: rank.get(i, len(ranked)))
            rest = [i for i in chosen if i != weakest]
            covered = {chapter(i) for i in rest}
            best = next(
                (i for i in ranked if speaker(i) == principal and i not in chosen
                 and (chapter(weakest) in covered or chapter(i) == chapter(weakest))
                 and not redundancy.repeats(i, rest)),
                None,
            )  # fmt: skip
            if best is None:
                break
            chosen = [*rest, best]
    return chosen


def pick(
    ranked: Sequence[int],
    redundancy: Redundancy,
    points: int,
    max_chars: int | None,
    units: Sequence[Unit],
    quota: Sequence[int] | None = None,
    part_of: dict[int, int] | None = None,
    lengths: Sequence[int] | None = None,
) -> list[int]:
    """Best-first greedy choice: skip repeats, honour each part's quota, then fill freely; stop at the budget.

    With a budget, a part's quota is filled by points within a fair share of it (1.5 × budget / points), so a
    long first point does not starve the other parts. `lengths` are the units' shown lengths (default: text)."""
    chosen: list[int] = []
    used = 0
    share = 1.5 * max_chars / points if max_chars is not None and points else None
    remaining = list(quota) if quota is not None else None
    for free in (False, True) if remaining is not None else (True,):
        for i in ranked:
            if len(chosen) == points:
                return chosen
            if i in chosen:
                continue
            part = part_of[units[i].row] if part_of is not None else 0
            if not free and remaining is not None and remaining[part] <= 0:
                continue
            length = lengths[i] if lengths is not None else len(units[i].text)
            if max_chars is not None and chosen and used + length > max_chars:
                continue
            if not free and share is not None and length > share:
                continue
            if redundancy.repeats(i, chosen):
                continue
            chosen.append(i)
            used += length
            if remaining is not None:
                remaining[part] -= 1
    return chosen
