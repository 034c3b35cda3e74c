"""The in-process vector store: an HNSW graph (faiss) over 8-bit codes of the passage vectors, and the vectors
themselves in half precision in a file beside it, both saved beside the database so a restart reads them back
instead of rebuilding them.

Why: one exact scan of 1M × 896 float32 vectors reads 3.6 GB per question (~0.4 s); the graph visits a few
thousand vectors. The graph needs its codes in memory, and one byte a dimension is enough to find the nearest
few hundred (at 1M passages 0.9 GB, against 1.8 GB of float16 codes). The exact re-scoring of candidates, their
window and turn scores and exact scans of small scopes read the float16 vectors from their file (`HalfRows`:
a few hundred rows a question, held by the system's page cache, not by the process). The choice of faiss over
hnswlib (float32 only: 3.6 GB at 1M) and usearch is measured in the README ("Search speed").

A slot is a vector's position in the graph; `ids` maps slots to passage ids. HNSW cannot delete, so a passage
that left the library (interview removed or replaced) only loses its `alive` flag and is filtered out of every
search; the graph is rebuilt when most of it is dead.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import fcntl
import hashlib
import logging
import os
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import BinaryIO

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.context import context_sums
from bot.search.index import (
    BM25Rows,
    CandidateIndex,
    PassageIndex,
    Scope,
    ScopeStats,
    build_index,
    context_norms,
    named_scope,
    neighbourhood,
    passage_rows,
    take,
    top_k,
    whole_turns,
)
from bot.text.dictionary import translated_terms
from bot.text.tokens import tokenize

log = logging.getLogger(__name__)

HNSW_M = 16  # links per node
EF_CONSTRUCTION = 160  # candidate list while inserting: 80 left 1M real-like vectors at recall@10 0.91 (README)
EF_SEARCH = 128  # candidate list while searching, at least; recall@10 against exact search is in the README
EF_PER_VECTORS = 500  # and one more per this many live vectors, up to EF_SEARCH_MAX (README, Speed)
EF_SEARCH_MAX = 2048
ADD_BATCH = 2048  # vectors added per call (a search waits for at most one call), read per query
SAVE_EVERY = 65536  # a long build is saved this often, so an interrupted one resumes from there
REBUILD_DEAD_SHARE = 0.5  # rebuild the graph when this share of its slots is dead
FORMAT = 2  # bump when the saved layout changes (an old file is then rebuilt); 2: 8-bit codes, float16 file
EXACT_BELOW = 5000  # scopes with at most this many vectors are ranked whole (exact); larger ones through HNSW
# 60 of each, not 100: in a library of 131 130 passages (the nine dev transcripts among 516 real podcasts and talks)
# both dev sets rank the same within a question or two (v1 identical; v2 MRR@10 0.548 with 100, 0.549 with 60), and a
# PostgreSQL search reads, scores and indexes 40 % fewer candidates (README, "Search at scale")
DENSE_POOL = 60  # nearest passages taken from the graph (rank() keeps its own POOL of these)
LEXICAL_POOL = 60  # best BM25 passages taken as candidates
SAMPLE = 2000  # passages (whole turns) of a large scope that estimate the dense scores' mean and spread
SAMPLE_SEED = 20261202
SCOPES_CACHED = 16  # scopes whose rows, filter and sample are kept
CODE_RANGE = 2.0  # the 8-bit codes span this many times the largest coordinate of the first vectors added


@cache
def _faiss():  # type: ignore[no-untyped-def]  # the module, imported lazily (it starts OpenMP)
    # Its loader logs at INFO each instruction-set build it tries and the wheel lacks (one dispatching build).
    # Once: setLevel clears every logger's cache, 0.9 ms a call, twice a search.
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)
    import faiss

    return faiss


class HalfRows:
    """float16 vectors in a file, one row per slot in the order they were appended, read back with `os.pread`.

    Reads go through the system's page cache rather than a memory map, so the 1.8 GB of a million passages'
    vectors never count in the process's memory, and a question reads only the rows it scores. A saved file is
    only ever read: several processes may serve one library, so the first vector this process adds copies the
    rows into a file of its own (anonymous, gone when the process ends), and `publish` writes them out under a
    new name."""

    def __init__(self, dim: int, saved: Path | None = None, keep: int = 0, directory: Path | None = None) -> None:
        self.dim, self.width, self.directory = dim, dim * 2, directory
        self.count, self.owned, self.dirty = keep, saved is None, False  # dirty: appended since published
        self.file = open(saved, "rb") if saved is not None else tempfile.TemporaryFile(dir=directory)  # noqa: SIM115
        if os.fstat(self.file.fileno()).st_size < keep * self.width:
            self.file.close()
            raise ValueError(f"{saved} holds fewer than {keep} vectors")

    def append(self, vectors: np.ndarray) -> None:
        """Add rows at the end (the next slots)."""
        if not self.owned:
            private = tempfile.TemporaryFile(dir=self.directory)  # noqa: SIM115  # kept open
            _copy(self.file, private, self.count * self.width)
            self.file.close()
            self.file, self.owned = private, True
        data = np.ascontiguousarray(vectors, dtype=np.float16).tobytes()
        os.pwrite(self.file.fileno(), data, self.count * self.width)
        self.count += len(vectors)
        self.dirty = True

    def publish(self, path: Path) -> None:
        """Write the rows to `path` (a new name: a process reading an older file keeps reading it), on disk."""
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as out:
            _copy(self.file, out, self.count * self.width)
            os.fsync(out.fileno())
        os.replace(tmp, path)
        self.dirty = False

    def read(self, slots: np.ndarray) -> np.ndarray:
        """float16 rows of these slots (each < count), one read per run of consecutive slots."""
        slots = np.asarray(slots, dtype=np.int64)
        out = np.empty((len(slots), self.dim), dtype=np.float16)
        if not len(slots):
            return out
        order = np.argsort(slots, kind="stable")
        ordered = slots[order]
        cuts = np.flatnonzero(np.diff(ordered) != 1) + 1
        fd = self.file.fileno()
        for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), len(ordered)], strict=True):
            first = int(ordered[a])
            data = os.pread(fd, (b - a) * self.width, first * self.width)
            out[order[a:b]] = np.frombuffer(data, dtype=np.float16).reshape(b - a, self.dim)
        return out

    def close(self) -> None:
        """Release the file."""
        self.file.close()


def _copy(source: BinaryIO, target: BinaryIO, size: int) -> None:
    """The first `size` bytes of one file into another, inside the kernel (no copy through this process)."""
    done = 0
    while done < size:
        try:
            step = os.copy_file_range(source.fileno(), target.fileno(), size - done, done, done)
        except OSError:  # a filesystem without it: through this process, 8 MB at a time
            chunk = os.pread(source.fileno(), min(size - done, 1 << 23), done)
            step = os.pwrite(target.fileno(), chunk, done)
        if step <= 0:
            raise OSError(f"vector file ended after {done} of {size} bytes")
        done += step


class VectorStore:
    """Passage vectors: 8-bit codes in an HNSW graph, float16 rows in a file; thread-safe for one writer and many
    readers."""

    def __init__(self, dim: int, path: Path | None = None) -> None:
        self.dim = dim
        self.path = path
        self.graph = self._new_graph()
        self.rows = HalfRows(dim, directory=path.parent if path is not None else None)
        self.published: str | None = None  # the name of the saved vectors' file these rows match, if any
        self.ids = np.zeros(0, dtype=np.int64)  # passage id per slot
        self.alive = np.zeros(0, dtype=bool)
        self.added = 0  # vectors added since this store was opened (a restart that read the file adds none)
        self._lock = threading.Lock()
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None  # (ids of live slots sorted, their slots)

    def _new_graph(self):  # type: ignore[no-untyped-def]  # a faiss.IndexHNSWSQ
        faiss = _faiss()
        graph = faiss.IndexHNSWSQ(self.dim, faiss.ScalarQuantizer.QT_8bit_uniform, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = EF_CONSTRUCTION
        graph.hnsw.efSearch = EF_SEARCH
        return graph

    def _train(self, vectors: np.ndarray) -> None:
        """Fix the codes' range from the first vectors added: CODE_RANGE times their largest coordinate (at most
        1, the largest a unit vector has), so later vectors rarely clip; a clipped coordinate only blurs the
        graph's own distances, never a score (those come from the float16 rows)."""
        faiss = _faiss()
        top = min(1.0, CODE_RANGE * float(np.abs(vectors).max(initial=0.0))) or 1.0
        storage = faiss.downcast_index(self.graph.storage)
        faiss.copy_array_to_vector(np.array([-top, 2 * top], dtype=np.float32), storage.sq.trained)
        storage.is_trained = self.graph.is_trained = True

    def __len__(self) -> int:
        return int(self.alive.sum())

    @classmethod
    def open(cls, dim: int, path: Path | None) -> VectorStore:
        """The store saved at `path`, or an empty one (no file, another dimension or layout, or a damaged file)."""
        if path is None or not path.exists() or not _ids_path(path).exists():
            return cls(dim, path)
        with _locked(path, fcntl.LOCK_SH):  # never halfway through another process's save
            return cls._read(dim, path)

    @classmethod
    def _read(cls, dim: int, path: Path) -> VectorStore:
        try:
            graph = _faiss().read_index(str(path))
            with np.load(_ids_path(path)) as saved:
                ids, alive, fmt = saved["ids"], saved["alive"], int(saved["format"])
                published = str(saved["rows"]) if "rows" in saved else ""  # FORMAT 1 had none
        except (RuntimeError, OSError, ValueError, KeyError) as exc:
            log.warning("vector index %s is unreadable (%s); rebuilding it", path, exc)
            return cls(dim, path)
        if graph.d != dim or fmt != FORMAT:
            log.info("vector index %s was built for another model or layout; rebuilding it", path)
            return cls(dim, path)
        store = cls(dim, path)
        try:
            rows = HalfRows(dim, path.with_name(published), graph.ntotal, path.parent)
        except (OSError, ValueError) as exc:  # the file its graph needs is gone or short: start again
            log.warning("vector index %s lacks its vectors (%s); rebuilding it", path, exc)
            return store
        store.rows.close()
        store.rows, store.published = rows, published
        # The graph is saved before its ids: slots past the saved ids (a save cut short) are unknown, so dead.
        known = min(len(ids), graph.ntotal)
        store.ids = np.full(graph.ntotal, -1, dtype=np.int64)
        store.alive = np.zeros(graph.ntotal, dtype=bool)
        store.ids[:known], store.alive[:known] = ids[:known], alive[:known]
        graph.hnsw.efSearch = EF_SEARCH
        store.graph = graph
        log.info("read the vector index %s (%d vectors)", path, len(store))
        return store

    def save(self) -> None:
        """Write the vectors (when this process added any) to a file of a new name, then the graph, then its ids
        and that name, each to a temporary file renamed over the old one: the ids file says which vectors' file
        goes with the graph, and the file it named before is removed (a process still reading it keeps it open
        until it ends). This process's rows are written again when another's save removed the file they match."""
        if self.path is None:
            return
        with _locked(self.path, fcntl.LOCK_EX):  # two processes' saves never interleave
            with self._lock:
                ids, alive = self.ids.copy(), self.alive.copy()
                published = self.published
                if self.rows.dirty or published is None or not self.path.with_name(published).exists():
                    published = f"{self.path.name}.{secrets.token_hex(6)}.f16"
                    self.rows.publish(self.path.with_name(published))
                tmp = self.path.with_name(self.path.name + ".tmp")
                _faiss().write_index(self.graph, str(tmp))
            os.replace(tmp, self.path)
            ids_tmp = _ids_path(self.path).with_name(_ids_path(self.path).name + ".tmp.npz")
            np.savez(ids_tmp, ids=ids, alive=alive, format=np.int64(FORMAT), rows=np.str_(published))
            replaced = _published_rows(self.path)
            os.replace(ids_tmp, _ids_path(self.path))
            self.published = published
            if replaced not in (None, published):
                self.path.with_name(replaced).unlink(missing_ok=True)

    def slots_of(self, ids: np.ndarray) -> np.ndarray:
        """The live slot of each passage id (-1 where the store has no vector for it)."""
        if self._sorted is None:
            live = np.flatnonzero(self.alive)
            order = np.argsort(self.ids[live], kind="stable")
            self._sorted = (self.ids[live][order], live[order])
        keys, slots = self._sorted
        ids = np.asarray(ids, dtype=np.int64)
        if len(keys) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
        return np.where(keys[at] == ids, slots[at], -1)

    def missing(self, wanted: np.ndarray) -> np.ndarray:
        """Passage ids among `wanted` without a live vector here."""
        wanted = np.asarray(wanted, dtype=np.int64)
        return wanted[self.slots_of(wanted) < 0]

    def retire(self, keep: np.ndarray) -> int:
        """Mark dead every live vector whose passage is not in `keep` (it left the library); returns how many."""
        with self._lock:
            gone = self.alive & ~np.isin(self.ids, np.asarray(keep, dtype=np.int64))
            self.alive &= ~gone
            self._sorted = None
        return int(gone.sum())

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Insert vectors (unit float32 rows) for these passage ids; an id already stored gets the new vector."""
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self._lock:
            if not self.graph.is_trained:
                self._train(vectors)
            old = self.slots_of(ids)
            self.alive[old[old >= 0]] = False
            self.rows.append(vectors)
            self.graph.add(vectors)
            self.ids = np.concatenate([self.ids, ids])
            self.alive = np.concatenate([self.alive, np.ones(len(ids), dtype=bool)])
            self._sorted = None
            self.added += len(ids)

    def rebuild(self) -> None:
        """A new graph and vectors' file of the live vectors only (built aside, then put in place)."""
        log.info("rebuilding the vector index: %d of %d slots are dead", len(self.alive) - len(self), len(self.alive))
        live = np.flatnonzero(self.alive)
        fresh = VectorStore(self.dim, self.path)
        for start in range(0, len(live), ADD_BATCH):
            part = live[start : start + ADD_BATCH]
            fresh.add(self.ids[part], self.vectors(part))
        with self._lock:
            self.rows.close()
            self.graph, self.rows, self.ids, self.alive, self._sorted = (
                fresh.graph, fresh.rows, fresh.ids, fresh.alive, None
            )  # fmt: skip
        self.save()

    def needs_rebuild(self) -> bool:
        """True when most slots are dead (searches then wade through them)."""
        return len(self.alive) > 1000 and float(self.alive.mean()) < 1 - REBUILD_DEAD_SHARE

    def vectors(self, slots: np.ndarray) -> np.ndarray:
        """float32 rows for these slots (zeros for -1)."""
        slots = np.asarray(slots, dtype=np.int64)
        out = np.zeros((len(slots), self.dim), dtype=np.float32)
        present = slots >= 0
        with self._lock:
            out[present] = self.rows.read(slots[present])
        return out

    def scan(self, query: np.ndarray, slots: np.ndarray, block: int = 16384) -> np.ndarray:
        """Exact inner products of the question with these slots' vectors (-1 slots score 0), in blocks."""
        slots = np.asarray(slots, dtype=np.int64)
        out = np.zeros(len(slots), dtype=np.float32)
        query = np.asarray(query, dtype=np.float32)
        for start in range(0, len(slots), block):
            part = slots[start : start + block]
            present = part >= 0
            with self._lock:
                rows = self.rows.read(part[present])
            out[start : start + block][present] = rows.astype(np.float32) @ query
        return out

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k live slots nearest to the question (restricted to `allowed` slots when given): (slots, scores
        from the 8-bit codes, near the exact ones; re-score with `scan`)."""
        faiss = _faiss()
        live = self.alive.copy()
        if allowed is not None:  # slots added since the filter was made are outside it
            live[: len(allowed)] &= allowed[: len(live)]
            live[len(allowed) :] = False
        if not live.any() or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        params = faiss.SearchParametersHNSW()
        params.efSearch = max(ef_search(len(self)), k)  # by the whole graph: a filter needs it as much as a scan
        if not live.all():
            bitmap = np.packbits(live, bitorder="little")
            params.sel = faiss.IDSelectorBitmap(len(live), faiss.swig_ptr(bitmap))
        with self._lock:
            scores, slots = self.graph.search(np.asarray(query, dtype=np.float32)[None, :], k, params=params)
        keep = slots[0] >= 0
        return slots[0][keep].astype(np.int64), scores[0][keep]


def ef_search(vectors: int, low: int = EF_SEARCH, high: int = EF_SEARCH_MAX) -> int:
    """The graph search's candidate list among this many live vectors, between `low` and `high` (PostgreSQL
    passes its own). A fixed 128 found 0.95 of the exact top 10 at 100k passages but 0.58 at 1M (real-like
    vectors: thousands of near-duplicates around each subject); 2048 at 1M found 0.94 for 9 ms a search."""
    return max(low, min(high, vectors // EF_PER_VECTORS))


def _ids_path(path: Path) -> Path:
    return path.with_name(path.name + ".ids.npz")


@contextlib.contextmanager
def _locked(path: Path, how: int) -> Iterator[None]:
    """A lock beside the saved store (`fcntl.flock`): saves hold it alone, so another process reads a whole save,
    its graph, ids and vectors' file together, or the one before."""
    with path.with_name(path.name + ".lock").open("a") as file:
        fcntl.flock(file.fileno(), how)
        yield


