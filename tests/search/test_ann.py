"""The in-process vector index (bot/search/ann.py): saved beside the SQLite file, read back after a restart,
resumed after an interrupted build, and searched through its graph for large scopes."""

from __future__ import annotations

import fcntl
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from bot.library import models
from bot.library.service import Library
from bot.search import ann
from bot.search.ann import VectorStore, store_path, sync_store
from bot.search.embedder import HashingEmbedder
from bot.search.indexer import embed_pending, vector_key
from bot.search.service import SearchService

QUESTION = "How much cooler are the top-floor flats under a planted roof?"


@pytest.fixture
def embedded(library: Library, db_url: str) -> Library:
    """A library in a SQLite file: the in-process backend (tests ingest the samples with `ingested`)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the in-process vector index serves SQLite libraries; PostgreSQL has its own")
    return library


async def hits_of(search: SearchService, query: str = QUESTION) -> list[tuple[int, ...]]:
    result = await search.search(query, await search.scope_for(), 5)
    return [hit.passage_ids for hit in result.hits]


async def ingested(library: Library, samples: list[Path]) -> int:
    for path in samples:
        assert not (await library.ingest(path.read_bytes(), path.name)).failed
    return (await embed_pending(library.sessions, HashingEmbedder())).embedded


async def test_index_survives_a_restart_without_rebuilding(
    embedded: Library, samples: list[Path], tmp_path: Path
) -> None:
    total = await ingested(embedded, samples)
    first = SearchService(embedded.sessions, HashingEmbedder())
    before = await hits_of(first)
    assert first._store is not None and first._store.added == total
    path = store_path(embedded.sessions, vector_key(first.embedder))
    assert path is not None and path.exists() and path.parent == tmp_path  # beside colloquy.db
    saved_at = path.stat().st_mtime_ns

    restarted = SearchService(embedded.sessions, HashingEmbedder())  # a new process would do the same
    assert await hits_of(restarted) == before and before
    assert restarted._store is not None and restarted._store.added == 0 and len(restarted._store) == total
    assert path.stat().st_mtime_ns == saved_at  # nothing rewritten


async def test_interrupted_index_build_resumes(embedded: Library, samples: list[Path]) -> None:
    total = await ingested(embedded, samples)
    embedder = HashingEmbedder()
    path = store_path(embedded.sessions, vector_key(embedder))
    async with embedded.sessions() as session:
        stored = (await session.execute(select(models.Embedding.passage_id, models.Embedding.vector))).all()
    vectors = {pid: np.frombuffer(blob, dtype=np.float32) for pid, blob in stored}
    wanted = np.array(sorted(vectors))
    reads = 0

    async def read(ids: np.ndarray) -> np.ndarray:
        nonlocal reads
        reads += 1
        if reads == 3:
            raise KeyboardInterrupt  # the operator stopped the process during the third batch
        return np.stack([vectors[int(i)] for i in ids])

    with pytest.raises(KeyboardInterrupt):
        await sync_store(VectorStore.open(embedder.dim, path), wanted, read, batch=20, save_every=20)
    assert len(VectorStore.open(embedder.dim, path)) == 40  # two batches were saved

    search = SearchService(embedded.sessions, embedder)
    assert await hits_of(search)
    assert search._store is not None and search._store.added == total - 40 and len(search._store) == total


async def test_large_scope_is_searched_through_the_graph(
    embedded: Library, samples: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    await ingested(embedded, samples)
    exact = await hits_of(SearchService(embedded.sessions, HashingEmbedder()))
    # Every scope is now "large": 5 passages from the graph and 5 from BM25, with their turns; a sample.
    for name, value in (("EXACT_BELOW", 10), ("DENSE_POOL", 5), ("LEXICAL_POOL", 5), ("SAMPLE", 20)):
        monkeypatch.setattr(ann, name, value)
    search = SearchService(embedded.sessions, HashingEmbedder())
    memory = await search.memory()
    candidates = memory.candidates(QUESTION, await search.query_vector(QUESTION), await search.scope_for(), "hybrid")
    assert candidates.scope is not None and len(candidates) < len(memory.index)
    assert (await hits_of(search))[0] == exact[0]
    guild = await search.scope_for(guild_ids=frozenset({42}))  # a library nobody uploaded to
    assert (await search.search(QUESTION, guild, 5)).hits == []


async def test_removed_interview_never_comes_back(embedded: Library, samples: list[Path]) -> None:
    await ingested(embedded, samples)
    search = SearchService(embedded.sessions, HashingEmbedder())
    embedded.on_change.append(search.invalidate)
    first = (await search.search(QUESTION, await search.scope_for(), 5)).hits[0]
    store = search._store
    assert store is not None
    added, stored = store.added, len(store)
    await embedded.remove(first.interview_id)
    after = (await search.search(first.text, await search.scope_for(), 5, method="lexical")).hits
    assert after and all(hit.interview_id != first.interview_id for hit in after)
    assert store.added == added and len(store) < stored  # nothing re-added; the removed passages' vectors retired


def unit_vectors(n: int, dim: int = 32) -> np.ndarray:
    vectors = np.random.default_rng(7).standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_vectors_read_back_after_a_restart_and_a_short_file_is_rebuilt(tmp_path: Path) -> None:
    vectors, path = unit_vectors(300), tmp_path / "v.faiss"
    store = VectorStore(32, path)
    store.add(np.arange(1, 301), vectors)
    store.save()
    again = VectorStore.open(32, path)
    assert len(again) == 300 and again.added == 0
    # the float16 rows score exactly enough for ranking; the graph finds a vector from its 8-bit codes
    np.testing.assert_allclose(again.vectors(again.slots_of(np.array([5, 17]))), vectors[[4, 16]], atol=1e-3)
    slots, _ = again.search(vectors[9], 5)
    assert again.ids[slots[0]] == 10
    # the vectors' file lost its tail (a disk that filled up): the store starts again instead of misreading
    [rows] = tmp_path.glob("v.faiss.*.f16")
    with rows.open("r+b") as file:
        file.truncate(rows.stat().st_size // 2)
    assert len(VectorStore.open(32, path)) == 0


async def test_mostly_dead_index_is_rebuilt_and_saved(tmp_path: Path) -> None:
    vectors, path = unit_vectors(2400), tmp_path / "v.faiss"
    ids = np.arange(1, 2401)

    async def read(wanted: np.ndarray) -> np.ndarray:
        return vectors[wanted - 1]

    store = VectorStore.open(32, path)
    await sync_store(store, ids, read)
    await sync_store(store, ids[:800], read)  # two thirds of the passages left the library
    assert len(store.alive) == len(store) == 800  # a new graph of the live vectors only
    again = VectorStore.open(32, path)
    assert len(again) == 800 and len(again.alive) == 800
    np.testing.assert_allclose(again.vectors(again.slots_of(ids[[0, 799]])), vectors[[0, 799]], atol=1e-3)
    assert again.ids[again.search(vectors[700], 1)[0][0]] == 701


def test_two_processes_adding_to_one_saved_index_never_mix_their_vectors(tmp_path: Path) -> None:
    vectors, path = unit_vectors(300), tmp_path / "v.faiss"
    first = VectorStore(32, path)
    first.add(np.arange(1, 101), vectors[:100])
    first.save()
    bot, cli = VectorStore.open(32, path), VectorStore.open(32, path)  # two processes serving one library
    bot.add(np.arange(101, 201), vectors[100:200])
    bot.save()
    cli.add(np.arange(201, 301), vectors[200:])  # into its slots 100-199, which the bot filled with others
    cli.save()
    for store, ids in ((bot, np.arange(1, 201)), (cli, np.r_[1:101, 201:301])):
        np.testing.assert_allclose(store.vectors(store.slots_of(ids)), vectors[ids - 1], atol=1e-3)
    latest = VectorStore.open(32, path)  # the last save wins, whole: its graph, its ids and its vectors
    assert sorted(latest.ids[latest.alive]) == list(np.r_[1:101, 201:301])
    np.testing.assert_allclose(latest.vectors(latest.slots_of(np.array([250]))), vectors[[249]], atol=1e-3)
    assert len(list(tmp_path.glob("v.faiss.*.f16"))) == 1  # the replaced vectors' files are gone


def test_restart_waits_for_another_process_to_finish_saving(tmp_path: Path) -> None:
    vectors, path = unit_vectors(100), tmp_path / "v.faiss"
    store = VectorStore(32, path)
    store.add(np.arange(1, 101), vectors)
    store.save()
    with ThreadPoolExecutor(1) as pool, ann._locked(path, fcntl.LOCK_EX):  # another process is mid-save
        opening = pool.submit(VectorStore.open, 32, path)
        time.sleep(0.3)
        assert not opening.done()  # it would read a graph without its ids or vectors
    assert len(opening.result(timeout=30)) == 100


def test_save_after_another_process_replaced_the_vectors_keeps_its_own(tmp_path: Path) -> None:
    vectors, path = unit_vectors(200), tmp_path / "v.faiss"
    first = VectorStore(32, path)
    first.add(np.arange(1, 101), vectors[:100])
    first.save()
    bot, cli = VectorStore.open(32, path), VectorStore.open(32, path)
    cli.add(np.arange(101, 201), vectors[100:])
    cli.save()  # removes the vectors' file the bot opened
    bot.retire(np.arange(1, 51))  # the bot adds nothing, but saves its graph and ids
    bot.save()
    again = VectorStore.open(32, path)  # the bot's save, whole: not a graph whose vectors are gone
    assert len(again) == 50 and len(again.alive) == 100
    np.testing.assert_allclose(again.vectors(again.slots_of(np.array([7]))), vectors[[6]], atol=1e-3)
    assert len(list(tmp_path.glob("v.faiss.*.f16"))) == 1
