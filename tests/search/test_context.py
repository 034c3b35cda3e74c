"""Context vectors (bot/search/context.py): every embedded passage's window and turn sums are stored when it is
embedded, stay right when an interview is replaced, are filled when missing, and give a search's candidates the
same window and turn scores as the whole turns do, on both backends."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import event, select, text, update

from bot.library import models
from bot.library.service import Library
from bot.search import ann, pgvector
from bot.search.context import context_sums, fill_missing_contexts
from bot.search.embedder import CombinedEmbedder, HashingEmbedder
from bot.search.index import Scope, dense_scores, load_index
from bot.search.indexer import embed_pending, vector_key
from bot.search.pgvector import PostgresCandidates
from bot.search.service import SearchService

QUESTION = "How much cooler are the top-floor flats under a planted roof?"


async def ingested(library: Library, samples: list[Path]) -> None:
    for path in samples:
        assert not (await library.ingest(path.read_bytes(), path.name)).failed
    await embed_pending(library.sessions, HashingEmbedder())


@contextlib.contextmanager
def statements_sent(library: Library) -> Iterator[list[tuple[str, object]]]:
    """Every (statement, parameters) the library's engine sends inside the block, in order."""
    engine = library.sessions.kw["bind"].sync_engine
    sent: list[tuple[str, object]] = []

    def keep(conn: object, cursor: object, statement: str, params: object, *rest: object) -> None:
        sent.append((statement, params))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", keep)


async def stored_and_expected(library: Library) -> tuple[np.ndarray, np.ndarray]:
    """The stored (window, turn) sums of every embedded passage, and the sums its turn's vectors give now."""
    key = vector_key(HashingEmbedder())
    async with library.sessions() as session:
        rows = (
            await session.execute(
                select(
                    models.Passage.interview_id,
                    models.Passage.turn_idx,
                    models.Embedding.vector,
                    models.Embedding.window_vector,
                    models.Embedding.turn_vector,
                )
                .join(models.Embedding, models.Embedding.passage_id == models.Passage.id)
                .where(models.Embedding.model == key)
                .order_by(models.Passage.interview_id, models.Passage.turn_idx, models.Passage.position)
            )
        ).all()
    assert rows and all(row.window_vector is not None and row.turn_vector is not None for row in rows)
    vectors = np.stack([np.frombuffer(row.vector, dtype=np.float32) for row in rows])
    keys = [(row.interview_id, row.turn_idx) for row in rows]
    turn_of = np.cumsum([i == 0 or keys[i] != keys[i - 1] for i in range(len(rows))]) - 1
    stored = np.stack(
        [np.concatenate([np.frombuffer(r.window_vector, np.float16), np.frombuffer(r.turn_vector, np.float16)])
         for r in rows]
    )  # fmt: skip
    return stored.astype(np.float32), np.hstack(context_sums(vectors, turn_of))


