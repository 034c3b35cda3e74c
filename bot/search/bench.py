"""`colloquy bench search`: full-query latency and memory on a synthetic library, next to a brute-force baseline.

The library is N passages of random-but-realistic text in English and Chinese, reproducible from a seed,
stored in a real database. Their vectors are random unit vectors (embedding 100k passages with the real
model would take most of an hour and does not change query latency); queries are embedded by the real
model, so the figures include query encoding, lexical scoring, vector scoring, fusion and fetching hits.
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.embedder import Embedder
from bot.search.indexer import embed_pending
from bot.search.service import SearchService
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
QUERIES = (
    "what did they say about the cost of compute",
    "开源模型的价值",
    "safety research and the future of agents",
    "芯片和能源的限制",
    "why memory matters for users",
)


@dataclass(frozen=True)
class BenchResult:
    """Latency percentiles (ms) for the full query and the brute-force baseline, and peak RSS."""

    passages: int
    p50: float
    p95: float
    p99: float
    baseline_p50: float
    baseline_p95: float
    baseline_p99: float
    peak_rss_mb: float
    load_seconds: float


def synthetic_passage(rng: random.Random) -> tuple[str, str]:
    """(text, lang): a sentence or two of plausible interview talk in English or Chinese."""
    if rng.random() < 0.5:
        words = rng.choices(EN_WORDS, k=rng.randint(12, 40))
        return " ".join(words).capitalize() + ".", "en"
    return "".join(rng.choices(ZH_WORDS, k=rng.randint(10, 30))) + "。", "zh-Hans"


TOPICS = 2000  # clusters of the synthetic vectors


def synthetic_vectors(n: int, dim: int, seed: int = 7, draw: int = 0) -> np.ndarray:
    """The synthetic library's vectors, the same for the same seed: unit vectors around TOPICS random directions
    (a passage is about 0.7 cosine from its topic), like real embeddings, which gather by subject. Uniformly random
    vectors have no neighbourhoods at all: every approximate index, HNSW included, finds few true neighbours there.
    """
    topics = np.random.default_rng(seed).standard_normal((TOPICS, dim), dtype=np.float32)
    rng = np.random.default_rng([seed, draw])  # draw 0: the library; other draws: questions about the same topics
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    vectors = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 50_000):  # in chunks: bounded memory at 1M passages
        size = min(50_000, n - start)
        noise = rng.standard_normal((size, dim), dtype=np.float32) / np.float32(np.sqrt(dim))
        chunk = topics[rng.integers(0, TOPICS, size)] + noise
        vectors[start : start + size] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return vectors


async def build_synthetic_library(
    sessions: async_sessionmaker[AsyncSession], n: int, key: str, dim: int, seed: int = 7
) -> None:
    """Insert N synthetic passages (100 interviews, 4 speakers) with random unit vectors."""
    rng = random.Random(seed)
    vectors = synthetic_vectors(n, dim, seed)
    interviews = max(1, min(100, n // 50))
    async with sessions.begin() as session:
        for i in range(interviews):
            session.add(
                models.Interview(
                    id=i + 1, guild_id=models.GLOBAL_LIBRARY, source_key=f"synthetic-{i}", content_hash=f"{seed}-{i}",
                    title=f"Synthetic interview {i}", format="synthetic", languages=["en", "zh-Hans"],
                    participants={}, warnings=[], ingested_at=datetime.now(UTC),
                )
            )  # fmt: skip
    for start in range(0, n, 5000):
        passages, embeddings = [], []
        for pid in range(start + 1, min(n, start + 5000) + 1):
            text, lang = synthetic_passage(rng)
            passages.append(
                {"id": pid, "interview_id": pid % interviews + 1, "turn_idx": pid // interviews, "position": 0,
                 "speaker": f"Speaker {pid % 4}", "lang": lang, "text": text, "translation": None,
                 "lexical": tokens_to_text(tokenize(text))}
            )  # fmt: skip
            embeddings.append({"passage_id": pid, "model": key, "vector": vectors[pid - 1].tobytes()})
        async with sessions.begin() as session:
            await session.execute(models.Passage.__table__.insert(), passages)
            await session.execute(models.Embedding.__table__.insert(), embeddings)


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return round(statistics.median(samples), 2), round(q[94], 2), round(q[98], 2)


async def run_search_bench(search: SearchService, n: int, rounds: int = 40) -> BenchResult:
    """Time full searches against a brute-force numpy scan (query encoding + exact cosine + sort)."""
    started = time.perf_counter()
    index = await search.index()
    load_seconds = time.perf_counter() - started
    scope = await search.scope_for()
    for query in QUERIES:  # warm up caches and the model
        await search.search(query, scope, 5)
    ours, baseline = [], []
    for i in range(rounds):
        query = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        await search.search(query, scope, 5)
        ours.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        vector = search.embedder.encode_queries([query])[0]
        scores = index.vectors @ vector
        np.argsort(-scores)[:5]
        baseline.append((time.perf_counter() - t0) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return BenchResult(n, *_percentiles(ours), *_percentiles(baseline), round(rss, 1), round(load_seconds, 2))


@dataclass(frozen=True)
class IngestBenchResult:
    """Passages/second through the indexing pipeline versus the model's raw encode on the same texts."""

    passages: int
    pipeline_per_second: float
    raw_per_second: float

    @property
    def ratio(self) -> float:
        """Pipeline rate as a share of the raw rate (1.0 = the pipeline adds nothing)."""
        return round(self.pipeline_per_second / self.raw_per_second, 3)


