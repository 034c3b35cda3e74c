"""Search candidates from PostgreSQL: pgvector's HNSW index for the dense side, full-text (GIN) for the lexical side.

On PostgreSQL nothing is loaded into memory. Each search asks the server for the scope's nearest passages and
the passages sharing the question's words, with the scope (guilds, speakers, interview, language, dates) in
the SQL itself, then ranks that small candidate set with the same `rank()` as the in-process index.

What `rank()` needs beyond the candidates is estimated, honestly, per scope:
- the dense z-scores need the mean and spread of the question's passage, window and turn scores over the whole
  scope: they are computed from a fixed pseudo-random sample of whole turns holding about SAMPLE vectors of
  the scope (every turn of a scope the in-process index ranks whole, RANKED_WHOLE passages or fewer: then it is
  exact), re-read when this process changes the library, and in the background once older than STATS_TTL
  seconds (another process may have changed it): the search that finds them old is answered from them;
- window and turn scores come from the sums stored with each vector (bot/search/context.py); quotes join a
  neighbour in the turn and an interviewer's question hands its score to the answer that follows: so the
  candidates are read with their neighbours and the start of the reply to a question, in one statement, never
  whole turns (`_candidate_rows`); the server scores them there, from the vectors and sums it holds, and sends
  the scores, not the vectors (`_scores`);
- BM25 needs the corpus size, mean passage length and each query term's document frequency: size is counted,
  length comes from a fixed sample of about LEXICAL_SAMPLE passages (whole pages of the table, TABLESAMPLE
  SYSTEM with a fixed seed; every passage when the corpus is smaller), and a term's frequency is counted exactly by the
  GIN index unless the sample shows it is common (then it is scaled from the sample).

Candidates: the DENSE_POOL passages nearest to the question and the LEXICAL_POOL best BM25 passages for its words
and for their translations, the same again among the passages of a speaker the question names (`named_scope`),
and in a scope of at most RANKED_WHOLE passages (which the in-process index ranks whole) each model's own PART_POOL
nearest passages and every lexical match, so that both backends give the same figures on such scopes (the dev sets).
There the scope's sample is the whole scope, so its dense candidates are found in that sample, in memory and
exactly (`_nearest_in_sample`), and only larger scopes ask the HNSW index.

Approximations, measured by `colloquy eval search --postgres URL` and `colloquy bench search --backend postgres`:
HNSW is approximate (ef_search from EF_SEARCH, growing with the scope; iterative scans so filters still fill the
pool; scopes under EXACT_BELOW vectors are scanned exactly), and when the question's words are all very common the
lexical side reads at most LEXICAL_SCAN matching passages (rarest words first, plus passages holding all of them).
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
import math
import time
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from itertools import chain

import numpy as np
from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    tablesample,
    text,
    true,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType, UserDefinedType

from bot.library import models
from bot.search.ann import EXACT_BELOW as RANKED_WHOLE
from bot.search.ann import ef_search
from bot.search.embedder import Embedder, embedding_parts
from bot.search.index import (
    CandidateIndex,
    PassageIndex,
    Scope,
    ScopeStats,
    build_index,
    ends_turn,
    named_scope,
    part_slices,
    passage_rows,
    top_k,
)
from bot.search.indexer import vector_key
from bot.search.lexical import CorpusStats, term_scores
from bot.text.dictionary import translated_terms
from bot.text.tokens import tokenize

log = logging.getLogger(__name__)

SAMPLE = 2000  # vectors per scope that estimate the dense scores' mean and spread
SAMPLES_KEPT = 64 * SAMPLE  # sampled passages cached over all scopes (at most 0.46 GB of float32 vectors)
LEXICAL_SAMPLE = 20_000  # passages whose tokens estimate document frequencies and mean length
LEXICAL_SEED = 20261202  # which pages TABLESAMPLE reads for them
EXACT_COUNT_BELOW = 25  # a term seen fewer times than this in the sample has its frequency counted exactly
EXACT_BELOW = 2000  # scopes with fewer vectors are scanned exactly (about 5 µs a vector) instead of through HNSW
DENSE_POOL = 60  # nearest passages fetched (rank() keeps its own POOL of these; 60 as in process, see ann.py)
# of each, in a scope the in-process index ranks whole (RANKED_WHOLE passages or fewer): the larger pool keeps both
# backends' figures equal there (with 60, dense-only v2 MRR@10 differed by 0.006)
WHOLE_POOL = 100
PART_POOL = 20  # nearest passages by each model alone, in a scope ranked whole in process
LEXICAL_POOL = 60  # best BM25 passages kept as candidates
LEXICAL_SCAN = 2000  # most matching passages read per lexical query
CANDIDATE_PARTS = 2  # the candidates' statement runs as this many at once, each over its share of interviews
TOPIC_LEXICAL, TOPIC_DENSE = 2000, 1000  # passages read per topic word query and nearest the topic (topic_index)
EF_SEARCH = 200  # HNSW candidate list size, at least; recall@10 against exact search is in the README
EF_SEARCH_MAX = 1000  # pgvector's largest hnsw.ef_search
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 160  # as in process (bot/search/ann.py); 64 left recall@10 at 0.94 at 100k
STATS_TTL = 300.0  # seconds before scope statistics are re-read (another process may have changed the library)
REREAD_AFTER = 1.0  # seconds between the search that finds statistics old and their re-read (not beside it)
PREWARMED_SHARE = 0.5  # indexes are loaded into shared buffers while together they take at most this share
LEXICAL_INDEX = "ix_passages_lexical_tsv"  # migration 0004
INDEX_LOCK = 0x0C011002  # advisory-lock namespace of HNSW index builds (the key is a CRC of the index name)
HASH_MULTIPLIER, HASH_RANGE = 2654435761, 2**32  # Knuth's multiplicative hash: a fixed pseudo-random sample by id


def vector_index_name(key: str) -> str:
    """The HNSW index of one vector key (model + recipe): a name PostgreSQL accepts, whatever the key."""
    return "ix_embeddings_hnsw_" + hashlib.sha1(key.encode()).hexdigest()[:16]  # noqa: S324  # a name, not security


class _VectorType(UserDefinedType):
    """pgvector's `vector`/`halfvec` as a cast target (the query vector is sent as text, e.g. '[0.1,0.2]')."""

    cache_ok = True

    def __init__(self, name: str, dim: int | None = None) -> None:
        self.name, self.dim = name, dim

    def get_col_spec(self, **kw: object) -> str:
        """`halfvec(896)` or `vector`."""
        return f"{self.name}({int(self.dim)})" if self.dim else self.name


