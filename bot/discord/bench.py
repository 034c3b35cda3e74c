"""How fast autocomplete answers on the service side (Discord allows 3 s; we aim at under 50 ms), on a synthetic
library of N interviews."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.discord.catalog import Catalog
from bot.library import models
from bot.library.service import Library

WORDS = ("tides", "harbour", "founder", "gardens", "remote", "tutors", "money", "cities", "heat", "boats", "design")
TURNS_PER_SPEAKER = 10


@dataclass(frozen=True)
class AutocompleteBench:
    """Milliseconds: reading the global library's lists (once, at start), a server's first call (reads its own
    uploads and merges), then p50/p95 of calls answered from the cache."""

    interviews: int
    speakers: int
    warm_ms: float
    first_ms: float
    interview_p50_ms: float
    interview_p95_ms: float
    speaker_p50_ms: float
    speaker_p95_ms: float


async def build_interview_library(sessions: async_sessionmaker[AsyncSession], interviews: int, seed: int = 11) -> int:
    """Insert N interviews with two speakers each (a host and a guest among N/2 people); returns the speaker count."""
    rng = random.Random(seed)
    people = [f"{rng.choice(WORDS).title()} Person{n}" for n in range(max(2, interviews // 2))]
    rows, turns = [], []
    for i in range(1, interviews + 1):
        host, guest = rng.sample(people, 2)
        rows.append({
            "id": i, "guild_id": models.GLOBAL_LIBRARY, "source_key": f"synthetic-{i}.txt", "content_hash": str(i),
            "title": f"{rng.choice(WORDS).title()} and {rng.choice(WORDS)}, episode {i}", "format": "synthetic",
            "languages": ["en"], "participants": {host: TURNS_PER_SPEAKER, guest: TURNS_PER_SPEAKER}, "warnings": [],
            "ingested_at": datetime.now(UTC), "date": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 9}",
        })  # fmt: skip
        for idx in range(2 * TURNS_PER_SPEAKER):
            turns.append({"interview_id": i, "idx": idx, "speaker": (host, guest)[idx % 2], "label": "", "lang": "en",
                          "text": "…"})  # fmt: skip
    async with sessions.begin() as session:
        await session.execute(models.Interview.__table__.insert(), rows)
        await session.execute(models.Turn.__table__.insert(), turns)
    return len(people)


def _ms(samples: list[float]) -> tuple[float, float]:
    return round(statistics.median(samples), 2), round(statistics.quantiles(samples, n=20)[18], 2)


async def run_autocomplete_bench(
    library: Library, interviews: int, speakers: int, rounds: int = 200
) -> AutocompleteBench:
    """Time interview and speaker autocomplete for typed prefixes, as the cogs call them."""
    catalog = Catalog(library)
    started = time.perf_counter()
    await catalog.warm()
    warm = (time.perf_counter() - started) * 1000
    libraries = frozenset({models.GLOBAL_LIBRARY, 123})  # what a server sees: the global library and its uploads
    started = time.perf_counter()
    await catalog.interview_choices("", libraries)
    await catalog.speaker_choices("", libraries)
    first = (time.perf_counter() - started) * 1000
    rng = random.Random(3)
    timings: dict[str, list[float]] = {"interview": [], "speaker": []}
    for _ in range(rounds):
        typed = rng.choice(WORDS)[: rng.randint(1, 4)]
        for kind, call in (("interview", catalog.interview_choices), ("speaker", catalog.speaker_choices)):
            t0 = time.perf_counter()
            await call(typed, libraries)
            timings[kind].append((time.perf_counter() - t0) * 1000)
    return AutocompleteBench(
        interviews, speakers, round(warm, 1), round(first, 1), *_ms(timings["interview"]), *_ms(timings["speaker"])
    )