async def test_context_vectors_are_stored_when_embedding_and_redone_when_replaced(
    library: Library, samples: list[Path], tmp_path: Path
) -> None:
    await ingested(library, samples)
    stored, expected = await stored_and_expected(library)
    np.testing.assert_allclose(stored, expected, atol=2e-3)
    # A changed file replaces its interview: a turn loses its first sentence, another turn gains one.
    source = next(path for path in samples if path.name == "founder-interview.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    changed = tmp_path / source.name
    speech = [i for i, line in enumerate(lines) if ":" in line and len(line) > 80]
    speaker, words = lines[speech[0]].split(": ", 1)
    lines[speech[0]] = f"{speaker}: {words.split('. ', 1)[-1]}"
    lines[speech[1]] += " And the second half of that story is about rent."
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (await library.ingest(changed.read_bytes(), source.name)).status == "replaced"
    await embed_pending(library.sessions, HashingEmbedder())
    stored, expected = await stored_and_expected(library)
    np.testing.assert_allclose(stored, expected, atol=2e-3)


async def test_missing_context_vectors_are_filled(library: Library, samples: list[Path]) -> None:
    await ingested(library, samples)
    async with library.sessions.begin() as session:  # as after migration 0008, or a bulk copy of vectors
        await session.execute(update(models.Embedding).values(window_vector=None, turn_vector=None))
    assert await fill_missing_contexts(library.sessions) > 0
    stored, expected = await stored_and_expected(library)
    np.testing.assert_allclose(stored, expected, atol=2e-3)
    assert await fill_missing_contexts(library.sessions) == 0


async def test_candidates_score_windows_and_turns_as_whole_turns_do(
    library: Library, samples: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search's candidates come without their whole turns (PostgreSQL scores them from their stored sums, in
    the statement that reads them, and sends no vectors; in process the sums come from the store): their window
    and turn cosines, and the similarity of adjacent rows, are those of the whole library's index."""
    await ingested(library, samples)
    # Every scope is "large" and the pools small: candidates, not the whole scope.
    for module, name, value in ((ann, "EXACT_BELOW", 10), (ann, "DENSE_POOL", 5), (ann, "LEXICAL_POOL", 5),
                                (pgvector, "DENSE_POOL", 5), (pgvector, "LEXICAL_POOL", 5),
                                (pgvector, "WHOLE_POOL", 5)):  # fmt: skip
        monkeypatch.setattr(module, name, value)
    embedder = HashingEmbedder()
    search = SearchService(library.sessions, embedder)
    vector = await search.query_vector(QUESTION)
    whole = await load_index(library.sessions, vector_key(embedder), embedder.dim)
    expected = dense_scores(whole, vector)
    if isinstance(search.candidates, PostgresCandidates):
        candidates = await search.candidates.index_for(QUESTION, vector, Scope(), "hybrid")
    else:
        candidates = (await search.memory()).candidates(QUESTION, vector, Scope(), "hybrid")
    on_server = isinstance(search.candidates, PostgresCandidates)
    assert (candidates.scored if on_server else candidates.context) is not None and 0 < len(candidates) < len(whole)
    got = dense_scores(candidates, vector)
    rows = np.searchsorted(whole.ids, candidates.ids)
    assert (whole.ids[rows] == candidates.ids).all()
    for kind in ("passage", "window", "turn"):
        np.testing.assert_allclose(getattr(got, kind), getattr(expected, kind)[:, rows], atol=3e-3)
    pairs = np.flatnonzero(candidates.interview_ids[:-1] == candidates.interview_ids[1:])  # as `_repeats` reads
    assert len(pairs) > 0
    adjacent = [candidates.adjacent_similarity(i, i + 1) for i in pairs]
    expected_adjacent = np.sum(whole.vectors[rows[pairs]] * whole.vectors[rows[pairs + 1]], axis=1)
    np.testing.assert_allclose(adjacent, expected_adjacent, atol=3e-3)
    if on_server:  # rows of every part of the interviews (`CANDIDATE_PARTS` statements at once) came back
        assert set(candidates.interview_ids % pgvector.CANDIDATE_PARTS) == set(range(pgvector.CANDIDATE_PARTS))
        with pytest.raises(ValueError, match="another question"):
            dense_scores(candidates, await search.query_vector("something else entirely"))


async def test_postgres_reads_a_sample_of_pages_for_the_lexical_statistics_of_a_large_library(
    library: Library, samples: list[Path], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above LEXICAL_SAMPLE passages the BM25 statistics come from whole pages of the table (TABLESAMPLE, the same
    pages every time), not a hash of every id; searches still find the passage that shares the question's words."""
    if db_url.startswith("sqlite"):
        pytest.skip("the in-process index counts every passage")
    await ingested(library, samples)
    monkeypatch.setattr(pgvector, "LEXICAL_SAMPLE", 40)  # of 59 passages: most of their pages, not all
    search = SearchService(library.sessions, HashingEmbedder())
    assert isinstance(search.candidates, PostgresCandidates)
    stats = await search.candidates.lexical_stats()
    assert not stats.exact and 0 < stats.sample_size < stats.n_docs and stats.avg_length > 0
    search.candidates._lexical = None  # read again: the same pages
    assert (await search.candidates.lexical_stats()).sample_df == stats.sample_df
    # The server counts the sample's terms (`ts_stat`): over the whole library, exactly what Python counts.
    monkeypatch.setattr(pgvector, "LEXICAL_SAMPLE", 10_000)
    search.candidates._lexical = None
    whole = await search.candidates.lexical_stats()
    async with library.sessions() as session:
        docs = [doc.split() for doc in await session.scalars(select(models.Passage.lexical))]
    assert whole.exact and whole.sample_df == Counter(term for doc in docs for term in set(doc))
    assert whole.avg_length == pytest.approx(sum(map(len, docs)) / len(docs))
    result = await search.search("sand bar trawler", await search.scope_for(), 3, method="lexical")
    assert result.hits and "sand bar" in result.hits[0].text


async def test_postgres_reads_a_scopes_sample_of_turns_through_its_index(
    library: Library, samples: list[Path], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample of whole turns behind a scope's statistics is a range of an index (migration 0009), not a hash
    computed over every passage of the scope: the planner can use the index for the statement scope_stats sends."""
    if db_url.startswith("sqlite"):
        pytest.skip("the in-process index samples in memory")
    await ingested(library, samples)
    monkeypatch.setattr(pgvector, "RANKED_WHOLE", 10)  # a "large" scope of 59 passages: a sample, not all of it
    monkeypatch.setattr(pgvector, "SAMPLE", 5)
    search = SearchService(library.sessions, HashingEmbedder())
    assert isinstance(search.candidates, PostgresCandidates)
    with statements_sent(library) as all_sent:
        stats = await search.candidates.scope_stats(await search.scope_for())
    sent = [(statement, params) for statement, params in all_sent if "4294967296" in statement]
    assert stats.sample is not None and 0 < len(stats.sample) < stats.passages and len(sent) == 1
    statement, params = sent[0]
    async with library.sessions() as session:
        raw = (await (await session.connection()).get_raw_connection()).driver_connection
        # a table this small is scanned, or reached through its join, otherwise
        await raw.execute("SET enable_seqscan = off; SET enable_nestloop = off; SET enable_mergejoin = off")
        plan = "\n".join(row[0] for row in await raw.fetch("EXPLAIN " + statement, *params))
    assert "ix_passages_turn_sample" in plan


async def test_warming_up_on_postgres_reads_no_vectors(library: Library, samples: list[Path], db_url: str) -> None:
    """The bot warms search up before it connects. In process that loads the index; on PostgreSQL, where every
    search asks the server, it must not read the library's vectors (at 1M passages that ran past the statement
    timeout and the bot never started), only the statistics a first question needs. Searches work either way."""
    await ingested(library, samples)
    search = SearchService(library.sessions, HashingEmbedder())
    with statements_sent(library) as sent:
        await search.warm()
    if db_url.startswith("sqlite"):
        assert search._memory is not None  # the in-process index, loaded
    else:
        assert sent and not any("embeddings" in statement for statement, _ in sent) and search._index is None
    result = await search.search("sand bar trawler", await search.scope_for(), 3)
    assert result.hits and "sand bar" in result.hits[0].text


async def test_the_graph_is_in_the_servers_memory_after_its_build_and_after_warming_up(
    library: Library, samples: list[Path], db_url: str
) -> None:
    """PostgreSQL answers from its shared buffers or reads each of the graph's pages from the OS: after CREATE
    INDEX (written through a small ring of buffers) and after a server restart few or none are there, and at 1M
    passages the searches took three times as long until they were. The search that builds the graph, and a bot
    warming up before it connects, load it (`pg_prewarm`); searches answer as before."""
    if db_url.startswith("sqlite"):
        pytest.skip("the in-process index holds its graph in the process")
    await ingested(library, samples)
    search = SearchService(library.sessions, HashingEmbedder())
    assert isinstance(search.candidates, PostgresCandidates)
    name = pgvector.vector_index_name(search.candidates.key)
    cached = text(
        "SELECT count(*) FROM pg_buffercache WHERE relfilenode = pg_relation_filenode(to_regclass(:name)) "
        "AND reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    blocks = text("SELECT pg_relation_size(to_regclass(:name)) / current_setting('block_size')::int")
    result = await search.search("sand bar trawler", await search.scope_for(), 3)  # builds the graph
    assert result.hits and "sand bar" in result.hits[0].text
    async with library.sessions() as session:
        await session.execute(text("CREATE EXTENSION IF NOT EXISTS pg_buffercache"))
        size = await session.scalar(blocks, {"name": name})
        assert size > 0 and await session.scalar(cached, {"name": name}) == size
        await session.execute(text("SELECT pg_buffercache_evict_relation(to_regclass(:name))"), {"name": name})
        assert await session.scalar(cached, {"name": name}) == 0  # as after a restart of the server
        await session.commit()
    restarted = SearchService(library.sessions, HashingEmbedder())
    await restarted.warm()
    async with library.sessions() as session:
        assert await session.scalar(cached, {"name": name}) == size
    result = await restarted.search("sand bar trawler", await restarted.scope_for(), 3)
    assert result.hits and "sand bar" in result.hits[0].text


async def test_the_graphs_settings_go_once_to_each_connection_not_before_every_search(
    library: Library, samples: list[Path], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a large scope's nearest passages come through the HNSW graph, whose candidate list is a
    setting: sent before every search it cost a round trip each; a pooled connection keeps it. Every search
    still finds the same quote."""
    if db_url.startswith("sqlite"):
        pytest.skip("the graph's settings are PostgreSQL's")
    await ingested(library, samples)
    for name, value in (("RANKED_WHOLE", 10), ("SAMPLE", 4), ("EXACT_BELOW", 0)):
        monkeypatch.setattr(pgvector, name, value)  # a "large" scope, searched through the graph
    search = SearchService(library.sessions, HashingEmbedder())
    scope = await search.scope_for()
    with statements_sent(library) as sent:
        found = [await search.search("sand bar trawler", scope, 3) for _ in range(8)]
    assert all(result.hits and "sand bar" in result.hits[0].text for result in found)
    assert len({tuple(hit.passage_id for hit in result.hits) for result in found}) == 1
    settings = sum("hnsw.ef_search" in statement for statement, _ in sent)
    pool = library.sessions.kw["bind"].pool
    assert 1 <= settings <= pool.size() < len(found)  # at most once per pooled connection


def held_until(gate: asyncio.Event, read: Callable[..., Awaitable[object]]) -> Callable[..., Awaitable[object]]:
    """`read`, made to wait for `gate` first."""

    async def held(*args: object) -> object:
        await gate.wait()
        return await read(*args)

    return held


async def test_postgres_statistics_past_their_age_are_read_again_behind_searches_not_inside_them(
    library: Library, samples: list[Path], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process may change the library, so statistics older than STATS_TTL are read again; a search that
    finds them old is answered at once from them, the speakers' asking rates included (it waited for the re-read:
    0.5-0.7 s every five minutes at 100k-1M passages, and read its interviews' asking rates again), and searches
    after the re-read see the other process's interview."""
    if db_url.startswith("sqlite"):
        pytest.skip("the in-process index is reloaded when this process changes the library")
    harbour = next(path for path in samples if path.name == "harbour-tides.vtt")
    await ingested(library, [path for path in samples if path != harbour])
    search = SearchService(library.sessions, HashingEmbedder())
    candidates = search.candidates
    assert isinstance(candidates, PostgresCandidates)
    scope = await search.scope_for()
    await search.search("sand bar trawler", scope, 3)  # reads every statistic
    before = await candidates.scope_stats(scope)
    await ingested(library, [harbour])  # as another process would: this search service is not told
    monkeypatch.setattr(pgvector, "STATS_TTL", 0.0)  # every statistic is now old
    gate = asyncio.Event()  # the re-reads wait for it, so a search that waited for them would never finish
    for name in ("_read_speakers", "_read_lexical", "_read_scope", "_read_all_asking"):
        monkeypatch.setattr(candidates, name, held_until(gate, getattr(candidates, name)))
    with statements_sent(library) as sent:
        result = await asyncio.wait_for(search.search("sand bar trawler", scope, 3), timeout=30)
    assert not any("GROUP BY turns.interview_id, turns.speaker" in statement for statement, _ in sent)
    assert not any("sand bar" in hit.text for hit in result.hits)  # the old statistics: the harbour is unknown
    assert await candidates.scope_stats(scope) is before and "Owen Hart" not in await search.speakers()
    gate.set()
    await asyncio.gather(*candidates._refreshing.values())
    monkeypatch.setattr(pgvector, "STATS_TTL", 300.0)
    assert (await candidates.scope_stats(scope)).passages > before.passages and "Owen Hart" in await search.speakers()
    result = await search.search("sand bar trawler", scope, 3)
    assert result.hits and "sand bar" in result.hits[0].text


GREENHOUSE = (
    "".join(
        f"Ada Lovelace: {line}\nCy Young: Go on.\n"
        for line in (
            "The greenhouse roof collects rain water for the garden beds all year.",
            "Rain water from the greenhouse roof fills our two tanks every spring.",
            "We clean the greenhouse roof gutters so the rain water stays clear.",
            "A greenhouse roof of glass sheds rain water faster than a roof of plastic.",
            "Under the greenhouse roof the rain sounds like a drum, and the water runs to the beds.",
            "The greenhouse roof slopes south, so rain water reaches the first tank before the second.",
        )
    )
    + "Grace Hopper: I once fixed a leak up there after a night of heavy rain, on a ladder with a torch.\n"
)


async def test_a_named_speaker_brings_candidates_of_their_own(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranking lifts the passages of a speaker the question names; in a scope ranked through candidates that
    speaker's best passages must be candidates, or a library where others say the same words more often never
    shows them (a question naming Suleyman over nine interviews found other people's passages first)."""
    assert not (await library.ingest(GREENHOUSE.encode(), "greenhouse.txt")).failed
    await embed_pending(library.sessions, HashingEmbedder())
    for module, name, value in ((ann, "EXACT_BELOW", 2), (ann, "DENSE_POOL", 2), (ann, "LEXICAL_POOL", 2),
                                (pgvector, "RANKED_WHOLE", 2), (pgvector, "SAMPLE", 4),
                                (pgvector, "DENSE_POOL", 2), (pgvector, "LEXICAL_POOL", 2)):  # fmt: skip
        monkeypatch.setattr(module, name, value)  # every scope "large", pools of two: Ada's passages fill them
    search = SearchService(library.sessions, HashingEmbedder())
    scope = await search.scope_for()
    named = await search.search("What did Grace Hopper say about rain on the greenhouse roof?", scope, 3)
    assert named.hits[0].speaker == "Grace Hopper" and "leak" in named.hits[0].text
    unnamed = await search.search("What was said about rain on the greenhouse roof?", scope, 3)
    assert "Grace Hopper" not in {hit.speaker for hit in unnamed.hits}  # only the name brought her passage in


async def test_a_speaker_only_inference_named_lifts_none_of_their_passages(library: Library) -> None:
    """A file without usable labels gets its speakers from the text (a diarized podcast's guest is named when the
    host welcomes them), and its answers may sit in the other speaker's turns: a question naming such a speaker
    reads the name as a word and lifts nothing, or the misattributed answer sinks under the named speaker's
    other words (corpus 05 lost 0.05 of MRR@10 when its guest was named)."""
    assert not (await library.ingest(GREENHOUSE.encode(), "greenhouse.txt")).failed
    await embed_pending(library.sessions, HashingEmbedder())
    question = "What did Grace Hopper say about rain on the greenhouse roof?"
    search = SearchService(library.sessions, HashingEmbedder())
    assert (await search.search(question, await search.scope_for(), 1)).hits[0].speaker == "Grace Hopper"
    async with library.sessions() as session, session.begin():  # as ingest marks a file that named nobody
        await session.execute(update(models.Turn).values(speaker_inferred=True))
    found = await search.search(question, await search.scope_for(), 1)
    assert found.hits[0].speaker == "Ada Lovelace"
    # a search limited to her (the speaker filter) still finds her words
    assert (await search.search(question, await search.scope_for(speaker="Grace Hopper"), 1)).hits[0].speaker == (
        "Grace Hopper"
    )


@pytest.mark.parametrize("opening", ["Tell us about the greenhouse.", "What about rain on the greenhouse roof?"])
async def test_a_speaker_only_inference_named_lifts_the_interviews_they_speak_in(
    library: Library, monkeypatch: pytest.MonkeyPatch, opening: str
) -> None:
    """A name that only inference gave (a title's "Grace Hopper – …", a host's welcome) cannot say which of a
    file's turns are that person's, but it does say which interview they speak in: a question naming them is
    answered from there first, not from another interview that says its words more often ("黄仁勋怎么看英伟达在
    中国的市场份额？" was answered from 叶国富's interview about Chinese supermarkets, Jensen Huang's answer fifth).
    A host's question there that says the search's words still speaks for its reply, as anyone's does."""
    garden, grace = GREENHOUSE.rsplit("Grace Hopper: ", 1)
    workshop = f"Host: {opening}\nGrace Hopper: {grace}Host: And then?\nGrace Hopper: Dry again.\n"
    for name, text_ in (("garden.txt", garden), ("workshop.txt", workshop)):
        assert not (await library.ingest(text_.encode(), name)).failed
    await embed_pending(library.sessions, HashingEmbedder())
    async with library.sessions() as session, session.begin():  # as ingest marks files that named nobody
        await session.execute(update(models.Turn).values(speaker_inferred=True))
    question = "What did Grace Hopper say about rain on the greenhouse roof?"
    for small in (False, True):  # a scope ranked whole, then one ranked through pools of two candidates
        if small:
            for module, name, value in ((ann, "EXACT_BELOW", 2), (ann, "DENSE_POOL", 2), (ann, "LEXICAL_POOL", 2),
                                        (pgvector, "RANKED_WHOLE", 2), (pgvector, "SAMPLE", 4),
                                        (pgvector, "DENSE_POOL", 2), (pgvector, "LEXICAL_POOL", 2)):  # fmt: skip
                monkeypatch.setattr(module, name, value)
        search = SearchService(library.sessions, HashingEmbedder())
        found = await search.search(question, await search.scope_for(), 3)
        assert "leak" in found.hits[0].text and "Host" not in {hit.speaker for hit in found.hits}, small
        if opening.endswith("."):  # nothing hands the garden's words over: only the name lifts the workshop
            unnamed = await search.search("What was said about rain on the greenhouse roof?", await search.scope_for())
            assert "leak" not in unnamed.hits[0].text


class CoarseHashing(HashingEmbedder):
    model_id = "hashing-coarse"


PARITY_QUESTIONS = (
    "How does the remote design company decide salaries?",
    "What did the founder learn from almost running out of money?",
    "What does Owen Hart say about storm surges?",
    "Wie entscheidet die Designfirma über die Gehälter?",
    "同样的工作拿同样的钱",
    "xqzv blorptang 7781 wug",
)


async def test_postgres_ranks_a_small_scope_as_the_in_process_index_does(
    library: Library, samples: list[Path], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the in-process index ranks a scope whole (a server's library, the dev sets'), PostgreSQL ranks
    candidates: they must hold what the whole ranking puts first (each model's nearest passages, a named
    speaker's, every lexical match), and the scope's statistics be exact, so both give the same quotes, scores
    and declines, here from pools far smaller than the scope."""
    if db_url.startswith("sqlite"):
        pytest.skip("compares PostgreSQL's candidates with the in-process index over the same rows")
    embedder = CombinedEmbedder([HashingEmbedder(), CoarseHashing(48)])  # two "models", as e5 and USE
    for path in samples:
        assert not (await library.ingest(path.read_bytes(), path.name)).failed
    await embed_pending(library.sessions, embedder)
    for name in ("DENSE_POOL", "LEXICAL_POOL", "WHOLE_POOL", "PART_POOL"):
        monkeypatch.setattr(pgvector, name, 6)
    on_postgres = SearchService(library.sessions, embedder)
    in_process = SearchService(library.sessions, embedder)
    in_process.candidates = None  # the in-process index, loaded from the same database
    scope = await on_postgres.scope_for()
    for question in PARITY_QUESTIONS:
        for method in ("hybrid", "dense", "lexical"):
            got = await on_postgres.search(question, scope, 3, method=method)
            expected = await in_process.search(question, scope, 3, method=method)
            assert got.declined == expected.declined, (question, method)
            assert [h.passage_ids for h in got.hits] == [h.passage_ids for h in expected.hits], (question, method)
            # the same up to float rounding: the server sums the stored float16 context in its own order
            assert [h.score for h in got.hits] == pytest.approx([h.score for h in expected.hits], rel=5e-4, abs=1e-3)