def _published_rows(path: Path) -> str | None:
    """The vectors' file the saved ids name (None: no readable ids file)."""
    try:
        with np.load(_ids_path(path)) as saved:
            return str(saved["rows"])
    except (OSError, ValueError, KeyError):
        return None


async def sync_store(
    store: VectorStore,
    wanted: np.ndarray,
    read: Callable[[np.ndarray], Awaitable[np.ndarray]],
    *,
    batch: int = ADD_BATCH,
    save_every: int = SAVE_EVERY,
) -> int:
    """Bring the store in line with the library: retire vectors of passages that left, add the missing ones read
    in batches through `read(ids)`, saving every `save_every` vectors (an interrupted build resumes from the last
    save) and at the end when anything changed. Returns how many vectors were added. The graph work runs in a
    worker thread."""
    retired = await asyncio.to_thread(store.retire, wanted)
    if store.needs_rebuild():
        await asyncio.to_thread(store.rebuild)
    missing = await asyncio.to_thread(store.missing, wanted)
    if len(missing):
        log.info("adding %d vectors to the vector index", len(missing))
    added = since_save = 0
    for start in range(0, len(missing), batch):
        ids = missing[start : start + batch]
        vectors = await read(ids)
        await asyncio.to_thread(store.add, ids, vectors)
        added += len(ids)
        since_save += len(ids)
        if since_save >= save_every and start + batch < len(missing):
            await asyncio.to_thread(store.save)
            since_save = 0
    if added or retired:
        await asyncio.to_thread(store.save)
    return added


