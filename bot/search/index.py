"""The in-process passage index: vectors and lexical postings loaded from the library, filtered in the query.

Every search narrows the rows by library scope (guild), speaker, interview, language and date *before*
scoring, so a caller never sees a passage from a library they may not read. The index is rebuilt lazily
after the library or the vectors change.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.lexical import BM25Index, CorpusStats
from bot.search.passages import split_sentences

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


@dataclass
class PassageIndex:
    """Columns of every passage plus its vector (zeros where not yet embedded) and BM25 postings."""

    ids: np.ndarray
    interview_ids: np.ndarray
    guild_ids: np.ndarray
    speakers: np.ndarray  # int32 code per row into speaker_names
    speaker_names: list[str]
    langs: np.ndarray  # object array: "en", "zh-Hans", ... and "+"-joined when bilingual
    dates: np.ndarray  # object array of ISO dates or ""
    vectors: np.ndarray  # float32 (n, dim)
    has_vector: np.ndarray  # bool
    is_question: np.ndarray  # float32 1.0 where the passage only asks a question
    bm25: BM25Index

    def __len__(self) -> int:
        return len(self.ids)

    def dense_moments(self, raw: np.ndarray, query_vector: np.ndarray) -> tuple[float, float, int]:
        """Mean, standard deviation and count of the dense scores over the scope; here `raw` is the whole scope.

        A subclass holding only candidates (bot/search/pgvector.py) estimates them from a sample of the scope.
        """
        return float(raw.mean()), float(raw.std()), len(raw)

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
            keep &= np.fromiter((scope.language in lang for lang in self.langs), dtype=bool, count=len(self))
        if scope.date_from:
            keep &= self.dates >= scope.date_from
        if scope.date_to:
            keep &= (self.dates <= scope.date_to) & (self.dates != "")
        return keep


def passage_rows(model_id: str) -> Select:
    """Every passage with what the index needs (and its vector under `model_id`, if any), in id order."""
    return (
        select(
            models.Passage.id,
            models.Passage.interview_id,
            models.Interview.guild_id,
            models.Passage.speaker,
            models.Passage.lang,
            models.Passage.translation.is_not(None),
            models.Interview.date,
            models.Passage.lexical,
            models.Passage.text,
            models.Embedding.vector,
        )
        .join(models.Interview, models.Interview.id == models.Passage.interview_id)
        .outerjoin(
            models.Embedding,
            (models.Embedding.passage_id == models.Passage.id) & (models.Embedding.model == model_id),
        )
        .order_by(models.Passage.id)
    )


async def load_index(sessions: async_sessionmaker[AsyncSession], model_id: str, dim: int) -> PassageIndex:
    """Read every passage (and its current-model vector) from the library into memory."""
    async with sessions() as session:
        rows = (await session.execute(passage_rows(model_id))).all()
    index = await asyncio.to_thread(build_index, rows, dim)
    log.info("loaded %d passages (%d with vectors)", len(index), int(index.has_vector.sum()))
    return index


def build_index(rows: list, dim: int, corpus: CorpusStats | None = None) -> PassageIndex:
    """An index over rows shaped like `load_index`'s query (also used for PostgreSQL's candidates)."""
    n = len(rows)
    vectors = np.zeros((n, dim), dtype=np.float32)
    has_vector = np.zeros(n, dtype=bool)
    for i, row in enumerate(rows):
        if row.vector is not None:
            vectors[i] = np.frombuffer(row.vector, dtype=np.float32)
            has_vector[i] = True
    names = sorted({r.speaker for r in rows})
    code = {name: i for i, name in enumerate(names)}
    return PassageIndex(
        ids=np.fromiter((r.id for r in rows), dtype=np.int64, count=n),
        interview_ids=np.fromiter((r.interview_id for r in rows), dtype=np.int64, count=n),
        guild_ids=np.fromiter((r.guild_id for r in rows), dtype=np.int64, count=n),
        speakers=np.fromiter((code[r.speaker] for r in rows), dtype=np.int32, count=n),
        speaker_names=names,
        langs=np.array([r.lang + ("+zh" if r[5] else "") for r in rows], dtype=object),
        dates=np.array([r.date or "" for r in rows], dtype=object),
        vectors=vectors,
        has_vector=has_vector,
        is_question=np.fromiter((_only_asks(r.text) for r in rows), dtype=np.float32, count=n),
        bm25=BM25Index([r.lexical.split() for r in rows], corpus=corpus),
    )


def _only_asks(text: str) -> bool:
    """True for a passage whose every sentence is a question."""
    sentences = [s for s in split_sentences(text.replace("\n", " ")) if s.strip()]
    return bool(sentences) and all(s.rstrip("”’\"')）").endswith(("?", "？")) for s in sentences)


def top_k(scores: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (rows, scores) among `rows`, best first, without sorting everything."""
    if len(rows) == 0:
        return rows, scores[:0]
    k = min(k, len(rows))
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part], kind="stable")]
    return rows[order], scores[order]


def candidate_rows(index: PassageIndex, scope: Scope) -> np.ndarray:
    """Row numbers the scope allows."""
    return np.flatnonzero(index.mask(scope))
