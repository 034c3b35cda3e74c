"""The in-process passage index: vectors and lexical postings loaded from the library, filtered in the query.

Every search narrows the rows by library scope (guild), speaker, interview, language and date *before*
scoring, so a caller never sees a passage from a library they may not read. The index is rebuilt lazily
after the library or the vectors change.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.library import models
from bot.search.lexical import BM25Index, CorpusStats
from bot.text.passages import MIN_WEIGHT
from bot.text.script import comparison_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """What a search may look at: the libraries the caller can see, plus optional filters."""

    guild_ids: frozenset[int] = frozenset({models.GLOBAL_LIBRARY})
    speakers: frozenset[str] | None = None  # canonical names; None = everyone
    interview_id: int | None = None
    language: str | None = None  # "en" or "zh": passages with a version in that language
    date_from: str | None = None  # ISO dates, inclusive
    date_to: str | None = None


def named_scope(scope: Scope, named: frozenset[str]) -> Scope | None:
    """The scope narrowed to the speakers a question names (None when it names none the scope allows).

    Ranking gives a named speaker's passages a large lift (`named`), so in a scope ranked through candidates that
    speaker's nearest and best-matching passages are candidates of their own: in a library of many speakers the
    scope's top 100 may hold none of them ("苏莱曼为什么觉得…" over nine interviews)."""
    speakers = named if scope.speakers is None else named & scope.speakers
    return replace(scope, speakers=frozenset(speakers)) if speakers else None


@dataclass(frozen=True)
class DenseScores:
    """The question's cosine with each row, and with the row's surroundings (see `dense_scores`), one line per
    model of a combined embedder (shape (parts, rows)): each model's cosines are scored on their own scale."""

    passage: np.ndarray  # the passage itself
    window: np.ndarray  # the passage with its neighbours in the turn
    turn: np.ndarray  # the whole turn the passage belongs to

    def stacked(self, rows: np.ndarray) -> np.ndarray:
        """The scores of `rows` as one (3 × parts, len(rows)) array: every part's passage, then window, then turn."""
        return np.concatenate([self.passage[:, rows], self.window[:, rows], self.turn[:, rows]])