class RowVectors:
    """`PassageIndex.vectors` of the in-process index: rows read from the store (float16 → float32) on demand,
    so the library's vectors are held once. Supports what callers do with the array: `v[rows]`, `v[a:b]`,
    `v[row]`, `v @ query` (an exact scan) and `len(v)`."""

    def __init__(self, store: VectorStore, slots: np.ndarray) -> None:
        self.store, self.slots = store, slots
        self.shape = (len(slots), store.dim)
        self.dtype = np.dtype(np.float32)
        self.ndim = 2

    def __len__(self) -> int:
        return len(self.slots)

    def __getitem__(self, key: object) -> np.ndarray:
        slots = self.slots[key]  # type: ignore[index]  # whatever numpy accepts
        if np.ndim(slots) == 0:
            return self.store.vectors(np.array([slots]))[0]
        return self.store.vectors(slots)

    def __matmul__(self, query: np.ndarray) -> np.ndarray:
        return self.store.scan(query, self.slots)

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        return self.store.vectors(self.slots) if dtype is None else self.store.vectors(self.slots).astype(dtype)


@dataclass
class _ScopeRows:
    rows: np.ndarray  # the scope's rows
    inside: np.ndarray | None  # per index row, whether it is in scope (None: every row is)
    embedded: np.ndarray  # of them, those with a vector
    allowed: np.ndarray | None  # per slot, for a filtered graph search (None: every live slot is in scope)
    stats: ScopeStats | None  # None: the scope is small enough to rank whole


