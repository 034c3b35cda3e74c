"""Extractive summaries (pure): pick the passages' most representative sentences, without repeating an idea.

Every function here works on data already loaded (passages and their stored vectors); nothing reads the
database, the clock or a model, so the ranking is easy to test and to run in a worker thread.

Interview scope: the transcript is cut into parts (its section headings, or equal stretches when it has
none) and each part gets points in proportion to its length, so the summary covers the whole conversation
in order rather than only its most talked-about stretch. Within a part a sentence scores by how central
its passage is to the part and to the interview (cosine to their mean vectors), by how many of the
interview's keywords it carries, and loses points for being a question, being the interviewer's, or being
too short to say anything. A candidate that repeats a chosen point (same words, or nearly the same vector)
is skipped: one idea, one point.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import rjieba

from bot.text.script import normalize
from bot.text.sentences import is_question, split_sentences, text_weight
from bot.text.tokens import STOP_EN, STOP_ZH

MIN_UNIT_WEIGHT = 12  # a point shorter than this (CJK-equivalent characters) is joined with its neighbour
NOUN_TAGS = frozenset({"n", "nr", "nrt", "ns", "nt", "nz", "vn", "eng", "nrfg"})
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:['’.\-][a-z0-9]+)*")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _word_list(words: str) -> frozenset[str]:
    """A stop list written as one string (easier to read and extend than a list literal)."""
    return frozenset(words.split())


# Words too common in conversation to name a theme (on top of the search stop words).
_STOP_KEYWORD_EN = STOP_EN | _word_list(
    "also always among another any anything around back because been being both can come could day did doing "
    "done down each even ever every going good got great just know kind let like little lot lots make many "
    "may maybe mean more most much must need never new next not now obviously okay one only other out over "
    "people pretty quite really right same see should some something still such sure take talk tell than "
    "thank thanks thing things think time today too two under very want way well going gonna yeah yes "
    "actually already back basically believe first get give here it's i'm that's don't we're they're you're "
    "all these those sort stuff whatever where while who whom whose will would should shall might "
    "become becomes became seem seems lot able after again against before below between during few "
    "further once own through until above off why how here there when once yet however though although "
    "across along else enough instead less least looking look looked saying says said goes went gone "
    "making made getting thinking talking trying try tried kinds bit big huge hard easy real year years "
    "different important whole point part course question answer sense case fact idea ideas "
    "three four five many much every everyone everybody someone somebody anyone nothing everything"
)
_STOP_KEYWORD_ZH = STOP_ZH | _word_list(
    "时候 东西 事情 问题 方面 方式 时间 部分 情况 地方 人们 大家 感觉 意思 事儿 过程 原因 角度 程度 世界 "
    "今天 现在 未来 一点 一些 一下 一种 很多 这些 那些 可能 非常 真的 觉得 认为 知道 需要 希望"
)


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


@dataclass(frozen=True)
class Unit:
    """A candidate point: a sentence (or a few short ones) of one passage, or the whole passage when bilingual."""

    row: int  # index into the passages
    text: str
    translation: str | None
    order: int  # transcript order across the whole candidate list


def sentence_units(rows: Sequence[PassageRow]) -> list[Unit]:
    """Split passages into sentence-sized points; bilingual passages stay whole so both versions still match."""
    units: list[Unit] = []
    for i, row in enumerate(rows):
        if row.translation:
            units.append(Unit(i, row.text, row.translation, len(units)))
            continue
        sentences = [s for line in row.text.split("\n") for s in split_sentences(line)]
        pending = ""
        for sentence in sentences:
            pending = f"{pending} {sentence}".strip() if pending and not _is_wide(sentence) else pending + sentence
            if text_weight(pending) >= MIN_UNIT_WEIGHT:
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


@lru_cache(maxsize=65536)
def content_words(text: str) -> tuple[str, ...]:
    """Theme-bearing words of a text: Chinese nouns (jieba POS tags) and English content words, normalized."""
    norm = normalize(text)
    words = [w for w in _LATIN_WORD.findall(norm) if _is_content_word(w)]
    for run in _CJK_RUN.findall(norm):
        words.extend(
            token
            for token, tag in rjieba.tag(run)
            if tag in NOUN_TAGS and len(token) >= 2 and token not in _STOP_KEYWORD_ZH
        )
    return tuple(words)


def _is_content_word(word: str) -> bool:
    if not any(ch.isalpha() for ch in word):
        return False
    return _has_digit(word) or (len(word) >= 3 and word not in _STOP_KEYWORD_EN and "'" not in word)


def _has_digit(word: str) -> bool:
    """Model names and figures with letters ('gpt-5', '10x') are themes even when short."""
    return any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)


def _english_phrases(text: str) -> list[str]:
    """Two-word phrases of English content words that stand next to each other ('open source', 'gpt-5 model')."""
    phrases = []
    for sentence in split_sentences(normalize(text)):
        words = _LATIN_WORD.findall(sentence)
        for a, b in zip(words, words[1:], strict=False):
            if _is_content_word(a) and _is_content_word(b):
                phrases.append(f"{a} {b}")
    return phrases


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
        counts.update(_english_phrases(text))
    documents_with = documents_with or {}
    weights = {}
    for term, count in counts.items():
        if count < 2:
            continue
        idf = math.log(1 + (n_documents + 1) / (documents_with.get(term, 0) + 0.5))
        weights[term] = count * idf * (1.5 if " " in term else 1.0)
    return weights


def top_keywords(weights: dict[str, float], k: int = 8) -> list[str]:
    """The k heaviest terms, dropping a word already inside a chosen phrase (and a phrase's repeats)."""
    chosen: list[str] = []
    for term, _ in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
        if len(chosen) == k:
            break
        if any(
            term in other.split() or other in term.split() or term.replace(" ", "") == other.replace(" ", "")
            for other in chosen
        ):
            continue
        chosen.append(term)
    return chosen


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


def interviewer(rows: Sequence[PassageRow]) -> str | None:
    """The speaker who mostly asks (share of questions well above everyone else's), if there is one."""
    asked: Counter[str] = Counter()
    spoken: Counter[str] = Counter()
    for row in rows:
        for sentence in split_sentences(row.text.replace("\n", " ")):
            spoken[row.speaker] += 1
            asked[row.speaker] += is_question(sentence)
    if len(spoken) < 2:
        return None
    share = {speaker: asked[speaker] / spoken[speaker] for speaker in spoken}
    first, second = sorted(share.values(), reverse=True)[:2]
    return max(share, key=lambda s: share[s]) if first >= 0.15 and first >= 2 * second else None


def parts(rows: Sequence[PassageRow], count: int) -> list[list[int]]:
    """Consecutive stretches of the transcript: its sections when it has several, else `count` equal stretches."""
    by_section: list[list[int]] = []
    previous: object = object()
    for i, row in enumerate(rows):
        if row.section != previous:
            by_section.append([])
            previous = row.section
        by_section[-1].append(i)
    if len(by_section) > 1:
        return by_section
    weight = np.array([text_weight(row.text) for row in rows], dtype=np.float64)
    share = np.cumsum(weight) / max(weight.sum(), 1e-9)
    stretches: list[list[int]] = [[] for _ in range(max(1, count))]
    for i, value in enumerate(share):
        stretches[min(len(stretches) - 1, int(value * len(stretches) - 1e-9))].append(i)
    return [s for s in stretches if s]


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
    """How the interview score mixes its parts; chosen on the seeds with `colloquy eval summaries`."""

    part_centrality: float = 0.5
    interview_centrality: float = 1.0
    keywords: float = 0.5
    position: float = 1.0  # bonus for coming early in its part: the answer that opens a topic states it
    question_penalty: float = 2.0
    interviewer_penalty: float = 2.0
    short_penalty: float = 3.0
    min_points_weight: float = 10.0  # shorter units take the short penalty
    same_words: float = 0.6  # overlap coefficient of content words above which a unit repeats a chosen one
    # Two passages say the same thing when their cosine exceeds the typical (median) cosine between the
    # candidates by this margin, and this floor. e5+use: unrelated passages ~0.40-0.57, the same idea in other
    # words 0.70-0.80, median ~0.5; the floor keeps sparse vectors (TF-IDF, tests' hashing) from matching on one word.
    same_vector_margin: float = 0.2
    same_vector_floor: float = 0.5


def says_something(text: str, weights: Weights) -> bool:
    """A point must state something: no question in it, not a one-word reply."""
    return not asks(text) and text_weight(text) >= weights.min_points_weight


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


def interview_scores(
    rows: Sequence[PassageRow],
    units: Sequence[Unit],
    vectors: np.ndarray,
    stretches: Sequence[Sequence[int]],
    keyword_weight: dict[str, float],
    weights: Weights,
) -> np.ndarray:
    """Score every unit: centrality in its part and in the interview, keyword density, minus penalties."""
    overall = _z(vectors @ _unit(vectors))
    local = np.zeros(len(rows), dtype=np.float64)
    for stretch in stretches:
        index = np.asarray(stretch)
        local[index] = _z(vectors[index] @ _unit(vectors[index]))
    host = interviewer(rows)
    top = dict(sorted(keyword_weight.items(), key=lambda item: -item[1])[:30])
    density = np.array(
        [
            sum(top.get(w, 0.0) for w in set(content_words(u.text))) / math.sqrt(max(text_weight(u.text), 1.0))
            for u in units
        ]
    )
    row_of = np.array([u.row for u in units], dtype=np.int64)
    place = np.zeros(len(rows), dtype=np.float64)
    for stretch in stretches:
        place[np.asarray(stretch)] = 1.0 - np.arange(len(stretch)) / max(len(stretch), 1)
    penalties = np.array(
        [
            weights.question_penalty * asks(u.text)
            + weights.interviewer_penalty * (rows[u.row].speaker == host)
            + weights.short_penalty * (text_weight(u.text) < weights.min_points_weight)
            for u in units
        ]
    )
    return (
        weights.part_centrality * local[row_of]
        + weights.interview_centrality * overall[row_of]
        + weights.keywords * _z(density)
        + weights.position * place[row_of]
        - penalties
    )


def choose_interview_points(
    rows: Sequence[PassageRow],
    vectors: np.ndarray,
    points: int,
    keyword_weight: dict[str, float],
    *,
    max_chars: int | None = None,
    weights: Weights | None = None,
) -> list[Unit]:
    """The interview's key points in transcript order (see the module docstring for how they are chosen)."""
    weights = weights or Weights()
    units = sentence_units(rows)
    if not units or points <= 0:
        return []
    stretches = parts(rows, points)
    part_of = {row: p for p, stretch in enumerate(stretches) for row in stretch}
    scores = interview_scores(rows, units, vectors, stretches, keyword_weight, weights)
    quota = allocate([sum(text_weight(rows[r].text) for r in s) for s in stretches], points)
    ranked = sorted(range(len(units)), key=lambda i: -scores[i])
    substantive = [i for i in ranked if says_something(units[i].text, weights)]
    ranked = substantive or ranked  # fewer points rather than questions and one-word replies
    chosen = pick(ranked, Redundancy(units, vectors, weights), points, max_chars, units, quota, part_of)
    return sorted((units[i] for i in chosen), key=lambda u: u.order)


def pick(
    ranked: Sequence[int],
    redundancy: Redundancy,
    points: int,
    max_chars: int | None,
    units: Sequence[Unit],
    quota: Sequence[int] | None = None,
    part_of: dict[int, int] | None = None,
) -> list[int]:
    """Best-first greedy choice: skip repeats, honour each part's quota, then fill freely; stop at the budget."""
    chosen: list[int] = []
    used = 0
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
            length = len(units[i].text)
            if max_chars is not None and chosen and used + length > max_chars:
                continue
            if redundancy.repeats(i, chosen):
                continue
            chosen.append(i)
            used += length
            if remaining is not None:
                remaining[part] -= 1
    return chosen
