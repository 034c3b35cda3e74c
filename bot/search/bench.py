"""`colloquy bench search`: full-query latency, recall and memory on a library of N passages, both backends.

The library is N passages, reproducible from a seed, stored in a real database. Their vectors are *real-like*: each
is the real vector of a passage of the seeds and the corpus (../shared, embedded once by the real model and cached
under .cache/bench) plus half of another real passage's vector plus Gaussian noise, renormalized, so they gather by
subject like real embeddings do (clusters of random directions flatter an approximate index). Their text is, by
default, that first real passage's own text, so the lexical side meets real vocabulary: words as rare or common as
in speech, in English and Chinese. `synthetic` text instead draws 12-40 words from a list of 40 per language, where
each question word matches about a third of the library, unlike any speech.
Questions are the dev sets' questions, encoded by the real model, so the figures include question encoding, lexical
scoring, vector search, ranking and reading the hits.

Memory is kept flat while building (vectors are made and written 5,000 at a time) and the in-process search is
measured in a fresh child process, so its peak RSS is the search's own.
"""

from __future__ import annotations

import asyncio
import json
import math
import multiprocessing
import random
import resource
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.context import store_contexts
from bot.search.embedder import Embedder
from bot.search.indexer import embed_pending
from bot.search.service import SearchService
from bot.text.passages import passage_features
from bot.text.tokens import tokenize, tokens_to_text

EN_WORDS = [
    "model",
    "compute",
    "data",
    "training",
    "people",
    "company",
    "future",
    "research",
    "product",
    "team",
    "chips",
    "energy",
    "market",
    "value",
    "intelligence",
    "agents",
    "memory",
    "context",
    "search",
    "open",
    "source",
    "safety",
    "science",
    "users",
    "growth",
    "cost",
    "scale",
    "years",
    "question",
    "answer",
    "idea",
    "world",
    "build",
    "learn",
    "think",
    "believe",
    "important",
    "different",
    "better",
    "faster",
    "cheaper",
]
ZH_WORDS = [
    "模型",
    "算力",
    "数据",
    "训练",
    "公司",
    "未来",
    "研究",
    "产品",
    "团队",
    "芯片",
    "能源",
    "市场",
    "价值",
    "智能",
    "代理",
    "记忆",
    "上下文",
    "搜索",
    "开源",
    "安全",
    "科学",
    "用户",
    "增长",
    "成本",
    "规模",
    "问题",
    "答案",
    "想法",
    "世界",
    "学习",
    "我们",
    "认为",
    "非常",
    "重要",
    "不同",
    "更好",
    "更快",
    "便宜",
    "时代",
    "发展",
]


def synthetic_passage(rng: random.Random) -> tuple[str, str]:
    """(text, lang): a sentence or two of plausible interview talk in English or Chinese."""
    if rng.random() < 0.5:
        words = rng.choices(EN_WORDS, k=rng.randint(12, 40))
        return " ".join(words).capitalize() + ".", "en"
    return "".join(rng.choices(ZH_WORDS, k=rng.randint(10, 30))) + "。", "zh-Hans"


SYLLABLES = ("ka", "lo", "ven", "ri", "sa", "mor", "tel", "dan", "vi", "quo", "ne", "bri", "sol", "ta", "gen", "li")
HOSTS = 20


