"""Hybrid quote search: dense (multilingual embeddings) + lexical (BM25 over Chinese-aware tokens), fused.

A question in any language or script finds the speaker's exact words: the dense side carries meaning
across languages, the lexical side pins names, numbers and rare terms. When neither side finds anything
that stands out from the rest of the library, the search declines instead of returning the least-bad passage.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.embedder import Embedder
from bot.search.index import PassageIndex, Scope, candidate_rows, load_index, top_k
from bot.search.indexer import vector_key
from bot.search.lexical import normalize, to_simplified, tokenize
from bot.search.pgvector import candidate_source

log = logging.getLogger(__name__)

RRF_K = 60
POOL = 50  # candidates taken from each side before fusion


@dataclass(frozen=True)
class Calibration:
    """When to say "nothing matched", and how to fuse. Measured on the dev set by `colloquy eval search`.

    The best dense score must stand out from the scope: its z-score (e5's cosines are compressed, so raw
    cosines mean little) minus sqrt(2 ln N), the z-score the best of N unrelated passages reaches by
    chance, must exceed `min_dense_excess` — unless the lexical side matched most of the question's weight.
    """

    min_dense_excess: float = -0.45
    min_lexical_coverage: float = 0.75
    min_scope_to_decline: int = 50  # fewer passages than this say nothing about chance: never decline
    lexical_weight: float = 1.0  # added to the dense z-score for the best lexical match (scaled 0..1)
    speaker_boost: float = 0.5  # added for passages by a speaker the question names
    question_penalty: float = 1.5  # taken from passages that only ask: people search for answers
    fusion: str = "score"  # "score" (weighted sum) or "rrf" (reciprocal rank fusion); `colloquy eval` compares


@dataclass(frozen=True)
class Hit:
    """One quote: the speaker's words with where they come from."""

    passage_id: int
    interview_id: int
    interview_title: str | None
    source_url: str | None
    date: str | None
    speaker: str
    text: str
    translation: str | None
    lang: str
    turn_idx: int
    position: int
    section: str | None
    start: float | None
    score: float

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of a hit (README, 'JSON output')."""
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    """Hits best first; `declined` when nothing in scope answers the question (hits are then empty)."""

    query: str
    hits: list[Hit]
    declined: bool = False
    diagnostics: dict[str, float] = field(default_factory=dict)


def _words(name: str) -> set[str]:
    return set(re.findall(r"\w+", normalize(name)))


def match_speakers(name: str, known: set[str], aliases: object = None) -> frozenset[str]:
    """Stored speaker names a user-typed name refers to: exact, via the alias table, or by name words.

    'Alex Kantrowitz' finds 'Alex' (the only name the transcript gave) and 'altman' finds 'Sam Altman'.
    """
    canonical = getattr(aliases, "canonical", None)
    wanted = canonical(name) if callable(canonical) and canonical(name) else name
    exact = {k for k in known if normalize(k) in (normalize(wanted), normalize(name))}
    if exact:
        return frozenset(exact)
    words = _words(wanted) | _words(name)
    return frozenset(k for k in known if (kw := _words(k)) and (kw <= words or words <= kw))


def mentioned_speakers(query: str, speakers: list[str], aliases: object = None) -> tuple[frozenset[str], str]:
    """Speakers a question names ("what did Altman say…", "孫正義怎麼看…") and the question without them.

    The names are stripped before embedding: a name says whose words to prefer, not what they are about.
    Latin single names must be capitalised and whole words ('Son', not 'son'); Chinese names match in
    either script.
    """
    people = getattr(aliases, "people", [])
    found: set[str] = set()
    rest = query
    forms = []
    for speaker in speakers:
        names = {speaker, *(w for w in speaker.split() if len(w) >= 3)}
        for canonical, alias_list in people:
            if canonical == speaker:
                names.update(a for a in alias_list if len(a) >= 2)
        forms.extend((name, speaker) for name in names)
    for name, speaker in sorted(forms, key=lambda f: -len(f[0])):
        if re.search(r"[\u3400-\u9fff]", name):
            simplified = to_simplified(name)
            hit = simplified in to_simplified(rest)
            pattern = re.compile("|".join(re.escape(n) for n in {name, simplified}))
        else:
            flags = re.I if " " in name else 0
            pattern = re.compile(rf"\b{re.escape(name)}(?:'s|’s)?\b", flags)
            hit = bool(pattern.search(rest))
        if hit:
            found.add(speaker)
            rest = pattern.sub(" ", to_simplified(rest) if re.search(r"[\u3400-\u9fff]", name) else rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    return frozenset(found), rest if len(rest) >= 3 else query


class SearchService:
    """Answers searches from an in-memory index of the library, rebuilt lazily after changes."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        embedder: Embedder,
        *,
        aliases: object = None,
        calibration: Calibration | None = None,
    ) -> None:
        self.sessions = sessions
        self.embedder = embedder
        self.aliases = aliases
        self.calibration = calibration or Calibration()
        self._index: PassageIndex | None = None
        self._lock = asyncio.Lock()
        # On PostgreSQL each search fetches its candidates from the server (pgvector HNSW + full-text) instead.
        self.candidates = candidate_source(sessions, embedder)

    def invalidate(self) -> None:
        """Drop the in-memory index; the next search reloads it (called when the library changes)."""
        self._index = None
        if self.candidates is not None:
            self.candidates.invalidate()

    async def index(self) -> PassageIndex:
        """The current index, loading it if needed."""
        async with self._lock:
            if self._index is None:
                self._index = await load_index(self.sessions, vector_key(self.embedder), self.embedder.dim)
            return self._index

    async def speakers(self) -> set[str]:
        """Every speaker name in the index."""
        if self.candidates is not None:
            return await self.candidates.speakers()
        return set((await self.index()).speaker_names)

    async def scope_for(
        self,
        *,
        guild_ids: frozenset[int] = frozenset({models.GLOBAL_LIBRARY}),
        speaker: str | None = None,
        interview_id: int | None = None,
        language: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Scope:
        """Build a scope, resolving a typed speaker name to the stored names (none found: an empty scope)."""
        speakers = match_speakers(speaker, await self.speakers(), self.aliases) if speaker else None
        return Scope(guild_ids, speakers, interview_id, language, date_from, date_to)

    async def search(self, query: str, scope: Scope, k: int = 5, method: str = "hybrid") -> SearchResult:
        """The k best quotes for `query` within `scope`; method is 'hybrid', 'dense' or 'lexical'."""
        named, rest = mentioned_speakers(query, sorted(await self.speakers()), self.aliases)
        query_vector = (
            (await asyncio.to_thread(self.embedder.encode_queries, [rest]))[0] if method != "lexical" else None
        )
        if self.candidates is not None:
            index = await self.candidates.index_for(query, query_vector, scope, method)
        else:
            index = await self.index()
        boost = np.isin(index.speakers, index.speaker_codes(named)).astype(np.float32) if named else None
        ranked, diagnostics, declined = rank(index, query, query_vector, scope, method, self.calibration, boost)
        if declined:
            return SearchResult(query, [], True, diagnostics)
        rows = collapse_near_duplicates(index, ranked, k)
        hits = await self._hits([(int(index.ids[r]), s) for r, s in rows])
        return SearchResult(query, hits, False, diagnostics)

    async def _hits(self, scored: list[tuple[int, float]]) -> list[Hit]:
        if not scored:
            return []
        ids = [pid for pid, _ in scored]
        query = (
            select(models.Passage, models.Interview, models.Turn)
            .join(models.Interview, models.Interview.id == models.Passage.interview_id)
            .join(
                models.Turn,
                (models.Turn.interview_id == models.Passage.interview_id)
                & (models.Turn.idx == models.Passage.turn_idx),
            )
            .where(models.Passage.id.in_(ids))
        )
        async with self.sessions() as session:
            found = {p.id: (p, i, t) for p, i, t in (await session.execute(query)).all()}
        hits = []
        for pid, score in scored:
            if pid not in found:  # deleted since the index was loaded
                continue
            p, i, t = found[pid]
            hits.append(
                Hit(
                    p.id, i.id, i.title, i.source_url, i.date, p.speaker, p.text, p.translation, p.lang,
                    p.turn_idx, p.position, t.section, t.start, round(float(score), 6),
                )
            )  # fmt: skip
        return hits

    async def context(self, hit: Hit, before: int = 1, after: int = 1) -> list[models.Turn]:
        """The turns around a quote, for a "show context" view."""
        async with self.sessions() as session:
            rows = await session.scalars(
                select(models.Turn)
                .where(
                    models.Turn.interview_id == hit.interview_id,
                    models.Turn.idx.between(hit.turn_idx - before, hit.turn_idx + after),
                )
                .order_by(models.Turn.idx)
            )
            return list(rows)


def rank(
    index: PassageIndex,
    query: str,
    query_vector: np.ndarray | None,
    scope: Scope,
    method: str,
    calibration: Calibration,
    boost_rows: np.ndarray | None = None,
) -> tuple[list[tuple[int, float]], dict[str, float], bool]:
    """Rank rows for a query (pure): returns (row, score) best first, diagnostics, and whether to decline.

    Dense scores are standardized over the scope (z-scores: e5's cosines are compressed, USE's are not, and
    only their spread means anything); lexical BM25 is scaled to the best lexical match. 'hybrid' adds the
    two ("score" fusion) or fuses their rankings by reciprocal rank ("rrf"). Passages by a speaker the
    question names ("what did Altman say…") get a fixed boost.
    """
    rows = candidate_rows(index, scope)
    diagnostics: dict[str, float] = {"candidates": float(len(rows))}
    if len(rows) == 0:
        return [], diagnostics, True
    dense = np.full(len(rows), np.nan, dtype=np.float32)
    lexical = np.zeros(len(rows), dtype=np.float32)
    dense_z = lexical_coverage = 0.0
    dense_excess = -math.inf
    if query_vector is not None and method != "lexical":
        embedded = index.has_vector[rows]
        if embedded.any():
            # Scoring every row and then selecting avoids copying the scope's slice of the matrix.
            raw = (index.vectors @ query_vector)[rows[embedded]]
            mean, std, count = index.dense_moments(raw, query_vector)  # over the scope (PostgreSQL: estimated)
            dense[embedded] = (raw - mean) / (std or 1.0)
            dense_z = float(np.nanmax(dense))
            dense_excess = dense_z - math.sqrt(2 * math.log(max(2, count)))
    tokens = tokenize(query) if method != "dense" else []
    if tokens:
        scores = index.bm25.scores(tokens)[rows]
        if scores.max() > 0:
            lexical = scores / scores.max()
            lexical_coverage = index.bm25.coverage(tokens, int(rows[int(np.argmax(scores))]))
    diagnostics.update(
        dense_z=round(dense_z, 3), dense_excess=round(dense_excess, 3), lexical_coverage=round(lexical_coverage, 3)
    )
    if index.scope_size(rows) < calibration.min_scope_to_decline:
        dense_excess = math.inf
    boost = calibration.speaker_boost * boost_rows[rows] if boost_rows is not None else 0.0
    boost = boost - calibration.question_penalty * index.is_question[rows]
    if method == "lexical":
        combined = np.where(lexical > 0, lexical + boost, -np.inf)
        declined = lexical_coverage < calibration.min_lexical_coverage
    elif method == "dense":
        combined = np.nan_to_num(dense, nan=-np.inf) + boost
        declined = dense_excess < calibration.min_dense_excess
    else:
        declined = dense_excess < calibration.min_dense_excess and lexical_coverage < calibration.min_lexical_coverage
        if calibration.fusion == "rrf":
            dense_list = _ranked(rows, np.nan_to_num(dense, nan=-np.inf) + boost)
            lexical_list = _ranked(rows, np.where(lexical > 0, lexical + boost, -np.inf))
            return reciprocal_rank_fusion([dense_list, lexical_list]), diagnostics, declined
        combined = np.nan_to_num(dense, nan=np.nanmin(dense) if dense_z else 0.0) + calibration.lexical_weight * lexical
        combined = combined + boost
    return _ranked(rows, combined), diagnostics, declined


def _ranked(rows: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
    best_rows, best = top_k(scores, rows, POOL)
    keep = np.isfinite(best)
    return list(zip(best_rows[keep].tolist(), best[keep].tolist(), strict=True))


def reciprocal_rank_fusion(rankings: list[list[tuple[int, float]]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse rankings by 1/(k + rank): robust to the two sides' incomparable score scales."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for position, (row, _) in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + position + 1)
    return sorted(fused.items(), key=lambda item: -item[1])


def collapse_near_duplicates(index: PassageIndex, ranked: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """Keep the best of passages that repeat one idea: adjacent in one turn and nearly the same vector."""
    kept: list[tuple[int, float]] = []
    for row, score in ranked:
        if len(kept) == k:
            break
        duplicate = any(
            index.interview_ids[row] == index.interview_ids[other]
            and abs(row - other) <= 1  # rows follow passage ids: transcript order
            and float(index.vectors[row] @ index.vectors[other]) > 0.95
            for other, _ in kept
        )
        if not duplicate:
            kept.append((row, score))
    return kept