@dataclass
class PassageIndex:
    """Columns of every passage plus its vector (zeros where not yet embedded) and BM25 postings.

    Rows are in transcript order (interview, turn, position), so the rows of one turn are contiguous:
    `turn_of` numbers each row's turn, `turn_start` is each turn's first row.
    """

    ids: np.ndarray
    interview_ids: np.ndarray
    guild_ids: np.ndarray
    # Text columns as int32 codes into sorted lists of their values: a million small strings, one per row, kept
    # 0.67 GB of freed loading memory pinned (Python's allocator cannot return an arena that still holds one).
    speakers: np.ndarray  # code per row into speaker_names
    speaker_names: list[str]
    langs: np.ndarray  # code per row into lang_names: "en", "zh-Hans", ... and "+"-joined when bilingual
    lang_names: list[str]
    dates: np.ndarray  # code per row into date_names: ISO dates, "" where unknown
    date_names: list[str]
    vectors: np.ndarray  # float32 (n, dim): the parts' unit vectors side by side, each scaled by 1/sqrt(parts)
    parts: tuple[int, ...]  # dimensions of each model's slice of a vector (one entry for a single model)
    has_vector: np.ndarray  # bool
    question_share: np.ndarray  # float32: the share of the passage's sentences that ask (1.0: it only asks)
    answer_row: np.ndarray  # int64: for the last passage of a turn that asks, the first row of the reply; else -1
    asks: np.ndarray  # float32: the share of its speaker's turns in the interview that end asking (interviewers ~1)
    shortness: np.ndarray  # float32: how far the passage falls short of a passage's minimum size (0 at or above)
    has_number: np.ndarray  # float32: 1 where the passage states a number (`bot.text.numbers.states_number`)
    text_hash: np.ndarray | TextHashes  # int64 per row: a hash of its `comparison_key` (copies of one text alike)
    bm25: BM25Index
    turn_of: np.ndarray  # int64 per row
    turn_start: np.ndarray  # int64 per turn
    window_norm: np.ndarray  # float32 (parts, n): length of the sum of the passage's and its neighbours' vectors
    turn_norm: np.ndarray  # float32 (parts, turns): length of the sum of its passages' vectors
    # Per row, the sums of its window's and its turn's vectors (bot/search/context.py), when the rows are a
    # search's candidates in process without their whole turns; None: computed from the rows (whole turns).
    context: tuple[np.ndarray, np.ndarray] | None = None
    # PostgreSQL's candidates come with the question's scores computed by the server, which then sends no vectors
    # (`dense_scores`), and with each row's vector's dot product with the next row's (`adjacent_similarity`).
    scored: tuple[np.ndarray, DenseScores] | None = None  # (the question's vector, its scores)
    next_similarity: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def dense_moments(
        self, scores: DenseScores, rows: np.ndarray, query_vector: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """Mean and standard deviation of each line of `scores.stacked` over the scope's embedded `rows`, and
        their count. A subclass holding only candidates (bot/search/pgvector.py) estimates them from a sample of
        the scope."""
        stacked = scores.stacked(rows)
        return stacked.mean(axis=1), stacked.std(axis=1), len(rows)

    def scope_size(self, rows: np.ndarray) -> int:
        """Passages in the scope (here every scope row is in the index)."""
        return len(rows)

    def speaker_codes(self, names: frozenset[str] | set[str]) -> np.ndarray:
        """Codes of these speaker names (names not in the index have none)."""
        return np.array([i for i, name in enumerate(self.speaker_names) if name in names], dtype=np.int32)

    def mask(self, scope: Scope) -> np.ndarray:
        """Rows the scope allows; everything else is never scored."""
        keep = np.isin(self.guild_ids, np.fromiter(scope.guild_ids, dtype=np.int64))
        if scope.speakers is not None:
            keep &= np.isin(self.speakers, self.speaker_codes(scope.speakers))
        if scope.interview_id is not None:
            keep &= self.interview_ids == scope.interview_id
        if scope.language:
            keep &= np.isin(self.langs, [i for i, lang in enumerate(self.lang_names) if scope.language in lang])
        if scope.date_from:
            keep &= np.isin(self.dates, [i for i, date in enumerate(self.date_names) if date >= scope.date_from])
        if scope.date_to:
            keep &= np.isin(self.dates, [i for i, date in enumerate(self.date_names) if "" < date <= scope.date_to])
        return keep

    def adjacent_similarity(self, row: int, other: int) -> float:
        """The dot product of two adjacent rows' vectors of one interview (0 where one has none; PostgreSQL's
        candidates are scored per interview, so rows of two interviews read 0 there)."""
        if self.next_similarity is not None:
            return float(self.next_similarity[min(row, other)])
        return float(self.vectors[row] @ self.vectors[other])

    def same_turn(self, row: int, other: int) -> bool:
        """True when both rows exist and belong to one turn (so one speaker's continuous words)."""
        return 0 <= other < len(self) and self.turn_of[row] == self.turn_of[other]


@dataclass
class ScopeStats:
    """What the dense z-scores need about a large scope: its size and a sample of its whole turns, as an index."""

    passages: int
    embedded: int  # estimated from the sample when the sample is not the whole scope (PostgreSQL)
    sample: PassageIndex | None
    read_at: float


@dataclass
class CandidateIndex(PassageIndex):
    """The candidates of one search (with their neighbours, see `neighbourhood`), with the statistics of the scope
    they came from.

    Without `scope` the candidates are the whole scope, and the statistics are computed over them exactly."""

    scope: ScopeStats | None = None

    def dense_moments(
        self, scores: DenseScores, rows: np.ndarray, query_vector: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """Mean and spread of the question's scores over the scope's sample; the count is the scope's."""
        sample = self.scope.sample if self.scope is not None else None
        if self.scope is None or sample is None or not sample.has_vector.any():
            return super().dense_moments(scores, rows, query_vector)
        mean, std, _ = sample.dense_moments(
            dense_scores(sample, query_vector), np.flatnonzero(sample.has_vector), query_vector
        )
        return mean, std, self.scope.embedded

    def scope_size(self, rows: np.ndarray) -> int:
        """Passages in the whole scope, not just the candidates."""
        return self.scope.passages if self.scope is not None else len(rows)


class BM25Rows:
    """Some rows of a whole-library BM25 index, scored with the whole library's statistics (exact, not estimated
    like PostgreSQL's): the lexical side of an in-process candidate index."""

    def __init__(self, full: BM25Index, rows: np.ndarray, scores: tuple[Sequence[str], np.ndarray] | None = None):
        self.full, self.rows = full, rows
        self._scores = scores  # (tokens, the whole library's scores) already computed for this search

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 of these rows."""
        if self._scores is not None and list(self._scores[0]) == list(query_tokens):
            return self._scores[1][self.rows]
        return self.full.scores(query_tokens)[self.rows]

    def weighted_scores(self, terms: Mapping[str, float]) -> np.ndarray:
        """Weighted BM25 of these rows (translated terms)."""
        return self.full.weighted_scores(terms)[self.rows]

    def coverage(self, query_tokens: Sequence[str]) -> np.ndarray:
        """Coverage of the query by each of these rows."""
        return self.full.coverage(query_tokens)[self.rows]

    def knows(self, term: str) -> bool:
        """Whether the whole library holds the term."""
        return self.full.knows(term)


def whole_turns(index: PassageIndex, rows: np.ndarray, following: bool = True) -> np.ndarray:
    """Every row of the turns holding `rows` (and of the turns just after them), sorted: window and turn scores
    and the question handover need them."""
    turns = np.unique(index.turn_of[rows])
    if following:
        turns = np.union1d(turns, turns[turns + 1 < len(index.turn_start)] + 1)
    if len(turns) == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.append(index.turn_start[1:], len(index))
    starts, lengths = index.turn_start[turns], ends[turns] - index.turn_start[turns]
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets


def neighbourhood(index: PassageIndex, chosen: np.ndarray) -> np.ndarray:
    """A search's candidate rows around the `chosen` ones, sorted: each with its neighbours in the turn (quotes
    join a neighbour), and the first two passages of the reply to any of them that ends a turn asking (a question
    hands its score to its reply). PostgreSQL reads the same rows (bot/search/pgvector.py)."""
    chosen = np.unique(np.asarray(chosen, dtype=np.int64))
    near = np.unique(np.concatenate([chosen, _next_in_turn(index, chosen, -1), _next_in_turn(index, chosen)]))
    reply = index.answer_row[near]
    reply = reply[reply >= 0]
    return np.unique(np.concatenate([near, reply, _next_in_turn(index, reply)]))


def _next_in_turn(index: PassageIndex, rows: np.ndarray, step: int = 1) -> np.ndarray:
    """The rows `step` after `rows` (before, when negative) that belong to the same turn."""
    other = rows + step
    inside = (other >= 0) & (other < len(index))
    rows, other = rows[inside], other[inside]
    return other[index.turn_of[other] == index.turn_of[rows]]


def take(index: PassageIndex, rows: np.ndarray, vectors: np.ndarray, bm25: BM25Rows | None = None) -> PassageIndex:
    """The index restricted to `rows` (sorted) with their float32 `vectors`: the small index a search ranks.
    Per-row columns are sliced (a column added to PassageIndex is carried along; the window and turn norms too,
    which hold when the turns are whole: a candidate index without them sets `context`), the turn structure and
    the question links are recomputed for the rows."""
    rows = np.asarray(rows, dtype=np.int64)
    n = len(rows)
    flags = np.ones(n, dtype=bool)
    if n:
        flags[1:] = index.turn_of[rows[1:]] != index.turn_of[rows[:-1]]
    turn_start = np.flatnonzero(flags)
    turn_of = np.cumsum(flags, dtype=np.int64) - 1
    reply = index.answer_row[rows]
    at = np.minimum(np.searchsorted(rows, reply), max(n - 1, 0))
    answer_row = np.where((reply >= 0) & (rows[at] == reply), at, -1) if n else reply
    window_norm, turn_norm = index.window_norm[:, rows], index.turn_norm[:, index.turn_of[rows[turn_start]]]
    context = (index.context[0][rows], index.context[1][rows]) if index.context is not None else None
    derived = {
        "vectors": vectors, "bm25": bm25 or BM25Rows(index.bm25, rows), "turn_of": turn_of, "turn_start": turn_start,
        "window_norm": window_norm, "turn_norm": turn_norm, "answer_row": answer_row,
        "context": context,
    }  # fmt: skip
    values = {}
    for field in dataclasses.fields(PassageIndex):
        value = getattr(index, field.name)
        if field.name in derived:
            values[field.name] = derived[field.name]
        elif isinstance(value, np.ndarray) and len(value) == len(index):
            values[field.name] = value[rows]
        else:
            values[field.name] = value
    return PassageIndex(**values)


def part_slices(parts: tuple[int, ...]) -> list[slice]:
    """Where each model's dimensions sit in a combined vector."""
    ends = np.cumsum((0, *parts)).tolist()
    return [slice(a, b) for a, b in zip(ends[:-1], ends[1:], strict=True)]


def part_cosines(sums: np.ndarray, query_vector: np.ndarray, parts: tuple[int, ...]) -> np.ndarray:
    """Each model's cosine (shape (parts, rows)) of the question with each row of `sums` (context sums, any
    length): the question's parts are unit vectors scaled by 1/sqrt(parts)."""
    scale = np.sqrt(len(parts))
    out = []
    for s in part_slices(parts):
        part = np.asarray(sums[:, s], dtype=np.float32)
        out.append(part @ query_vector[s] * scale / np.maximum(np.linalg.norm(part, axis=1), 1e-6))
    return np.stack(out).astype(np.float32)


def dense_scores(index: PassageIndex, query_vector: np.ndarray) -> DenseScores:
    """Each model's cosine of the question with every row's passage, its window of neighbours and its turn.

    A window or turn is scored as the cosine with the sum of its passages' vectors (their centroid): a quote
    is often found by what the sentences around it say. Measured on the dev sets (README, "Search"). A search's
    candidates in process carry those sums (`PassageIndex.context`); PostgreSQL's come scored by the server from
    the sums it stores (`PassageIndex.scored`); a whole scope computes them from its rows.
    """
    if index.scored is not None:
        question, scores = index.scored
        if not np.array_equal(question, query_vector):
            raise ValueError("these candidates were scored by the server for another question")
        return scores
    n, p = len(index), len(index.parts)
    if n == 0:
        empty = np.zeros((p, 0), dtype=np.float32)
        return DenseScores(empty, empty, empty)
    raw = np.stack([index.vectors[:, s] @ query_vector[s] for s in part_slices(index.parts)]) * p  # unit cosines
    if index.context is not None:
        window_sums, turn_sums = index.context
        return DenseScores(raw, part_cosines(window_sums, query_vector, index.parts),
                           part_cosines(turn_sums, query_vector, index.parts))  # fmt: skip
    joined = index.turn_of[1:] == index.turn_of[:-1]
    neighbours = np.zeros_like(raw)
    neighbours[:, 1:] += np.where(joined, raw[:, :-1], 0.0)
    neighbours[:, :-1] += np.where(joined, raw[:, 1:], 0.0)
    window = (raw + neighbours) / np.maximum(index.window_norm, 1e-6)
    per_turn = np.add.reduceat(raw, index.turn_start, axis=1) / np.maximum(index.turn_norm, 1e-6)
    return DenseScores(raw, window, per_turn[:, index.turn_of])


def ends_turn(interview_id: Any, turn_idx: Any, position: Any) -> ColumnElement[bool]:  # noqa: ANN401  # columns
    """SQL: no passage follows the one at (interview, turn, position) in its turn."""
    later = aliased(models.Passage)
    follows = select(later.id).where(
        later.interview_id == interview_id, later.turn_idx == turn_idx, later.position == position + 1
    )
    return ~follows.exists()


def passage_rows(model_id: str, with_vectors: bool = True, turn_ends: bool = False) -> Select:
    """Every passage with what the index needs (and its vector under `model_id`, if any), in transcript order.

    Without vectors, `vector` is only a marker (the passage id when embedded, else None): the in-process index
    reads the vectors from its own store (bot/search/ann.py), not from 1M rows of the database. With
    `turn_ends`, each row also says whether it ends its turn (a search's candidates, read without their whole
    turns: see `_answer_rows`).
    """
    vector = models.Embedding.vector if with_vectors else models.Embedding.passage_id.label("vector")
    context = []
    if turn_ends:
        last = ends_turn(models.Passage.interview_id, models.Passage.turn_idx, models.Passage.position)
        context = [last.label("last_in_turn")]
    return (
        select(
            models.Passage.id,
            models.Passage.interview_id,
            models.Interview.guild_id,
            models.Passage.speaker,
            models.Passage.lang,
            models.Passage.translation.is_not(None).label("bilingual"),
            models.Passage.turn_idx,
            models.Passage.position,
            models.Interview.date,
            models.Passage.lexical,
            models.Passage.text,
            models.Passage.question_share,
            models.Passage.text_weight,
            models.Passage.has_number,
            models.Turn.asks,
            vector,
            *context,
        )
        .join(models.Interview, models.Interview.id == models.Passage.interview_id)
        .join(
            models.Turn,
            (models.Turn.interview_id == models.Passage.interview_id) & (models.Turn.idx == models.Passage.turn_idx),
        )
        .outerjoin(
            models.Embedding,
            (models.Embedding.passage_id == models.Passage.id) & (models.Embedding.model == model_id),
        )
        .order_by(models.Passage.interview_id, models.Passage.turn_idx, models.Passage.position)
    )


async def load_index(
    sessions: async_sessionmaker[AsyncSession], model_id: str, parts: int | tuple[int, ...]
) -> PassageIndex:
    """Read every passage (and its current-model vector) from the library into memory."""
    async with sessions() as session:
        rows = (await session.execute(passage_rows(model_id))).all()
    index = await asyncio.to_thread(build_index, rows, parts)
    log.info("loaded %d passages (%d with vectors)", len(index), int(index.has_vector.sum()))
    return index


def build_index(
    rows: list,
    parts: int | tuple[int, ...],
    corpus: CorpusStats | None = None,
    asking: Mapping[tuple[int, str], float] | None = None,
    *,
    with_vectors: bool = True,
    words: bool = True,
    terms: Collection[str] | None = None,
    question: np.ndarray | None = None,
) -> PassageIndex:
    """An index over rows shaped like `load_index`'s query (also used for PostgreSQL's candidates); `parts` is
    the embedder's dimension, or the dimensions of each model of a combined one (`embedding_parts`). Candidates
    bring their speakers' `asking_rates` over whole interviews, which their own rows cannot tell.

    Without vectors the rows carry only a marker (`passage_rows(..., with_vectors=False)`): `has_vector` is still
    set, and the caller supplies the vectors and their context norms (bot/search/ann.py). Without `words` the
    index serves only dense statistics (PostgreSQL's sample of a scope): no BM25 postings, text features zero,
    which was half the cost of a scope's first query. With `terms`, BM25 keeps postings of those terms only (a
    search's candidates: see `BM25Index`). Rows with `scores` bring the `question`'s dense scores and their
    `next_similarity` from the server, instead of vectors (PostgreSQL's candidates: see `dense_scores`). The text
    features (share of questions, weight, a number stated) come stored with each row (`passage_features`)."""
    parts = (parts,) if isinstance(parts, int) else tuple(parts)
    dim = sum(parts) if with_vectors else 0
    rows = sorted(rows, key=attrgetter("interview_id", "turn_idx", "position"))
    n = len(rows)
    column = _column(rows)
    vectors = np.zeros((n, dim), dtype=np.float32)
    has_vector = np.fromiter((vector is not None for vector in column("vector")), dtype=bool, count=n)
    if dim and has_vector.any():
        vectors[has_vector] = _stacked([row.vector for row in rows if row.vector is not None], dim)
    turns = list(column("interview_id", "turn_idx"))
    starts = np.fromiter((i == 0 or turns[i] != turns[i - 1] for i in range(n)), dtype=bool, count=n)
    turn_start = np.flatnonzero(starts)
    turn_of = np.cumsum(starts, dtype=np.int64) - 1
    scored = _server_scores(rows, len(parts)) if n and hasattr(rows[0], "scores") else None
    if scored is None:
        window_norm, turn_norm = context_norms(vectors, parts, turn_of, turn_start)
    else:  # the server scored the candidates' windows and turns from their stored sums: the norms go unread
        window_norm, turn_norm = (
            np.ones((len(parts), n), np.float32),
            np.ones((len(parts), len(turn_start)), np.float32),
        )
    rates = asking if asking is not None else asking_rates(rows)
    texts = list(column("text")) if words else [""] * n

    def stored(values: Iterator[float]) -> np.ndarray:  # a text feature stored with each row (`passage_features`)
        return np.fromiter(values, np.float32, n) if words else np.zeros(n, np.float32)

    return PassageIndex(
        ids=np.fromiter(column("id"), dtype=np.int64, count=n),
        interview_ids=np.fromiter(column("interview_id"), dtype=np.int64, count=n),
        guild_ids=np.fromiter(column("guild_id"), dtype=np.int64, count=n),
        **_coded("speaker", list(column("speaker"))),
        **_coded("lang", [r.lang + ("+zh" if r.bilingual else "") for r in rows]),
        **_coded("date", [r.date or "" for r in rows]),
        vectors=vectors,
        parts=parts,
        has_vector=has_vector,
        question_share=stored(column("question_share")),
        answer_row=_answer_rows(rows, turn_start),
        asks=np.fromiter(map(rates.__getitem__, column("interview_id", "speaker")), dtype=np.float32, count=n),
        shortness=stored(max(0.0, 1 - w / MIN_WEIGHT) for w in column("text_weight")),
        has_number=stored(column("has_number")),
        text_hash=TextHashes(texts) if terms is not None else np.fromiter(map(_text_hash, texts), np.int64, n),
        bm25=BM25Index((lexical.split() if words else () for lexical in column("lexical")), corpus=corpus, terms=terms),
        turn_of=turn_of,
        turn_start=turn_start,
        window_norm=window_norm,
        turn_norm=turn_norm,
        scored=(question, scored) if scored is not None and question is not None else None,
        next_similarity=(
            np.fromiter((similarity or 0.0 for similarity in column("next_similarity")), np.float32, n)
            if n and hasattr(rows[0], "next_similarity")
            else None
        ),
    )


def _column(rows: list) -> Callable[..., Iterator[Any]]:
    """`column("id")` iterates the rows' ids (`column("a", "b")`, pairs): attrgetter runs in C, where a generator
    reading `r.id` ran a Python frame per row (a candidates' index, ~500 rows, is built each PostgreSQL search;
    the in-process index builds one of every passage at start-up). An iterator, not a list: no copy of 1M rows."""
    return lambda *names: map(attrgetter(*names), rows)


def _server_scores(rows: list, parts: int) -> DenseScores:
    """The rows' dense scores as the server computed them: per row the `passage`, `window` and `turn` lines of
    `DenseScores`, each model in turn (zeros where a row has no vector)."""
    none = [0.0] * (3 * parts)
    lines = np.array([none if row.scores is None else row.scores for row in rows], dtype=np.float32)
    lines = np.ascontiguousarray(lines.T)  # laid out as numpy sums it in process (the same figures, bit for bit)
    return DenseScores(lines[:parts], lines[parts : 2 * parts], lines[2 * parts :])


def _coded(column: str, values: list[str]) -> dict[str, object]:
    """A text column as PassageIndex holds it: `{column}s`, a code per row, and `{column}_names`, the values.

    The names are copies, not the rows' own strings: one string kept alive pins the allocator's whole arena
    of the rows around it, and a library's ~3 000 speakers, one per interview's stretch of rows, kept 0.65 GB
    of a 1M-passage library's freed rows resident (1.06 against 0.41 GB after loading)."""
    names = [name.encode().decode() for name in sorted(set(values))]
    code = {name: i for i, name in enumerate(names)}
    return {column + "s": np.fromiter(map(code.__getitem__, values), np.int32, len(values)), column + "_names": names}


def _stacked(blobs: list[bytes], dim: int) -> np.ndarray:
    """float32 vectors stored as bytes, as one (len(blobs), dim) array (one copy, not one per row)."""
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)


