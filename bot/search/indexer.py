"""Embed passages that have no vector for the current model, in batches, resumably.

Each batch is its own transaction, so an interrupted run keeps what it finished and the next run
picks up the rest; search answers from whatever is already embedded in the meantime.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
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
    """Embed every passage lacking a current vector; vectors of any other model are deleted first."""
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
    while True:
        async with sessions() as session:
            embedded = select(models.Embedding.passage_id).where(models.Embedding.model == key)
            rows = (
                await session.execute(
                    select(models.Passage.id, models.Passage.text, models.Passage.translation, models.Passage.context)
                    .where(models.Passage.id.not_in(embedded))
                    .order_by(models.Passage.id)
                    .limit(batch_size * 8)
                )
            ).all()
        if not rows:
            break
        texts = [
            passage_embedding_text(text, translation, context if EMBED_QUESTION_CONTEXT else None)
            for _, text, translation, context in rows
        ]
        vectors = await asyncio.to_thread(embedder.encode_passages, texts, batch_size)
        async with sessions.begin() as session:
            # A passage deleted meanwhile (interview replaced) is simply skipped by the foreign key check.
            existing = set(
                await session.scalars(select(models.Passage.id).where(models.Passage.id.in_([r[0] for r in rows])))
            )
            values = [
                {"passage_id": pid, "model": key, "vector": np.asarray(vec, dtype=np.float32).tobytes()}
                for (pid, *_), vec in zip(rows, vectors, strict=True)
                if pid in existing
            ]
            if values:
                await session.execute(models.Embedding.__table__.insert(), values)
        done += len(rows)
        if progress:
            progress(min(done, total), total)
        log.debug("embedded %d/%d passages", done, total)
    seconds = loop.time() - started
    if done:
        log.info("embedded %d passages in %.1f s (%.1f/s)", done, seconds, done / max(seconds, 1e-9))
    return IndexReport(done, stale.rowcount or 0, seconds)