def _vector_literal(vector: np.ndarray) -> str:
    return "[" + ",".join([f"{x:.7g}" for x in np.asarray(vector, dtype=np.float32).tolist()]) + "]"


def _tsquery_lexeme(token: str) -> str:
    """A token as a quoted tsquery lexeme (the tsquery is a bound parameter; quoting keeps it one lexeme)."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _lengths(sample: object, chosen: object):  # type: ignore[no-untyped-def]  # a Select
    """How many passages a sample of the table holds and their mean length in terms (as `lexical.split()`)."""
    terms = func.cardinality(func.array_remove(func.string_to_array(sample.c.lexical, " "), ""))  # type: ignore[attr-defined]
    return select(func.count(), func.avg(terms)).select_from(sample).where(chosen)


def _sampled(column: object, fraction: float) -> object:
    """True for a fixed pseudo-random `fraction` of ids (the same rows every time)."""
    cut = math.ceil(min(1.0, fraction) * HASH_RANGE)
    hashed = (cast(column, BigInteger) * literal_column(str(HASH_MULTIPLIER), BigInteger)) % literal_column(
        str(HASH_RANGE), BigInteger
    )
    return hashed < literal_column(str(cut), BigInteger)


async def ensure_vector_index(engine: AsyncEngine, key: str, dim: int) -> bool:
    """Create the HNSW index for this vector key if it is missing (True when it was created).

    One partial index per key (`WHERE model = key`) over the vectors cast to `halfvec(dim)`: a fixed dimension
    is what HNSW needs, half precision halves its size, and candidates are re-scored with the float32 vectors.
    Building it over a large library takes minutes, so `colloquy db migrate-to` builds it after the copy.
    """
    name = vector_index_name(key)
    async with engine.begin() as conn:
        if await conn.scalar(text("SELECT to_regclass(:name)"), {"name": name}) is not None:
            return False
        # Two processes' first searches must not both build it (CREATE INDEX IF NOT EXISTS is not safe against a
        # concurrent build: the loser fails on pg_class): the second waits for the first's transaction, then finds it.
        await conn.execute(text("SET LOCAL statement_timeout = 0"))
        lock = {"namespace": INDEX_LOCK, "key": zlib.crc32(name.encode()) - 2**31}
        await conn.execute(text("SELECT pg_advisory_xact_lock(:namespace, :key)"), lock)
        if await conn.scalar(text("SELECT to_regclass(:name)"), {"name": name}) is not None:
            return False
        predicate = (models.Embedding.model == key).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )  # SQLAlchemy quotes the key: DDL takes no bound parameters
        if await conn.scalar(text("SELECT pg_size_bytes(current_setting('maintenance_work_mem')) < 2^30")):
            await conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))  # the graph is built in memory
        log.info("building the HNSW index %s for %s (%d dimensions)", name, key, dim)
        await conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {name} ON embeddings USING hnsw "
                f"((vector::halfvec({int(dim)})) halfvec_ip_ops) "
                f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION}) WHERE {predicate}"
            )
        )
    return True


async def ensure_vector_indexes(engine: AsyncEngine) -> list[str]:
    """Build the HNSW index of every vector key the embeddings table holds (after a bulk copy); returns the keys."""
    async with engine.connect() as conn:
        keys = (await conn.execute(text("SELECT DISTINCT model, vector_dims(vector) FROM embeddings"))).all()
    for key, dim in keys:
        await ensure_vector_index(engine, key, dim)
    return [key for key, _ in keys]


def _turn_key() -> object:
    """A number per turn below 2^31 (so the sample hash stays within a bigint): whole turns are sampled. Its
    hash (`_sampled`) is indexed on PostgreSQL (migration 0009, which must render the same expression)."""
    key = cast(models.Passage.interview_id, BigInteger) * literal_column("100003", BigInteger) + models.Passage.turn_idx
    return key % literal_column("2147483647", BigInteger)


@dataclass
class LexicalStats:
    """Corpus statistics for BM25, from a count and a fixed sample of passages."""

    n_docs: int
    avg_length: float
    sample_df: Counter[str]
    sample_size: int
    read_at: float

    @property
    def exact(self) -> bool:
        """True when the sample is the whole corpus."""
        return self.sample_size >= self.n_docs


class PostgresCandidates:
    """Fetches a search's candidates from PostgreSQL; borrows the engine. Caches statistics only.

    Its statements run on Core connections, not ORM sessions: their rows are plain tuples, and the ORM's handling
    of them (2 000 lexical matches, 500 candidates) and of each session's first statement was, with the candidates'
    statement rebuilt each search, half of the event loop's 35 ms of CPU a search at 100k (README, stop 27)."""

    def __init__(self, engine: AsyncEngine, embedder: Embedder) -> None:
        self.engine = engine
        self.embedder = embedder
        self.key = vector_key(embedder)
        self._scopes: dict[Scope, ScopeStats] = {}
        self._lexical: LexicalStats | None = None
        self._speakers: tuple[float, set[str]] | None = None
        self._index_checked = False
        self._asking: dict[int, dict[str, float]] = {}  # interview → speaker → share of turns that end asking
        self._asking_read_at: float | None = None
        self._freq: dict[str, int] = {}  # document frequencies counted so far (for as long as the lexical stats)
        self._lock = asyncio.Lock()
        self._statements: dict[bool, Select] = {}  # the candidates' statement, with and without scores
        self._generation = 0  # bumped by invalidate(): a re-read begun before then is not kept
        self._refreshing: dict[object, asyncio.Task] = {}  # statistics being re-read in the background

    def invalidate(self) -> None:
        """Forget cached statistics (the library changed)."""
        self._generation += 1
        self._scopes.clear()
        self._lexical = None
        self._asking, self._asking_read_at, self._freq = {}, None, {}
        self._speakers = None

    def _fresh(self, read_at: float) -> bool:
        return time.monotonic() - read_at < STATS_TTL

    def _refresh_if_old(self, key: object, read_at: float, read: Callable[[], Awaitable[object]]) -> None:
        """Re-read statistics older than STATS_TTL in the background, once at a time, REREAD_AFTER seconds after
        the search that found them old; meanwhile searches use the old ones. Read inside that search they made it
        wait as long as a first query in a scope (at 100k, p50 96 → 325 ms); read beside it, on two cores, it
        still took 219 ms."""
        if self._fresh(read_at) or key in self._refreshing:
            return

        async def later() -> object:
            await asyncio.sleep(REREAD_AFTER)
            return await read()

        task = asyncio.ensure_future(later())
        self._refreshing[key] = task

        def done(task: asyncio.Task) -> None:
            del self._refreshing[key]
            if not task.cancelled() and task.exception() is not None:
                log.warning("re-reading search statistics failed (the next search tries again): %r", task.exception())

        task.add_done_callback(done)

    async def speakers(self) -> set[str]:
        """Every speaker name in the library (cached like the statistics)."""
        if self._speakers is None:
            return await self._read_speakers()
        self._refresh_if_old("speakers", self._speakers[0], self._read_speakers)
        return self._speakers[1]

    async def _read_speakers(self) -> set[str]:
        generation = self._generation
        async with self.engine.connect() as connection:
            names = set(await connection.scalars(select(models.Passage.speaker).distinct()))
        if generation == self._generation:
            self._speakers = (time.monotonic(), names)
        return names

    def _model(self) -> object:
        # Rendered inline so the planner can match the partial HNSW index (the key is ours, quoted by SQLAlchemy).
        return models.Embedding.model == bindparam("vector_key", self.key, literal_execute=True)

    @staticmethod
    def _scope_filter(scope: Scope) -> list:
        """The scope as SQL conditions on passages and interviews, exactly as PassageIndex.mask reads it."""
        conditions = [models.Interview.guild_id.in_(sorted(scope.guild_ids))]
        if scope.speakers is not None:
            conditions.append(models.Passage.speaker.in_(sorted(scope.speakers)))
        if scope.interview_id is not None:
            conditions.append(models.Passage.interview_id == scope.interview_id)
        if scope.language:
            langs = models.Passage.lang + case((models.Passage.translation.is_not(None), "+zh"), else_="")
            conditions.append(langs.contains(scope.language, autoescape=True))
        if scope.date_from:
            conditions.append(models.Interview.date >= scope.date_from)
        if scope.date_to:
            conditions.append(models.Interview.date <= scope.date_to)
        return conditions

    def _joined(self, *columns: object):  # type: ignore[no-untyped-def]  # a Select
        return (
            select(*columns)
            .select_from(models.Passage)
            .join(models.Interview, models.Interview.id == models.Passage.interview_id)
        )

    def _matching(self, columns: list, tsquery: str, where: list, limit: int):  # type: ignore[no-untyped-def]
        """At most `limit` passages (their `columns`) meeting `where` whose words match `tsquery` (the GIN index)."""
        matches = literal_column("passages.lexical_tsv").op("@@")(cast(tsquery, postgresql.TSQUERY))
        return self._joined(*columns).where(matches, *where).limit(limit)

    async def _size(self, connection: AsyncConnection, where: list) -> int:
        """How many passages meet `where` (a scope's conditions)."""
        return await connection.scalar(self._joined(func.count(models.Passage.id)).where(*where)) or 0

    async def scope_stats(self, scope: Scope) -> ScopeStats:
        """Size, embedded count and a fixed sample of whole turns of the scope (cached)."""
        cached = self._scopes.get(scope)
        if cached is None:
            return await self._read_scope(scope)
        self._refresh_if_old(("scope", scope), cached.read_at, lambda: self._read_scope(scope))
        return cached

    async def _read_scope(self, scope: Scope) -> ScopeStats:
        generation = self._generation
        where = self._scope_filter(scope)
        async with self.engine.connect() as connection:
            passages = await self._size(connection, where)
            # every turn where the in-process index ranks the scope whole, so both give the same z-scores there
            fraction = 1.0 if passages <= RANKED_WHOLE else SAMPLE / passages
            sampled = passage_rows(self.key).where(*where, _sampled(_turn_key(), fraction))
            rows = (await connection.execute(sampled)).all()
        parts = embedding_parts(self.embedder)
        sample = await asyncio.to_thread(build_index, rows, parts, words=False) if rows else None
        # Counting the embedded passages would read every vector of the scope: the sample's share estimates it
        # (exact when the sample is the whole scope).
        embedded = round(passages * float(sample.has_vector.mean())) if sample is not None else 0
        stats = ScopeStats(passages, embedded, sample, time.monotonic())
        if generation != self._generation:
            return stats
        self._scopes.pop(scope, None)  # a re-read scope becomes the newest
        while len(self._scopes) >= 64 or sum(len(s.sample or ()) for s in self._scopes.values()) > SAMPLES_KEPT:
            self._scopes.pop(next(iter(self._scopes)))  # bounded: drop the oldest scope
        self._scopes[scope] = stats
        return stats

    async def lexical_stats(self) -> LexicalStats:
        """Corpus size, mean length and sampled document frequencies (cached)."""
        if self._lexical is None:
            return await self._read_lexical()
        self._refresh_if_old("lexical", self._lexical.read_at, self._read_lexical)
        return self._lexical

    async def _read_lexical(self) -> LexicalStats:
        generation = self._generation
        async with self.engine.connect() as connection:
            n_docs = await connection.scalar(select(func.count(models.Passage.id))) or 0
            share = LEXICAL_SAMPLE / max(1, n_docs)
            size, avg = 0, None
            if share < 1:  # whole pages, the same ones each time: a hash of every id read all 1M rows (about 2 s)
                sample = tablesample(models.Passage.__table__, func.system(100 * share), seed=literal(LEXICAL_SEED))
                chosen = true()
                size, avg = (await connection.execute(_lengths(sample, chosen))).one()
            if size < LEXICAL_SAMPLE / 2:  # the whole corpus, or pages too few to stand for it: ids instead
                sample, chosen = models.Passage.__table__, _sampled(models.Passage.id, share)
                size, avg = (await connection.execute(_lengths(sample, chosen))).one()
            # each term's documents in the sample, counted by the server (`ts_stat` runs the statement it is given
            # as text, made here of numbers only); counting 20 000 passages' terms in Python took 0.3-1 s
            query = select(literal_column("lexical_tsv")).select_from(sample).where(chosen)
            dialect = connection.dialect  # asyncpg's: no %-escaping, as the server reads it
            statement = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            counted = await connection.execute(text("SELECT word, ndoc FROM ts_stat(:sample)"), {"sample": statement})
            sample_df = Counter(dict(counted.all()))
        stats = LexicalStats(n_docs, float(avg) if avg is not None else 1.0, sample_df, size, time.monotonic())
        if generation == self._generation:
            self._lexical = stats
            self._freq = {}  # counted against the corpus the old statistics described
        return stats

    async def doc_freq(self, connection: AsyncConnection, terms: list[str], stats: LexicalStats) -> dict[str, int]:
        """Each term's document frequency: exact from the sample when it is the corpus, counted through the GIN
        index when the term is rare, scaled from the sample when it is common."""
        if stats.exact:
            return {t: stats.sample_df.get(t, 0) for t in terms}
        scale = stats.n_docs / max(1, stats.sample_size)
        freq = {t: round(stats.sample_df[t] * scale) for t in terms if stats.sample_df.get(t, 0) >= EXACT_COUNT_BELOW}
        freq.update({t: self._freq[t] for t in terms if t not in freq and t in self._freq})
        rare = [t for t in terms if t not in freq]
        if rare:
            counts = await connection.execute(
                text(
                    "SELECT q, (SELECT count(*) FROM passages WHERE lexical_tsv @@ CAST(q AS tsquery)) "
                    "FROM unnest(CAST(:queries AS text[])) AS q"
                ),
                {"queries": [_tsquery_lexeme(t) for t in rare]},
            )
            by_query = dict(counts.all())
            counted = {t: int(by_query[_tsquery_lexeme(t)]) for t in rare}
            self._freq.update(counted)
            freq.update(counted)
        return freq

    async def _ensure_index(self) -> None:
        if not self._index_checked:
            async with self._lock:
                if not self._index_checked:
                    if await ensure_vector_index(self.engine, self.key, self.embedder.dim):
                        await self.prewarm()  # the build left few of the graph's pages in shared buffers
                    self._index_checked = True

    async def prewarm(self) -> int:
        """Load the indexes every search walks (this model's HNSW graph, the passages' lexical GIN index) into the
        server's shared buffers with `pg_prewarm`; returns the 8 kB blocks loaded. After a restart the server holds
        none of them, and after CREATE INDEX few (a build writes through a small ring of buffers): each search then
        reads the graph's pages one at a time from the OS (at 100k passages, graph evicted as after a restart: p50
        / p95 108-111 / 183-227 ms, prewarmed 72-85 / 102-116; stop 31's note). An index that would take the buffers
        past PREWARMED_SHARE is left out (it would evict the others and the tables' pages: at 1M passages the 2.6 GB
        graph needs shared_buffers over 5.2 GB), and so is everything where the extension is missing or this role
        may not create it (logged)."""
        started, blocks = time.perf_counter(), 0
        try:
            async with self.engine.begin() as connection:
                await connection.execute(text("SET LOCAL statement_timeout = 0"))  # a large graph read from disk
                if not await connection.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_prewarm'")):
                    await connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
                budget = PREWARMED_SHARE * await connection.scalar(
                    text("SELECT pg_size_bytes(current_setting('shared_buffers'))")
                )
                for name in (vector_index_name(self.key), LEXICAL_INDEX):
                    size = await connection.scalar(text("SELECT pg_relation_size(to_regclass(:name))"), {"name": name})
                    if size is None or size > budget:
                        if size:
                            log.info("index %s (%d MB) not prewarmed: shared_buffers is too small", name, size >> 20)
                        continue
                    budget -= size
                    blocks += await connection.scalar(text("SELECT pg_prewarm(to_regclass(:name))"), {"name": name})
        except DBAPIError as exc:
            log.info("search indexes not prewarmed (pg_prewarm: %s): the first searches read them from disk", exc.orig)
            return 0
        log.info(
            "loaded %d MB of search indexes into shared buffers in %.1f s", blocks >> 7, time.perf_counter() - started
        )
        return blocks

    async def nearest_ids(
        self,
        connection: AsyncConnection,
        query_vector: np.ndarray,
        scope: Scope,
        vectors: int,
        exact: bool,
        limit: int = DENSE_POOL,
    ) -> list[int]:
        """The `limit` passages nearest to the question in a scope of about `vectors` embedded passages: through
        HNSW, or an exact scan."""
        if not exact:
            await _hnsw_settings(connection, vectors)
        return list(await connection.scalars(self._nearest(query_vector, scope, exact).limit(limit)))

    def _nearest(self, query_vector: np.ndarray, scope: Scope, exact: bool):  # type: ignore[no-untyped-def]  # Select
        """The query of `nearest_ids` (HNSW needs `_hnsw_settings` on the same connection)."""
        query_text = bindparam("query", _vector_literal(query_vector), type_=String, unique=True)
        if exact:  # ordering by the float32 vector: no index matches, so PostgreSQL scans the scope exactly
            distance = models.Embedding.vector.op("<#>", return_type=Float)(cast(query_text, _VectorType("vector")))
        else:
            half = _VectorType("halfvec", int(self.embedder.dim))
            distance = cast(models.Embedding.vector, half).op("<#>", return_type=Float)(cast(query_text, half))
        return (
            self._joined(models.Passage.id)
            .join(models.Embedding, models.Embedding.passage_id == models.Passage.id)
            .where(self._model(), *self._scope_filter(scope))
            .order_by(distance)
        )

    async def topic_index(self, topic: str, query_vector: np.ndarray | None, scope: Scope) -> PassageIndex:
        """The passages a topic summary weighs, with their vectors, as an index (the library is never loaded
        whole: at 1M passages that ran past the statement timeout). A scope of at most RANKED_WHOLE passages is
        read whole, so its summaries are those of the in-process index; a larger one brings the passages holding
        all of the topic's words and those holding any (TOPIC_LEXICAL of each) and the TOPIC_DENSE nearest to it.
        Coverage's IDF comes from the whole corpus (`lexical_stats`, `doc_freq`), as in process."""
        await self._ensure_index()
        lexical = await self.lexical_stats()
        terms = list(dict.fromkeys(tokenize(topic)))
        where = self._scope_filter(scope)
        condition = and_(*where)
        async with self.engine.connect() as connection:
            freq = await self.doc_freq(connection, terms, lexical)
            passages = await self._size(connection, where)
            if passages > RANKED_WHOLE:
                present = [_tsquery_lexeme(t) for t in terms if freq.get(t)]
                queries = {" & ".join(present), " | ".join(present)} if present else set()  # all words, any word
                ids: set[int] = set()
                for tsquery in queries:
                    matching = self._matching([models.Passage.id], tsquery, where, TOPIC_LEXICAL)
                    ids.update(await connection.scalars(matching))
                if query_vector is not None:  # through HNSW (a scope this large is never scanned exactly)
                    ids.update(await self.nearest_ids(connection, query_vector, scope, passages, False, TOPIC_DENSE))
                chosen = bindparam("chosen", sorted(ids), type_=postgresql.ARRAY(Integer))
                condition = and_(condition, models.Passage.id == any_(chosen))
            if scope.speakers is not None:  # and the questions put to them, which hand the topic to their replies
                pairs = (await connection.execute(self._questions_to(scope))).all()
                asked = bindparam("asked", sorted({i for pair in pairs for i in pair}), type_=postgresql.ARRAY(Integer))
                # ids, not a subquery beside the scope's conditions: an OR the primary key's index can serve
                condition = or_(condition, models.Passage.id == any_(asked))
            rows = (await connection.execute(passage_rows(self.key).where(condition))).all()
        corpus = CorpusStats(lexical.n_docs, lexical.avg_length, freq)
        return await asyncio.to_thread(build_index, rows, embedding_parts(self.embedder), corpus)

    def _questions_to(self, scope: Scope) -> Select:
        """(id of the last passage of each turn that asks one of the scope's speakers — the turn just before theirs,
        by someone else, in any language: `PassageIndex.answer_row` in process — and id of the reply's first)."""
        reply = aliased(models.Passage)
        others = self._scope_filter(replace(scope, speakers=None, language=None))
        return (
            self._joined(models.Passage.id, reply.id)
            .join(
                models.Turn,
                (models.Turn.interview_id == models.Passage.interview_id)
                & (models.Turn.idx == models.Passage.turn_idx)
                & models.Turn.asks,
            )
            .join(
                reply,
                (reply.interview_id == models.Passage.interview_id)
                & (reply.turn_idx == models.Passage.turn_idx + 1)
                & (reply.position == 0)
                & (reply.speaker != models.Passage.speaker),
            )
            .where(
                reply.speaker.in_(sorted(scope.speakers or ())),
                ends_turn(models.Passage.interview_id, models.Passage.turn_idx, models.Passage.position),
                *others,
            )
        )

    async def _lexical_ids(
        self,
        connection: AsyncConnection,
        words: tuple[list[str], dict[str, float]],
        freq: dict[str, int],
        scope: Scope,
        stats: LexicalStats,
        scope_passages: int,
        pool: int = LEXICAL_POOL,
    ) -> list[int]:
        """The `pool` best BM25 passages in scope for the question's words, and for their translations (weighted),
        as the in-process index picks them; `freq` holds every term's document frequency (`doc_freq`)."""
        tokens, translations = words
        present = sorted((t for t in dict.fromkeys([*tokens, *translations]) if freq.get(t)), key=lambda t: freq[t])
        if not present:
            return []
        # every match where the in-process index ranks the scope whole (as many as a scope of LEXICAL_SCAN)
        scan = max(LEXICAL_SCAN, RANKED_WHOLE if scope_passages <= RANKED_WHOLE else 0)
        chosen, total = [], 0
        for term in present:  # rarest first, while the matches stay readable (all of them in a small scope)
            if chosen and total + freq[term] > scan and scope_passages > scan:
                break
            chosen.append(term)
            total += freq[term]
        queries = [" | ".join(map(_tsquery_lexeme, chosen))]
        if len(chosen) < len(present):  # plus passages holding every word, however common
            queries.append(" & ".join(map(_tsquery_lexeme, present)))
        where = self._scope_filter(scope)
        matching = [self._matching([models.Passage.id, models.Passage.lexical], q, where, scan) for q in queries]
        # one statement: both queries' matches (UNION ALL: the dict drops a passage both found, without the server
        # hashing 2 000 texts to do it)
        found = union_all(*(q.subquery().select() for q in matching)) if len(matching) > 1 else matching[0]
        docs = dict((await connection.execute(found)).all())
        ids = sorted(docs)  # equal scores go to the earlier passage (ids follow the transcript), as in process
        corpus = CorpusStats(stats.n_docs, stats.avg_length, freq)
        chosen: list[int] = []
        for scores in await asyncio.to_thread(term_scores, [docs[i] for i in ids], (tokens, translations), corpus):
            chosen += [ids[i] for i in np.argsort(-scores, kind="stable")[:pool] if scores[i] > 0]
        return chosen

    async def index_for(
        self,
        query: str,
        query_vector: np.ndarray | Awaitable[np.ndarray | None] | None,
        scope: Scope,
        method: str,
        named: frozenset[str] = frozenset(),
    ) -> CandidateIndex:
        """The candidates for one search, as an index `rank()` can score like the in-process one; `named`, the
        speakers the question names, bring candidates of their own (`named_scope`).

        The question's vector may still be on its way (an awaitable): the lexical side needs none, so it runs
        meanwhile, on a connection of its own, beside the dense side's nearest passages. Where the server has
        cores of its own this hides its lexical work behind the encoding; on 2 cores shared with the server the
        gain was within noise (README, "PostgreSQL per question")."""
        await self._ensure_index()
        scope_stats, lexical = await asyncio.gather(self.scope_stats(scope), self.lexical_stats())  # two connections
        # the question's words and their translations (ranking's lexical and translated evidence)
        words = (tokenize(query), translated_terms(query))
        terms = list(dict.fromkeys(chain(*words)))  # all that ranking asks the candidates' BM25 about
        narrowed = named_scope(scope, named)
        scopes = [scope, *([narrowed] if narrowed else [])]
        (freq, lexical_ids), (vector, dense_ids) = await asyncio.gather(
            self._lexical_side(words, terms, scopes, lexical, scope_stats.passages, method),
            self._dense_side(query_vector, scopes, scope_stats, method, narrowed),
        )
        vector = vector if method != "lexical" else None
        rows = await self._candidate_rows(sorted({*lexical_ids, *dense_ids}), vector)
        async with self.engine.connect() as connection:
            asking = await self._asking_rates(connection, {r.interview_id for r in rows})
        corpus = CorpusStats(lexical.n_docs, lexical.avg_length, freq)
        parts = embedding_parts(self.embedder)
        base = await asyncio.to_thread(
            build_index,
            rows,
            parts,
            corpus,
            asking,
            with_vectors=False,
            terms=frozenset(terms),
            question=vector,
        )
        return CandidateIndex(**vars(base), scope=scope_stats)

    async def _lexical_side(
        self,
        words: tuple[list[str], dict[str, float]],
        terms: list[str],
        scopes: list[Scope],
        lexical: LexicalStats,
        scope_passages: int,
        method: str,
    ) -> tuple[dict[str, int], list[int]]:
        """The question's terms' document frequencies (also for dense search: declining asks whether the library
        knows them) and, unless the search is dense alone, the best BM25 passages of each scope."""
        async with self.engine.connect() as connection:
            freq = await self.doc_freq(connection, terms, lexical)
            if method == "dense" or not freq:
                return freq, []
            # lexical search alone ranks a small scope's every match in process (the speech evidence can lift a
            # passage from far down BM25's list): so does this one
            whole = scope_passages <= RANKED_WHOLE
            pool = RANKED_WHOLE if method == "lexical" and whole else WHOLE_POOL if whole else LEXICAL_POOL
            found = [
                await self._lexical_ids(connection, words, freq, part, lexical, scope_passages, pool) for part in scopes
            ]
        return freq, list(chain(*found))

    async def _dense_side(
        self,
        query_vector: np.ndarray | Awaitable[np.ndarray | None] | None,
        scopes: list[Scope],
        stats: ScopeStats,
        method: str,
        narrowed: Scope | None,
    ) -> tuple[np.ndarray | None, list[int]]:
        """The question's vector once it is encoded, and the passages nearest to it in each scope: from the
        scope's sample when it is the whole scope, else through HNSW (an exact scan under EXACT_BELOW vectors)."""
        vector = await query_vector if inspect.isawaitable(query_vector) else query_vector
        if vector is None or method == "lexical" or stats.embedded == 0:
            return vector, []
        in_sample = _nearest_in_sample(stats, vector, narrowed.speakers if narrowed else frozenset())
        if in_sample is not None:
            return vector, in_sample
        exact = stats.embedded < EXACT_BELOW
        async with self.engine.connect() as connection:
            found = [await self.nearest_ids(connection, vector, part, stats.embedded, exact) for part in scopes]
        return vector, list(chain(*found))

    async def _candidate_rows(self, ids: list[int], query_vector: np.ndarray | None) -> list:
        """Index rows of the chosen passages, their neighbours in the turn and the first two passages of the reply
        to any of them that ends a turn asking (as `index.neighbourhood` in process), each with the question's
        dense scores and its similarity to the next row, computed by the server (`_scores`). One statement per
        CANDIDATE_PARTS share of the interviews, run at once on connections of their own: the server's work (a
        fifth of a search at 100k) then uses its cores side by side. The rows are the same: neighbours, replies
        and the next row a similarity is read for (`_repeats`) never leave their interview."""
        if not ids:
            return []
        params: dict[str, object] = {"ids": ids}
        if query_vector is not None:
            params["scored"] = _vector_literal(query_vector)
        statement = self._candidates_statement(query_vector is not None)

        async def part(k: int) -> list:
            async with self.engine.connect() as connection:
                return list((await connection.execute(statement, {**params, "part": k})).all())

        return list(chain(*await asyncio.gather(*map(part, range(CANDIDATE_PARTS)))))

    def _candidates_statement(self, scored: bool) -> Select:
        """The statement of `_candidate_rows`, built once: the ids come as one array parameter, so its text never
        changes and asyncpg prepares it once per connection (a list of ids made new text, parsed and planned anew,
        each search), and building it again cost the event loop ~3 ms a search."""
        cached = self._statements.get(scored)
        if cached is not None:
            return cached
        around = aliased(models.Passage)
        near = (
            select(
                models.Passage.id,
                models.Passage.interview_id,
                models.Passage.turn_idx,
                models.Passage.position,
                models.Passage.speaker,
            )  # fmt: skip
            .join(
                around,
                (models.Passage.interview_id == around.interview_id)
                & (models.Passage.turn_idx == around.turn_idx)
                & models.Passage.position.between(around.position - 1, around.position + 1),
            )
            .where(
                around.id == any_(bindparam("ids", type_=postgresql.ARRAY(Integer))),
                around.interview_id % CANDIDATE_PARTS == bindparam("part", type_=Integer),
            )
            .distinct()
            .cte("near")
        )
        last = ends_turn(near.c.interview_id, near.c.turn_idx, near.c.position)
        replies = (
            select(models.Passage.id)
            .join(
                near,
                (models.Passage.interview_id == near.c.interview_id)
                & (models.Passage.turn_idx == near.c.turn_idx + 1)
                & (models.Passage.position <= 1)
                & (models.Passage.speaker != near.c.speaker),
            )
            .join(
                models.Turn,
                (models.Turn.interview_id == near.c.interview_id)
                & (models.Turn.idx == near.c.turn_idx)
                & models.Turn.asks,
            )
            .where(last)
        )
        rows = union(select(near.c.id), replies).subquery()
        # unordered: build_index puts them in transcript order
        query = passage_rows(self.key, with_vectors=False, turn_ends=True).order_by(None)
        query = query.add_columns(*self._scores(scored)).where(models.Passage.id.in_(select(rows.c.id)))
        self._statements[scored] = query
        return query

    def _scores(self, scored: bool) -> list:
        """Columns of the candidates' statement: the question's `DenseScores` lines of each row (each model's
        passage cosine, then window, then turn, as `dense_scores` computes them in process; the window and turn
        from the sums stored with the vector, bot/search/context.py) and the dot product of the row's vector with
        the next row's (near-duplicates, `adjacent_similarity`). The server computes them where the vectors lie:
        sending the vectors took 4 MB a search (560 rows of three vectors) and a fifth of its time at 100k. When
        `scored`, the question's vector is the parameter `scored`."""
        following = func.lead(models.Embedding.vector).over(
            partition_by=models.Passage.interview_id, order_by=(models.Passage.turn_idx, models.Passage.position)
        )  # within an interview, as `_repeats` reads it (and each of CANDIDATE_PARTS holds whole interviews)
        columns = [func.inner_product(models.Embedding.vector, following).label("next_similarity")]
        if not scored:
            return columns
        whole = _VectorType("vector")
        question = select(cast(bindparam("scored", type_=String), whole)).scalar_subquery()
        parts = embedding_parts(self.embedder)
        p = len(parts)
        passage, window, turn = [], [], []
        for s in part_slices(parts):
            start, n = s.start + 1, s.stop - s.start  # pgvector counts dimensions from 1
            q = func.subvector(question, start, n)
            passage.append(func.inner_product(func.subvector(models.Embedding.vector, start, n), q) * p)
            for sums, line in ((models.Embedding.window_vector, window), (models.Embedding.turn_vector, turn)):
                part = cast(func.subvector(sums, start, n), whole)
                norm = func.greatest(func.vector_norm(part), 1e-6, type_=Float)  # typed: else `/` divides NUMERICs
                cosine = func.inner_product(part, q, type_=Float) * math.sqrt(p) / norm
                line.append(cosine)
        lines = [func.coalesce(score, 0.0) for score in (*passage, *window, *turn)]
        # a plain list of floats from asyncpg: SQLAlchemy's ARRAY type would convert every item again in Python
        return [*columns, type_coerce(postgresql.array(lines), NullType()).label("scores")]

    async def _asking_rates(self, connection: AsyncConnection, interviews: set[int]) -> dict[tuple[int, str], float]:
        """Each speaker's share of turns that end asking, over the candidates' whole interviews (as
        `asking_rates` computes it in process over every row); cached per interview, read inside the search for
        interviews not seen yet, and past STATS_TTL read again for all of them behind the searches, like the
        statistics (until stop 31 the search that found them old cleared them all and read its own again)."""
        if self._asking_read_at is None:
            self._asking_read_at = time.monotonic()
        self._refresh_if_old("asking", self._asking_read_at, self._read_all_asking)
        missing = interviews - self._asking.keys()
        if missing:
            self._asking.update(await self._read_asking(connection, missing))
        return {(i, speaker): rate for i in interviews for speaker, rate in self._asking[i].items()}

    async def _read_asking(self, connection: AsyncConnection, interviews: set[int]) -> dict[int, dict[str, float]]:
        asked = func.avg(case((models.Turn.asks, 1.0), else_=0.0))
        query = (
            select(models.Turn.interview_id, models.Turn.speaker, asked)
            .where(models.Turn.interview_id == any_(bindparam("ids", type_=postgresql.ARRAY(Integer))))
            .group_by(models.Turn.interview_id, models.Turn.speaker)
        )
        rates: dict[int, dict[str, float]] = {interview: {} for interview in interviews}
        for interview, speaker, rate in await connection.execute(query, {"ids": sorted(interviews)}):
            rates[interview][speaker] = float(rate)
        return rates

    async def _read_all_asking(self) -> None:
        generation, read_at = self._generation, time.monotonic()
        async with self.engine.connect() as connection:
            rates = await self._read_asking(connection, set(self._asking))
        if generation == self._generation:
            self._asking.update(rates)
            self._asking_read_at = read_at