class MemoryIndex:
    """The in-process search backend: the library's columns and BM25 (a PassageIndex whose vectors live in the
    store) and the vector store. Each search gets a small candidate index, like PostgreSQL's (bot/search/
    pgvector.py): the graph's nearest passages in scope and the best BM25 passages, with their neighbours and
    the start of a reply (`index.neighbourhood`), their window and turn sums made from the store, and scope
    statistics from a fixed sample of whole turns. Scopes of up to EXACT_BELOW embedded passages
    are ranked whole, exactly as before the graph existed."""

    def __init__(self, index: PassageIndex, store: VectorStore, slots: np.ndarray) -> None:
        self.index, self.store, self.slots = index, store, slots
        self._row_of_slot = np.full(len(store.alive), -1, dtype=np.int64)
        self._row_of_slot[slots[slots >= 0]] = np.flatnonzero(slots >= 0)
        self._scopes: OrderedDict[Scope, _ScopeRows] = OrderedDict()
        self._lock = threading.Lock()

    def _scope(self, scope: Scope) -> _ScopeRows:
        """The scope's rows, its slot filter and its statistics (cached: they depend only on the library)."""
        with self._lock:
            cached = self._scopes.get(scope)
            if cached is not None:
                self._scopes.move_to_end(scope)
                return cached
        inside = self.index.mask(scope)
        rows = np.flatnonzero(inside)
        embedded = rows[self.index.has_vector[rows]]
        allowed = stats = None
        if len(embedded) > EXACT_BELOW:
            if len(embedded) < int(self.index.has_vector.sum()):
                allowed = np.zeros(len(self.store.alive), dtype=bool)
                allowed[self.slots[embedded]] = True
            stats = ScopeStats(len(rows), len(embedded), self._sample(rows), time.monotonic())
        entry = _ScopeRows(rows, None if len(rows) == len(inside) else inside, embedded, allowed, stats)
        with self._lock:
            self._scopes[scope] = entry
            while len(self._scopes) > SCOPES_CACHED:
                self._scopes.popitem(last=False)
        return entry

    def _sample(self, rows: np.ndarray) -> PassageIndex:
        """Whole turns of the scope, about SAMPLE passages, the same ones every time (fixed seed)."""
        turns = np.unique(self.index.turn_of[rows])
        share = min(1.0, SAMPLE / max(1, len(rows)))
        chosen = turns[np.random.default_rng(SAMPLE_SEED).random(len(turns)) < share]
        sample = whole_turns(self.index, self.index.turn_start[chosen], following=False)
        return take(self.index, sample, self.store.vectors(self.slots[sample]))

    def candidates(
        self,
        query: str,
        query_vector: np.ndarray | None,
        scope: Scope,
        method: str,
        named: frozenset[str] = frozenset(),
    ) -> PassageIndex:
        """The small index one search ranks (see the class docstring); `named`, the speakers the question names,
        bring candidates of their own (`named_scope`). CPU only: call it in a worker thread."""
        entry = self._scope(scope)
        tokens = tokenize(query) if method != "dense" else []
        lexical = self.index.bm25.scores(tokens) if tokens else None
        if entry.stats is None:
            rows = whole_turns(self.index, entry.rows)
        else:
            found: list[np.ndarray] = []
            narrowed = named_scope(scope, named)
            lexical_scores = []  # the question's words, and their translations (ranking reads both)
            if lexical is not None:
                translations = translated_terms(query)
                lexical_scores = [lexical, *([self.index.bm25.weighted_scores(translations)] if translations else [])]
            for part in (entry, *([self._scope(narrowed)] if narrowed else [])):
                if query_vector is not None and method != "lexical":
                    found.append(self._nearest(query_vector, part))
                for scores in lexical_scores:
                    matches = np.flatnonzero(scores > 0)  # a few of 1M rows: cheaper than reading the scope's
                    in_scope = matches if part.inside is None else matches[part.inside[matches]]
                    best, _ = top_k(scores[in_scope], in_scope, LEXICAL_POOL)
                    found.append(best)
            chosen = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
            rows = neighbourhood(self.index, chosen[chosen >= 0])
        bm25 = BM25Rows(self.index.bm25, rows, (tokens, lexical) if lexical is not None else None)
        if entry.stats is None:
            return CandidateIndex(**vars(take(self.index, rows, self.store.vectors(self.slots[rows]), bm25)))
        # The rows' window and turn sums, from their turns' float16 vectors in the store: the numbers the database
        # stores (bot/search/context.py), without holding 1.8 GB of each kind per million passages.
        turns = whole_turns(self.index, rows, following=False)
        vectors = self.store.vectors(self.slots[turns])
        window, turn = context_sums(vectors, self.index.turn_of[turns])
        at = np.searchsorted(turns, rows)
        base = take(self.index, rows, vectors[at], bm25)
        base.context = (window[at], turn[at])
        return CandidateIndex(**vars(base), scope=entry.stats)

    def _nearest(self, query_vector: np.ndarray, entry: _ScopeRows) -> np.ndarray:
        """The DENSE_POOL rows of a scope nearest to the question: through the graph, exactly in a small scope."""
        if entry.stats is None:
            best, _ = top_k(self.store.scan(query_vector, self.slots[entry.embedded]), entry.embedded, DENSE_POOL)
            return best
        slots, _ = self.store.search(query_vector, DENSE_POOL, entry.allowed)
        return self.store_rows(slots)

    def store_rows(self, slots: np.ndarray) -> np.ndarray:
        """Index rows of store slots (-1 where a slot's passage is not in the index, or was added after it)."""
        rows = np.full(len(slots), -1, dtype=np.int64)
        inside = slots < len(self._row_of_slot)
        rows[inside] = self._row_of_slot[slots[inside]]
        return rows