def context_norms(
    vectors: np.ndarray, parts: tuple[int, ...], turn_of: np.ndarray, turn_start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per part, lengths of each window's and each turn's summed unit vectors (shapes (parts, n) and
    (parts, turns)), in blocks so memory stays flat at 1M rows."""
    n, scale = len(vectors), np.float32(np.sqrt(len(parts)))
    slices = part_slices(parts)
    window = np.zeros((len(parts), n), dtype=np.float32)
    turn = np.zeros((len(parts), len(turn_start)), dtype=np.float32)
    block = 4096  # rows (and turns) per step: about 60 MB of float32 at a time at 896 dimensions
    for a in range(0, n, block):
        b = min(n, a + block)
        lo, hi = max(0, a - 1), min(n, b + 1)
        part = vectors[lo:hi] * scale
        same = turn_of[lo + 1 : hi] == turn_of[lo : hi - 1]
        summed = part.copy()
        summed[1:] += part[:-1] * same[:, None]
        summed[:-1] += part[1:] * same[:, None]
        inner = summed[a - lo : a - lo + (b - a)]
        for i, s in enumerate(slices):
            window[i, a:b] = np.linalg.norm(inner[:, s], axis=1)
    bounds = np.append(turn_start, n)
    for t in range(0, len(turn_start), block):
        u = min(len(turn_start), t + block)
        first, last = bounds[t], bounds[u]
        sums = np.add.reduceat(vectors[first:last] * scale, turn_start[t:u] - first) if last > first else vectors[:0]
        for i, s in enumerate(slices):
            turn[i, t:u] = np.linalg.norm(sums[:, s], axis=1)
    return window, turn


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True)


def _text_hash(text: str) -> int:
    """`PassageIndex.text_hash` of one passage: copies of one text (script, case and spacing aside) alike."""
    return _hash(comparison_key(text))


class TextHashes:
    """`PassageIndex.text_hash` of a search's candidates, each hashed when first read: choosing quotes reads a few
    dozen of their ~500 rows, and hashing them all was a fifth of building their index on PostgreSQL."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts
        self._known: dict[int, int] = {}

    def __getitem__(self, row: int) -> int:
        known = self._known.get(row)
        if known is None:
            known = self._known[row] = _text_hash(self._texts[row])
        return known


def asking_rates(rows: list) -> dict[tuple[int, str], float]:
    """The share of each (interview, speaker)'s turns among `rows` that end asking: an interviewer's words
    score near 1, a guest's near 0. Evidence of who answers, not a fixed role: ranking weighs it."""
    turns = {(r.interview_id, r.turn_idx): (r.speaker, r.asks) for r in rows}
    counts: dict[tuple[int, str], list[int]] = {}
    for (interview, _), (speaker, asks) in turns.items():
        count = counts.setdefault((interview, speaker), [0, 0])
        count[0] += bool(asks)
        count[1] += 1
    return {key: asked / total for key, (asked, total) in counts.items()}


def _answer_rows(rows: list, turn_start: np.ndarray) -> np.ndarray:
    """For the last passage of each turn that ends asking, the first row of the next turn when another speaker
    takes it (the reply); -1 everywhere else."""
    answer = np.full(len(rows), -1, dtype=np.int64)
    for first in turn_start[1:].tolist():
        reply, asked = rows[first], rows[first - 1]
        follows = reply.interview_id == asked.interview_id and reply.turn_idx == asked.turn_idx + 1
        # candidates without their whole turns say whether a row ends its turn and where the reply starts
        follows &= getattr(asked, "last_in_turn", True) and reply.position == 0
        if follows and asked.asks and reply.speaker != asked.speaker:
            answer[first - 1] = first
    return answer


def top_k(scores: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (rows, scores) among `rows`, best first, without sorting everything. Ties go to the lower
    row (earlier in the transcript), whichever rows the array holds: the whole scope in process, candidates on
    PostgreSQL, which must agree (lexical search alone gives many equal scores)."""
    if len(rows) == 0:
        return rows, scores[:0]
    k = min(k, len(rows))
    kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
    if np.isnan(kth):  # fewer than k numbers: NaN rows last
        better, tied = np.flatnonzero(~np.isnan(scores)), np.flatnonzero(np.isnan(scores))
    else:
        better, tied = np.flatnonzero(scores > kth), np.flatnonzero(scores == kth)
    chosen = np.concatenate([better, tied[np.argsort(rows[tied], kind="stable")][: k - len(better)]])
    order = chosen[np.lexsort((rows[chosen], -scores[chosen]))]
    return rows[order], scores[order]


def candidate_rows(index: PassageIndex, scope: Scope) -> np.ndarray:
    """Row numbers the scope allows."""
    return np.flatnonzero(index.mask(scope))
