"""Embed passages that have no vector for the current model, in batches, resumably.

Each batch is its own transaction, so an interrupted run keeps what it finished and the next run
picks up the rest; search answers from whatever is already embedded in the meantime.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.library.database import insert_ignoring_duplicates, work_lock
from bot.search.context import store_contexts
from bot.search.embedder import Embedder

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class IndexReport:
    """What an indexing run did."""

    embedded: int
    removed_stale: int
    seconds: float


RECIPE = "plain1"  # what is embedded for a passage (see passage_embedding_text); part of every vector's key
# Embedding the question a passage answers (Passage.context) with it was measured on the dev set: recall@5
# 0.686 → 0.714, but MRR@10 0.590 → 0.541 and the "nothing matched" margin between negatives and answers
# disappeared, so it is off. Flip it (and RECIPE) to try again with a better calibration.
EMBED_QUESTION_CONTEXT = False


def vector_key(embedder: Embedder) -> str:
    """The key stored with every vector: model and recipe. Any change makes old vectors stale."""
    return f"{embedder.model_id}/{RECIPE}"


def passage_embedding_text(text: str, translation: str | None, context: str | None = None) -> str:
    """What gets embedded for a passage: the question it answers, then both language versions, so either
    language finds it and an answer is found by what was asked ("the biggest cost?" → "chance conversations")."""
    return "\n".join(part for part in (context, text, translation) if part)


CHUNK_BATCHES = 16  # batches read, encoded and written as one chunk (the next chunk is read meanwhile)
PROGRESS_EVERY = 50  # at most this many passages between two progress reports (a 471-passage upload sat at 0)


def _encode_reporting(
    embedder: Embedder, texts: list[str], batch_size: int, report: Callable[[int], None]
) -> np.ndarray:
    """Encode a chunk batch by batch, longest texts first (each batch pads little, as when the model sorts a
    whole chunk itself), calling `report(n)` after each batch of at most PROGRESS_EVERY passages."""
    step = max(1, min(batch_size, PROGRESS_EVERY))
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    vectors = np.empty((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(order), step):
        part = order[start : start + step]
        vectors[part] = embedder.encode_passages([texts[i] for i in part], batch_size)
        report(len(part))
    return vectors


async def _unembedded(sessions: async_sessionmaker[AsyncSession], key: str, after: int, limit: int) -> list:
    """The next passages after id `after` without a vector under `key` (keyset paging keeps a backlog linear)."""
    has_vector = exists().where(models.Embedding.passage_id == models.Passage.id, models.Embedding.model == key)
    async with sessions() as session:
        query = (
            select(models.Passage.id, models.Passage.text, models.Passage.translation, models.Passage.context)
            .where(models.Passage.id > after, ~has_vector)
            .order_by(models.Passage.id)
            .limit(limit)
        )
        return list((await session.execute(query)).all())


async def _store(sessions: async_sessionmaker[AsyncSession], key: str, rows: list, vectors: np.ndarray) -> None:
    """Write one chunk's vectors in its own transaction; a passage deleted meanwhile (interview replaced) is
    skipped."""
    async with sessions.begin() as session:
        existing = set(
            await session.scalars(select(models.Passage.id).where(models.Passage.id.in_([r[0] for r in rows])))
        )
        values = [
            {"passage_id": pid, "model": key, "vector": np.asarray(vec, dtype=np.float32).tobytes()}
            for (pid, *_), vec in zip(rows, vectors, strict=True)
            if pid in existing
        ]
        if values:  # a vector another process stored first (an older version without the lock) is kept
            await session.execute(insert_ignoring_duplicates(session, models.Embedding), values)
            # their turns' window and turn sums, with these vectors (a turn cut across chunks is redone whole)
            await store_contexts(session, key, [value["passage_id"] for value in values])


async def pending_count(sessions: async_sessionmaker[AsyncSession], key: str) -> int:
    """Passages still waiting for a vector under this key (see vector_key)."""
    async with sessions() as session:
        embedded = select(models.Embedding.passage_id).where(models.Embedding.model == key)
        return await session.scalar(select(func.count()).where(models.Passage.id.not_in(embedded))) or 0


async def embed_pending(
    sessions: async_sessionmaker[AsyncSession],
    embedder: Embedder,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> IndexReport:
    """Embed every passage lacking a current vector; vectors of any other model are deleted first.

    One process embeds at a time (`work_lock`): a second one (two ingests at once, a bot beside the CLI) waits,
    then embeds whatever is still pending, so no passage is embedded twice and no vector collides with another's.
    The model encodes one chunk in a worker thread while the loop writes the previous chunk's vectors and
    reads the next chunk, so the database adds almost nothing to the model's own time.
    """
    async with work_lock(sessions.kw["bind"], "embedding"):
        return await _embed_pending(sessions, embedder, batch_size, progress)


async def _embed_pending(
    sessions: async_sessionmaker[AsyncSession], embedder: Embedder, batch_size: int, progress: Progress | None
) -> IndexReport:
    loop = asyncio.get_running_loop()
    started = loop.time()
    key = vector_key(embedder)
    async with sessions.begin() as session:
        stale = await session.execute(delete(models.Embedding).where(models.Embedding.model != key))
    if stale.rowcount:
        log.info("removed %d vectors of another model; re-embedding with %s", stale.rowcount, key)
    total = await pending_count(sessions, key)
    done = 0
    if progress:
        progress(0, total)

    def advanced(n: int) -> None:  # on the loop, after each encoded batch
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total)

    def report(n: int) -> None:  # in the encoding thread
        loop.call_soon_threadsafe(advanced, n)

    rows = await _unembedded(sessions, key, 0, batch_size * CHUNK_BATCHES)
    written: asyncio.Task[None] | None = None
    try:
        while rows:
            texts = [
                passage_embedding_text(text, translation, context if EMBED_QUESTION_CONTEXT else None)
                for _, text, translation, context in rows
            ]
            # A plain executor future, not a task: Ctrl-C inside the model reaches the caller like any error.
            encoding = loop.run_in_executor(
                None, functools.partial(_encode_reporting, embedder, texts, batch_size, report)
            )
            following = await _unembedded(sessions, key, rows[-1][0], batch_size * CHUNK_BATCHES)
            vectors = await encoding
            if written is not None:
                await written
            written = asyncio.create_task(_store(sessions, key, rows, vectors))
            log.debug("embedded %d/%d passages", done, total)
            rows = following
    finally:
        if written is not None:  # what was encoded is kept, whatever stopped the run
            await written
    seconds = loop.time() - started
    if done:
        log.info("embedded %d passages in %.1f s (%.1f/s)", done, seconds, done / max(seconds, 1e-9))
    return IndexReport(done, stale.rowcount or 0, seconds)