def store_path(sessions: async_sessionmaker[AsyncSession], key: str) -> Path | None:
    """Where the vector store of a SQLite library lives: beside the database file, one file per vector key
    (model and recipe). None for a database without a file."""
    engine = sessions.kw.get("bind")
    url = getattr(engine, "url", None)
    if url is None or url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    database = Path(url.database)
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]  # noqa: S324  # a file name, not security
    return database.with_name(f"{database.name}.vectors-{digest}.faiss")


async def load_memory_index(
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    open_store: Callable[[], Awaitable[VectorStore]],
    parts: tuple[int, ...],
) -> MemoryIndex:
    """Read the library's columns (not its vectors) and bring the store up to date: only vectors it lacks are
    read from the database and added (none after a restart, all of them the first time). The store is opened
    after the rows are read and gone, so a restart holds the rows or the vectors, never both (at 1M passages,
    1.1 GB and 1.9 GB)."""
    async with sessions() as session:
        rows = (await session.execute(passage_rows(key, with_vectors=False))).all()
    index = await asyncio.to_thread(partial(build_index, rows, parts, with_vectors=False))
    del rows
    store = await open_store()

    async def read(ids: np.ndarray) -> np.ndarray:
        async with sessions() as session:
            found = dict(
                (
                    await session.execute(
                        select(models.Embedding.passage_id, models.Embedding.vector).where(
                            models.Embedding.model == key, models.Embedding.passage_id.in_(ids.tolist())
                        )
                    )
                ).all()
            )
        return np.stack([np.frombuffer(found[int(i)], dtype=np.float32) for i in ids])

    await sync_store(store, index.ids[index.has_vector], read)
    memory = await asyncio.to_thread(_attach, index, store)
    await asyncio.to_thread(_return_freed_memory)  # madvise over a large heap: off the loop
    log.info("loaded %d passages (%d with vectors)", len(index), int(index.has_vector.sum()))
    return memory


def _return_freed_memory() -> None:
    """Hand what loading freed back to the system: glibc keeps a fragmented heap resident otherwise (at 1M
    passages 0.3 GB of a 3.96 GB process once serving)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _attach(index: PassageIndex, store: VectorStore) -> MemoryIndex:
    """Point the index's rows at the store's slots (in a worker thread: a few seconds at 1M passages)."""
    slots = store.slots_of(index.ids)
    index.has_vector &= slots >= 0  # a vector deleted between the two reads
    index.vectors = RowVectors(store, slots)  # type: ignore[assignment]  # duck-typed array, see RowVectors
    index.window_norm, index.turn_norm = context_norms(index.vectors, index.parts, index.turn_of, index.turn_start)
    return MemoryIndex(index, store, slots)
