"""`colloquy bench summary`: how long an interview summary takes once its passages are embedded."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.summarize.service import Summarizer


@dataclass(frozen=True)
class SummaryBench:
    """Timings in milliseconds of `Summarizer.interview` (cache off) on one interview."""

    interview_id: int
    utf8_bytes: int
    passages: int
    median_ms: float
    p95_ms: float
    first_ms: float  # the first call also warms the tokenizer's caches


async def largest_interview(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
    """(id, UTF-8 bytes of its passages, passages) of the interview with the most text."""
    sizes: dict[int, list[int]] = {}
    async with sessions() as session:
        for interview_id, text in await session.execute(select(models.Passage.interview_id, models.Passage.text)):
            size = sizes.setdefault(interview_id, [0, 0])
            size[0] += len(text.encode())
            size[1] += 1
    if not sizes:
        raise LookupError("the library is empty")
    interview_id, (size, count) = max(sizes.items(), key=lambda item: item[1][0])
    return interview_id, size, count


async def bench_interview(
    summarizer: Summarizer, sessions: async_sessionmaker[AsyncSession], rounds: int
) -> SummaryBench:
    """Summarize the largest interview `rounds` times with the cache off; median and p95 of the wall time."""
    interview_id, size, passages = await largest_interview(sessions)
    summarizer.use_cache = False
    timings = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        await summarizer.interview(interview_id, points=5, abstractive=False)
        timings.append((time.perf_counter() - started) * 1000)
    first, rest = timings[0], sorted(timings[1:])
    p95 = rest[min(len(rest) - 1, round(0.95 * (len(rest) - 1)))]
    return SummaryBench(interview_id, size, passages, round(statistics.median(rest), 1), round(p95, 1), round(first, 1))