def _nearest_in_sample(stats: ScopeStats, query_vector: np.ndarray, named: frozenset[str]) -> list[int] | None:
    """The dense candidates of a scope whose sample is the whole scope (RANKED_WHOLE passages or fewer), found in
    memory, exactly, with no SQL: the WHOLE_POOL passages nearest to the question, the same among the `named`
    speakers' passages, and each model's PART_POOL nearest by its own dimensions (the nearest whole vectors lean
    to the model whose cosines spread more, and each model's best passage sets the z-score declining reads).
    None when the sample is not the whole scope: the graph finds them then."""
    sample = stats.sample
    if sample is None or len(sample) < stats.passages:
        return None
    rows = np.flatnonzero(sample.has_vector)
    found: set[int] = set()
    pools = [(rows, slice(None), WHOLE_POOL)]
    if named:
        pools.append((rows[np.isin(sample.speakers[rows], sample.speaker_codes(named))], slice(None), WHOLE_POOL))
    if len(sample.parts) > 1:
        pools += [(rows, part, PART_POOL) for part in part_slices(sample.parts)]
    for among, part, k in pools:
        best, _ = top_k(sample.vectors[among, part] @ query_vector[part], among, k)
        found.update(sample.ids[best].tolist())
    return sorted(found)


async def _hnsw_settings(connection: AsyncConnection, vectors: int) -> None:
    """The HNSW search's candidate list and iterative scans (so filters still fill the pool) on this connection.
    The list grows with the scope as in process (`ef_search`, bot/search/ann.py: at 1M passages a fixed list
    found about half of the exact top 10), up to pgvector's largest. Set for the connection's session, and only
    when it changes (the pool keeps what was set in `info`): set per transaction it cost a round trip before every
    search's nearest passages. Committed, since the pool rolls back every connection it gets back."""
    wanted = (str(ef_search(vectors, EF_SEARCH, EF_SEARCH_MAX)), "relaxed_order")
    if connection.info.get("hnsw") != wanted:
        await connection.execute(
            text("SELECT set_config('hnsw.ef_search', :ef, false), set_config('hnsw.iterative_scan', :scan, false)"),
            {"ef": wanted[0], "scan": wanted[1]},
        )
        await connection.commit()
        connection.info["hnsw"] = wanted


def candidate_source(sessions: async_sessionmaker[AsyncSession], embedder: Embedder) -> PostgresCandidates | None:
    """PostgreSQL candidates when the sessions are bound to PostgreSQL; None (the in-process index) otherwise."""
    engine = sessions.kw.get("bind")
    if engine is not None and engine.dialect.name == "postgresql":
        return PostgresCandidates(engine, embedder)
    return None