def synthetic_speaker(interview: int, speaker: int) -> str:
    """Speaker 0 of an interview is one of HOSTS hosts, the others are its own guests: a made-up "First Last"
    name each, so a library of 1 000 interviews has about 3 000 speakers (code that reads every speaker's name
    per search shows; with four names in all it did not)."""
    rng = random.Random(interview % HOSTS if speaker == 0 else HOSTS + 3 * interview + speaker)
    first, last = ("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize() for _ in range(2))
    return f"{first} {last}"


REAL_DB = Path(".cache/bench/real.db")  # the seeds and the corpus, embedded once
MIX, NOISE = 0.5, 0.3  # share of a second real vector, norm of the Gaussian noise (real-like vectors)
QUESTION_FILES = ("dev_queries.jsonl", "dev_queries_v2.jsonl")
CHUNK = 5000


RealPassages = tuple[np.ndarray, list[tuple[str, str]]]  # vectors, and each vector's passage as (text, lang)


async def real_vectors(embedder: Embedder, shared: Path, cache: Path) -> tuple[RealPassages, list[str], np.ndarray]:
    """((passage vectors of the seeds and corpus, their texts), the dev sets' questions, their vectors): embedded
    once, cached."""
    from bot.library.database import create_engine, sessionmaker, upgrade_database
    from bot.library.service import Library
    from bot.search.indexer import vector_key

    engine = create_engine(f"sqlite+aiosqlite:///{cache}")
    try:
        await upgrade_database(engine)
        sessions = sessionmaker(engine)
        library = Library(sessions, max_bytes=10_000_000)
        for folder in ("seeds", "corpus"):
            for path in sorted((shared / folder).glob("*")):
                if path.is_file():
                    await library.ingest(path.read_bytes(), str(path.resolve()))
        await embed_pending(sessions, embedder)
        async with sessions() as session:
            found = await session.execute(
                select(models.Embedding.vector, models.Passage.text, models.Passage.lang)
                .join(models.Passage, models.Passage.id == models.Embedding.passage_id)
                .where(models.Embedding.model == vector_key(embedder))
                .order_by(models.Embedding.passage_id)
            )
            rows = found.all()
            vectors = np.stack([np.frombuffer(row.vector, dtype=np.float32) for row in rows])
    finally:
        await engine.dispose()
    questions = []
    for name in QUESTION_FILES:
        path = shared / "eval" / name
        if path.exists():
            questions += [json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return (vectors, [(row.text, row.lang) for row in rows]), questions, embedder.encode_queries(questions)


def _first_draw(count: int, start: int, size: int, seed: int) -> tuple[np.random.Generator, np.ndarray]:
    """The generator of library vectors start..start+size and its first draw: the real passage (of `count`) each
    is mostly made of. `real_like` and `real_sources` both start here, so they agree."""
    rng = np.random.default_rng([seed, start])
    return rng, rng.integers(0, count, size)


def real_sources(count: int, start: int, size: int, seed: int = 7) -> np.ndarray:
    """The real passage (of `count`) that vectors start..start+size of the library are mostly made of."""
    return _first_draw(count, start, size, seed)[1]


def real_like(base: np.ndarray, start: int, size: int, seed: int = 7) -> np.ndarray:
    """Vectors start..start+size of the library: a real vector (`real_sources`) + MIX × another + noise, unit
    length. The same for the same (start, seed), so the library can be made, and searched exactly, chunk by chunk."""
    rng, sources = _first_draw(len(base), start, size, seed)
    first = base[sources]
    second = base[rng.integers(0, len(base), size)]
    noise = rng.standard_normal((size, base.shape[1]), dtype=np.float32) * np.float32(NOISE / np.sqrt(base.shape[1]))
    mixed = first + np.float32(MIX) * second + noise
    return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)


def noisy_questions(vectors: np.ndarray, seed: int = 11) -> np.ndarray:
    """The questions' real vectors with the same noise as the library's."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(vectors.shape, dtype=np.float32) * np.float32(NOISE / np.sqrt(vectors.shape[1]))
    mixed = vectors + noise
    return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)


def exact_top10(base: np.ndarray, n: int, queries: np.ndarray) -> list[set[int]]:
    """Passage ids (1-based) of each query's exact 10 nearest library vectors, streamed chunk by chunk."""
    best_scores = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), 10), dtype=np.int64)
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        scores = queries @ real_like(base, start, size).T
        both_scores = np.hstack([best_scores, scores])
        both_ids = np.hstack([best_ids, np.broadcast_to(np.arange(start + 1, start + size + 1), scores.shape)])
        keep = np.argpartition(-both_scores, 9, axis=1)[:, :10]
        best_scores = np.take_along_axis(both_scores, keep, axis=1)
        best_ids = np.take_along_axis(both_ids, keep, axis=1)
    return [set(row.tolist()) for row in best_ids]