async def run_ingest_bench(
    sessions: async_sessionmaker[AsyncSession], embedder: Embedder, n: int = 400, batch_size: int = 32
) -> IngestBenchResult:
    """Embed N synthetic passages through `embed_pending` (DB reads, batches, writes), then raw, and compare."""
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
                 "translation": None, "lexical": ""}
                for i, t in enumerate(texts)
            ],
        )  # fmt: skip
    embedder.encode_passages(texts[:batch_size], batch_size)  # load the model (lazily loaded) before timing

    def raw_seconds() -> float:
        t0 = time.perf_counter()
        embedder.encode_passages(texts, batch_size)
        return time.perf_counter() - t0

    before = raw_seconds()  # raw encode before and after the pipeline: the machine's drift cancels out
    t0 = time.perf_counter()
    report = await embed_pending(sessions, embedder, batch_size=batch_size)
    pipeline = report.embedded / (time.perf_counter() - t0)
    raw = n / ((before + raw_seconds()) / 2)
    return IngestBenchResult(n, round(pipeline, 1), round(raw, 1))


@dataclass(frozen=True)
class PostgresBenchResult:
    """Full-query latency on PostgreSQL (pgvector HNSW + full-text), the index build, and HNSW recall@10."""

    passages: int
    p50: float
    p95: float
    p99: float
    load_seconds: float
    index_seconds: float
    first_query_ms: float  # the scope's statistics are read then, once per STATS_TTL
    recall_at_10: float  # HNSW's own top 10 against exact search
    recall_at_10_rescored: float  # the top 10 after the search re-scores HNSW's DENSE_POOL candidates exactly
    recall_queries: int


async def run_postgres_bench(
    url: str, embedder: Embedder, n: int, rounds: int = 40, recall_queries: int = 50
) -> PostgresBenchResult:
    """Build the same synthetic library in PostgreSQL, build its HNSW index, time full searches, measure recall."""
    from bot.library.database import ServerOptions, create_engine, sessionmaker, upgrade_database
    from bot.search.index import Scope
    from bot.search.indexer import vector_key
    from bot.search.pgvector import EXACT_BELOW, ensure_vector_index

    key, dim = vector_key(embedder), embedder.dim
    engine = create_engine(url, ServerOptions(statement_timeout_ms=0))
    try:
        await upgrade_database(engine)
        sessions = sessionmaker(engine)
        started = time.perf_counter()
        await build_synthetic_library(sessions, n, key, dim)
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))  # planner statistics after the bulk load
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        await ensure_vector_index(engine, key, dim)
        index_seconds = time.perf_counter() - started
        search = SearchService(sessions, embedder)
        assert search.candidates is not None
        scope = await search.scope_for()
        t0 = time.perf_counter()
        await search.search(QUERIES[0], scope, 5)
        first_query_ms = (time.perf_counter() - t0) * 1000
        for query in QUERIES:
            await search.search(query, scope, 5)
        timings = []
        for i in range(rounds):
            t0 = time.perf_counter()
            await search.search(QUERIES[i % len(QUERIES)], scope, 5)
            timings.append((time.perf_counter() - t0) * 1000)
        vectors = synthetic_vectors(n, dim)
        queries = synthetic_vectors(recall_queries, dim, draw=1)  # questions about the library's topics
        found = rescored = 0
        for query in queries:
            exact = set((np.argsort(-(vectors @ query))[:10] + 1).tolist())  # passage ids start at 1
            async with sessions() as session:
                pool = await search.candidates.nearest_ids(session, query, Scope(), exact=n < EXACT_BELOW)
            found += len(exact & set(pool[:10]))
            best = sorted(pool, key=lambda pid: -float(vectors[pid - 1] @ query))[:10]
            rescored += len(exact & set(best))
        total = 10 * recall_queries
        return PostgresBenchResult(
            n, *_percentiles(timings), round(load_seconds, 1), round(index_seconds, 1), round(first_query_ms, 1),
            round(found / total, 3), round(rescored / total, 3), recall_queries,
        )  # fmt: skip
    finally:
        await engine.dispose()
