"""Context vectors: each passage's window (it and its neighbours in the turn) and its whole turn, summed once when
the passage is embedded and stored beside its vector (`Embedding.window_vector`, `turn_vector`, float16).

Why: ranking scores the question against a passage's window and turn as well as the passage. With the sums
stored, a search reads only its candidates (PostgreSQL: in the same statement as their vectors), never their
whole turns. The indexer recomputes the sums of every turn it adds vectors to (an interview replaced is new
passages, so its turns are computed afresh); `fill_contexts` stores any that are missing (a bulk copy).

A sum, not a unit vector: each model's part of it is normalized when scored (`index.part_cosines`), so the stored
value does not depend on how the embedder splits its dimensions.
"""

from __future__ import annotations

import logging

import numpy as np
from scipy import sparse
from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.library.database import work_lock

log = logging.getLogger(__name__)

FILL_BATCH = 2000  # passages whose turns are (re)computed per statement


def context_sums(vectors: np.ndarray, turn_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(window sums, turn sums), one row per row of `vectors` (rows in transcript order, `turn_of` numbering each
    row's turn; a row without a vector is zeros and adds nothing)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) == 0:
        return vectors.copy(), vectors.copy()
    same = (turn_of[1:] == turn_of[:-1])[:, None]
    window = vectors.copy()
    window[1:] += np.where(same, vectors[:-1], 0.0)
    window[:-1] += np.where(same, vectors[1:], 0.0)
    local = np.cumsum(np.r_[True, ~same[:, 0]]) - 1
    # each turn's sum through a sparse (turns × rows) matrix of ones: numpy's reduceat along rows took ~30 ms here
    members = sparse.csr_matrix((np.ones(len(local), np.float32), (local, np.arange(len(local)))))
    return window, np.asarray(members @ vectors, dtype=np.float32)[local]


async def store_contexts(session: AsyncSession, key: str, passage_ids: list[int]) -> int:
    """Recompute and store the context vectors (under vector key `key`) of every passage in the turns holding
    these passages; returns how many rows were written."""
    if not passage_ids:
        return 0
    turn = tuple_(models.Passage.interview_id, models.Passage.turn_idx)
    touched = select(models.Passage.interview_id, models.Passage.turn_idx).where(models.Passage.id.in_(passage_ids))
    rows = (
        await session.execute(
            select(models.Passage.id, models.Passage.interview_id, models.Passage.turn_idx, models.Embedding.vector)
            .outerjoin(
                models.Embedding,
                (models.Embedding.passage_id == models.Passage.id) & (models.Embedding.model == key),
            )
            .where(turn.in_(touched.distinct()))
            .order_by(models.Passage.interview_id, models.Passage.turn_idx, models.Passage.position)
        )
    ).all()
    embedded = [i for i, row in enumerate(rows) if row.vector is not None]
    if not embedded:
        return 0
    dim = len(rows[embedded[0]].vector) // 4
    vectors = np.zeros((len(rows), dim), dtype=np.float32)
    for i in embedded:
        vectors[i] = np.frombuffer(rows[i].vector, dtype=np.float32)
    keys = [(row.interview_id, row.turn_idx) for row in rows]
    turn_of = np.cumsum([i == 0 or keys[i] != keys[i - 1] for i in range(len(rows))]) - 1
    window, turns = (part.astype(np.float16) for part in context_sums(vectors, turn_of))
    table = models.Embedding.__table__
    statement = (
        update(table)
        .where(table.c.passage_id == bindparam("pid"), table.c.model == key)
        .values(
            window_vector=bindparam("window", type_=models.HalfVectorBytes),
            turn_vector=bindparam("turn", type_=models.HalfVectorBytes),
        )
    )
    values = [{"pid": rows[i].id, "window": window[i].tobytes(), "turn": turns[i].tobytes()} for i in embedded]
    await session.execute(statement, values)
    return len(values)


async def fill_missing_contexts(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Fill the context vectors missing under any vector key (after migration 0008 or a bulk copy), holding the
    embedding lock so no indexer changes a turn meanwhile; a quick look at an index when nothing is missing."""
    async with sessions() as session:
        keys = list(
            await session.scalars(
                select(models.Embedding.model).where(models.Embedding.window_vector.is_(None)).distinct()
            )
        )
    written = 0
    for key in keys:
        async with work_lock(sessions.kw["bind"], "embedding"):
            written += await fill_contexts(sessions, key)
    return written


async def fill_contexts(sessions: async_sessionmaker[AsyncSession], key: str) -> int:
    """Store every missing context vector under `key` (vectors written by a bulk copy, or before migration 0008),
    a batch of turns per transaction; returns how many rows were written."""
    written = 0
    while True:
        async with sessions.begin() as session:
            missing = list(
                await session.scalars(
                    select(models.Embedding.passage_id)
                    .where(models.Embedding.model == key, models.Embedding.window_vector.is_(None))
                    .limit(FILL_BATCH)
                )
            )
            if not missing:
                break
            written += await store_contexts(session, key, missing)
    if written:
        log.info("stored the context vectors of %d passages", written)
    return written