async def build_library(
    sessions: async_sessionmaker[AsyncSession],
    n: int,
    key: str,
    base: np.ndarray,
    texts: Sequence[tuple[str, str]] = (),
) -> None:
    """Insert N passages (interviews of turns of 1-3 passages, a host and three guests) with real-like vectors and,
    given the real passages' `texts`, the text of the real passage each vector is mostly made of (else synthetic)."""
    rng = random.Random(7)
    # a million passages repeat the real texts' few thousand: each tokenized once (synthetic texts never repeat)
    lexical = cache(_lexical_text) if texts else _lexical_text
    interviews = max(1, min(1000, n // 100))
    async with sessions.begin() as session:
        for i in range(interviews):
            session.add(
                models.Interview(
                    id=i + 1, guild_id=models.GLOBAL_LIBRARY, source_key=f"synthetic-{i}", content_hash=f"7-{i}",
                    title=f"Synthetic interview {i}", format="synthetic", languages=["en", "zh-Hans"],
                    participants={}, warnings=[], ingested_at=datetime.now(UTC),
                )
            )  # fmt: skip
    per_interview = -(-n // interviews)
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        vectors, sources = real_like(base, start, size), real_sources(len(base), start, size).tolist()
        passages, embeddings, turns = [], [], []
        for offset in range(size):
            pid = start + offset + 1
            within = (pid - 1) % per_interview  # passages are numbered interview by interview
            words, lang = texts[sources[offset]] if texts else synthetic_passage(rng)
            interview, turn, speaker = (pid - 1) // per_interview + 1, within // 3, (within // 3) % 4
            name = synthetic_speaker(interview, speaker)
            if speaker == 0 and within % 3 == 2:  # the host interviews: their turns end asking
                words = words.rstrip(".。!！?？ ") + ("？" if lang.startswith("zh") else "?")
            passages.append(
                {"id": pid, "interview_id": interview, "turn_idx": turn, "position": within % 3,
                 "speaker": name, "lang": lang, "text": words, "translation": None,
                 "lexical": lexical(words), **passage_features(words)}
            )  # fmt: skip
            embeddings.append({"passage_id": pid, "model": key, "vector": vectors[offset].tobytes()})
            if within % 3 == 0:  # each turn's row, as ingestion writes them (ranking reads who asks)
                asks = speaker == 0 and within + 2 < per_interview and pid + 2 <= n
                turns.append({"interview_id": interview, "idx": turn, "speaker": name, "lang": lang,
                              "text": words, "translation": None, "asks": asks})  # fmt: skip
        async with sessions.begin() as session:
            await session.execute(models.Turn.__table__.insert(), turns)
            await session.execute(models.Passage.__table__.insert(), passages)
            await session.execute(models.Embedding.__table__.insert(), embeddings)
            await store_contexts(session, key, [row["passage_id"] for row in embeddings])


def _lexical_text(words: str) -> str:
    return tokens_to_text(tokenize(words))


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return round(statistics.median(samples), 1), round(q[94], 1), round(q[98], 1)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB, its own: Linux's `VmHWM`. `ru_maxrss` is carried across the
    exec of a spawned child, so the in-process row reported the parent's peak whenever the parent was larger (stop
    38's 10k row: 2 890 MB, the library builder's, against the search's own 994 measured the same way).
    Elsewhere `ru_maxrss`."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_bandwidth_gb_s(megabytes: int = 512) -> float:
    """Bytes per second one core reads from memory (a sum over an array larger than the caches), best of 5."""
    data = np.ones(megabytes * 2**20 // 8, dtype=np.float64)
    best = math.inf
    for _ in range(5):
        t0 = time.perf_counter()
        data.sum()
        best = min(best, time.perf_counter() - t0)
    return data.nbytes / best / 1e9


@dataclass(frozen=True)
class BackendResult:
    """One backend's figures for one library size."""

    backend: str
    passages: int
    p50: float
    p95: float
    p99: float
    exact_p50: float  # the exact-scan baseline: encoding + one exact scan of every vector + top 10
    exact_p95: float
    recall_at_10: float  # the index's top 10 (after exact re-scoring of its pool) against exact search
    build_seconds: float  # building the vector index (in process: from the database; PostgreSQL: HNSW)
    reload_seconds: float  # in process: a restart reading the saved index; PostgreSQL: the first query in a scope
    peak_rss_mb: float  # in process: the searching process; PostgreSQL: this process (the server is apart)
    floor_ms: float  # bytes of one exact scan / measured memory bandwidth


async def measure_memory(url: str, n: int, questions: list[str], query_vectors: np.ndarray, truth: list[set[int]],
                         rounds: int, model: str) -> BackendResult:  # fmt: skip
    """The in-process backend, in this (fresh) process: build the index, restart it, time searches, recall."""
    from bot.search.ann import DENSE_POOL
    from bot.search.index import top_k
    from bot.services import open_services
    from bot.settings import Settings

    settings = Settings(database_url=url, embedding_model=model, log_level="WARNING")  # type: ignore[call-arg]
    async with open_services(settings) as services:
        search = await services.search()
        started = time.perf_counter()
        await search.memory()
        build = time.perf_counter() - started
        search.invalidate()
        search._store = None  # as a restart: the saved index is read back
        started = time.perf_counter()
        memory = await search.memory()
        reload = time.perf_counter() - started
        assert memory.store.added == 0, "a restart rebuilt the index"
        scope = await search.scope_for()
        for question in questions[:5]:
            await search.search(question, scope, 5)
        full, exact = [], []
        live = np.flatnonzero(memory.store.alive)
        for i in range(rounds):
            search._query_vectors.clear()  # every round encodes its question
            t0 = time.perf_counter()
            await search.search(questions[i % len(questions)], scope, 5)
            full.append((time.perf_counter() - t0) * 1000)
        # The exact scans after all the searches, not between them: at 1M each reads 1.8 GB, and a search right
        # after one took p50 / p95 59.0 / 133.4 ms against 46.5 / 65.9 without (the same 60 questions).
        for i in range(rounds):
            question = questions[i % len(questions)]
            t0 = time.perf_counter()
            vector = search.embedder.encode_queries([question])[0]
            top_k(memory.store.scan(vector, live), live, 10)
            exact.append((time.perf_counter() - t0) * 1000)
        found = 0
        for vector, best in zip(query_vectors, truth, strict=True):
            slots, _ = memory.store.search(vector, DENSE_POOL)
            rescored = slots[np.argsort(-memory.store.scan(vector, slots))[:10]]
            found += len(best & set(memory.store.ids[rescored].tolist()))
        dim = memory.store.dim
    rss = peak_rss_mb()
    floor = n * dim * 2 / (memory_bandwidth_gb_s() * 1e9) * 1000
    p50, p95, p99 = _percentiles(full)
    e50, e95, _ = _percentiles(exact)
    return BackendResult("in process", n, p50, p95, p99, e50, e95, round(found / (10 * len(truth)), 3),
                         round(build, 1), round(reload, 1), round(rss), round(floor, 1))  # fmt: skip


def _measure_memory_in_child(conn: Connection, *args: object) -> None:
    conn.send(asyncio.run(measure_memory(*args)))  # type: ignore[arg-type]  # as passed by run_memory_bench
    conn.close()


def run_memory_bench(*args: object) -> BackendResult:
    """`measure_memory` in a fresh process, so its peak RSS is the search's, not the library builder's."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_measure_memory_in_child, args=(child, *args))
    process.start()
    try:
        return parent.recv()
    finally:
        process.join()


async def measure_postgres(url: str, embedder: Embedder, n: int, real: RealPassages, questions: list[str],
                           query_vectors: np.ndarray, truth: list[set[int]], rounds: int) -> BackendResult:  # fmt: skip
    """The same library on PostgreSQL: load, HNSW build, first query in a scope, timed searches, recall."""
    from bot.library.database import ServerOptions, create_engine, sessionmaker, upgrade_database
    from bot.search.index import Scope
    from bot.search.indexer import vector_key
    from bot.search.pgvector import EXACT_BELOW, ensure_vector_index

    key, dim = vector_key(embedder), embedder.dim
    engine = create_engine(url, ServerOptions(statement_timeout_ms=0))
    try:
        await upgrade_database(engine)
        sessions = sessionmaker(engine)
        base, texts = real
        await build_library(sessions, n, key, base, texts)
        # planner statistics, and the dead row versions the context sums' updates left, cleared before timing:
        # autovacuum doing it during the timed searches made runs of one code differ by half
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
        started = time.perf_counter()
        await ensure_vector_index(engine, key, dim)
        build = time.perf_counter() - started
        search = SearchService(sessions, embedder)
        assert search.candidates is not None
        scope = await search.scope_for()
        # what a process does before it serves (`SearchService.warm`, as the bot does at start), not the scope's
        # cost: the corpus-wide lexical statistics, the dictionary, and the indexes loaded into shared buffers where
        # they fit (as the first search after building the graph does). Until stop 37 the lexical statistics were
        # read inside the timed first query, beside the scope's own.
        await search.warm()
        t0 = time.perf_counter()
        await search.search(questions[0], scope, 5)
        first = time.perf_counter() - t0
        for question in questions[:5]:
            await search.search(question, scope, 5)
        timings = []
        for i in range(rounds):
            search._query_vectors.clear()
            t0 = time.perf_counter()
            await search.search(questions[i % len(questions)], scope, 5)
            timings.append((time.perf_counter() - t0) * 1000)
        found = 0
        for vector, best in zip(query_vectors, truth, strict=True):
            async with engine.connect() as connection:
                pool = await search.candidates.nearest_ids(connection, vector, Scope(), n, exact=n < EXACT_BELOW)
            by_id = {start + 1 + i: v for start in {((pid - 1) // CHUNK) * CHUNK for pid in pool}
                     for i, v in enumerate(real_like(base, start, min(CHUNK, n - start)))}  # fmt: skip
            found += len(best & set(sorted(pool, key=lambda pid: -float(by_id[pid] @ vector))[:10]))
    finally:
        await engine.dispose()
    p50, p95, p99 = _percentiles(timings)
    rss = peak_rss_mb()
    return BackendResult("PostgreSQL", n, p50, p95, p99, math.nan, math.nan, round(found / (10 * len(truth)), 3),
                         round(build, 1), round(first, 2), round(rss), math.nan)  # fmt: skip


@dataclass(frozen=True)
class IngestBenchResult:
    """Passages/second through the indexing pipeline versus the model's raw encode on the same texts: the round
    with the median ratio, and every round's ratio (one 4-second round of 400 passages ranged 0.85-0.99)."""

    passages: int
    pipeline_per_second: float
    raw_per_second: float
    ratios: tuple[float, ...] = ()

    @property
    def ratio(self) -> float:
        """Pipeline rate as a share of the raw rate (1.0 = the pipeline adds nothing)."""
        return round(self.pipeline_per_second / self.raw_per_second, 3)


async def run_ingest_bench(
    sessions: async_sessionmaker[AsyncSession], embedder: Embedder, n: int = 400, batch_size: int = 32, rounds: int = 3
) -> IngestBenchResult:
    """Embed N synthetic passages through `embed_pending` (DB reads, batches, writes), then raw, and compare; each
    of `rounds` rounds embeds them anew, between two raw encodes (the machine's drift cancels out)."""
    rng = random.Random(11)
    texts = [synthetic_passage(rng)[0] for _ in range(n)]
    async with sessions.begin() as session:
        session.add(
            models.Interview(
                id=1, guild_id=models.GLOBAL_LIBRARY, source_key="ingest-bench", content_hash="ingest-bench",
                format="synthetic", languages=[], participants={}, warnings=[], ingested_at=datetime.now(UTC),
            )
        )  # fmt: skip
        await session.execute(
            models.Passage.__table__.insert(),
            [
                {"interview_id": 1, "turn_idx": i, "position": 0, "speaker": "A", "lang": "en", "text": t,
                 "translation": None, "lexical": "", **passage_features(t)}
                for i, t in enumerate(texts)
            ],
        )  # fmt: skip
    embedder.encode_passages(texts[:batch_size], batch_size)  # load the model (lazily loaded) before timing

    def raw_seconds() -> float:
        t0 = time.perf_counter()
        embedder.encode_passages(texts, batch_size)
        return time.perf_counter() - t0

    results = []
    for _ in range(rounds):
        before = raw_seconds()
        t0 = time.perf_counter()
        report = await embed_pending(sessions, embedder, batch_size=batch_size)
        pipeline = report.embedded / (time.perf_counter() - t0)
        raw = n / ((before + raw_seconds()) / 2)
        results.append(IngestBenchResult(n, round(pipeline, 1), round(raw, 1)))
        async with sessions.begin() as session:
            await session.execute(delete(models.Embedding))  # the next round embeds them again
    results.sort(key=lambda r: r.ratio)
    return replace(results[len(results) // 2], ratios=tuple(r.ratio for r in results))
