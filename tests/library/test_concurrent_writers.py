"""Writers side by side: real `colloquy` processes at once on one database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import PROJECT_ROOT
from bot.library import models
from bot.library.service import Library
from bot.search.embedder import HashingEmbedder
from bot.search.indexer import vector_key
from bot.search.pgvector import vector_index_name

BACKLOG = 1000  # turns pending before the processes start: long enough for their embedding runs to overlap
TOPICS = ("tides", "harbours", "boats", "fishing", "storms", "lighthouses", "ropes", "nets", "gulls", "charts")


def dialogue(name: str, turns: int) -> bytes:
    """A two-person dialogue of `turns` turns, each a few sentences long (about one passage per turn)."""
    lines = []
    for i in range(turns):
        topic = TOPICS[i % len(TOPICS)]
        who = "Ann Lee" if i % 2 else "Bo Chen"
        lines.append(
            f"{who}: In {name} part {i} we talk about {topic} and how {topic} shaped the town over the years. "
            f"Nobody who grew up near the {topic} forgets the first winter of {i}."
        )
    return ("\n".join(lines) + "\n").encode()


def start(db_url: str, *commands: list[str]) -> list[subprocess.Popen[str]]:
    """Start every command as its own `colloquy` process."""
    env = {**os.environ, "COLLOQUY_DATABASE_URL": db_url, "COLLOQUY_EMBEDDING_MODEL": "hashing",
           "COLLOQUY_LOG_LEVEL": "WARNING"}  # fmt: skip
    return [
        subprocess.Popen(
            [sys.executable, "-m", "bot", *command],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]


def finish(processes: list[subprocess.Popen[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Wait for every process; their exit codes and output."""
    done = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


async def run_at_once(db_url: str, engine: AsyncEngine, *commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Run the commands as `colloquy` processes released at the same moment; wait for all of them.

    On PostgreSQL every process is held at its start-up schema check (the test locks `alembic_version`) until all
    of them are there, so what follows runs truly side by side however long each took to start. (SQLite readers
    cannot be held that way: there the processes start as the operating system schedules them.)
    """
    if engine.dialect.name != "postgresql":
        return await asyncio.to_thread(finish, start(db_url, *commands))
    async with engine.connect() as gate:
        await gate.execute(text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))
        processes = start(db_url, *commands)
        for _ in range(1200):
            async with engine.connect() as watcher:  # a fresh transaction: pg_stat_activity is a snapshot per one
                held = await watcher.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                )
            if held >= len(processes) or any(p.poll() is not None for p in processes):
                break
            await asyncio.sleep(0.1)
        await gate.commit()
    return await asyncio.to_thread(finish, processes)


def clean(result: subprocess.CompletedProcess[str]) -> None:
    """The process succeeded and printed no traceback or database error."""
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output and "IntegrityError" not in output and "UniqueViolation" not in output, output


async def stored_vectors(sessions: async_sessionmaker[AsyncSession], n: int, key: str, dim: int) -> None:
    """One interview of n one-word passages with random vectors, made by the PostgreSQL server itself (fast)."""
    async with sessions.begin() as session:
        interview = models.Interview(
            source_key="synthetic", content_hash="synthetic", format="synthetic", languages=["en"],
            participants={"Ann": n}, warnings=[], ingested_at=datetime.now(UTC),
        )  # fmt: skip
        session.add(interview)
        await session.flush()
        params = {"interview": interview.id, "n": n, "key": key, "dim": dim}
        await session.execute(
            text(
                "INSERT INTO passages (id, interview_id, turn_idx, position, speaker, lang, text, lexical) "
                "SELECT i, :interview, i, 0, 'Ann', 'en', 'tides', 'tides' FROM generate_series(1, :n) AS i"
            ),
            params,
        )
        await session.execute(
            text(
                "INSERT INTO embeddings (passage_id, model, vector) SELECT i, :key, "
                "(SELECT array_agg(random() - 0.5)::real[] FROM generate_series(1, :dim) WHERE i > 0)::vector "
                "FROM generate_series(1, :n) AS i"
            ),
            params,
        )


async def count(sessions: async_sessionmaker[AsyncSession], table: type[models.Base]) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def test_two_ingests_and_a_search_at_once_all_finish_and_every_passage_is_embedded_once(
    db_url: str, library: Library, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    # A backlog every process finds pending, as after `ingest --no-embed` or an interrupted run.
    assert not (await library.ingest(dialogue("backlog", BACKLOG), "backlog.txt")).failed
    for name in ("harbour", "lighthouse"):
        (tmp_path / f"{name}.txt").write_bytes(dialogue(name, 40))
    first, second, search = await run_at_once(
        db_url,
        sessions.kw["bind"],
        ["ingest", str(tmp_path / "harbour.txt")],
        ["ingest", str(tmp_path / "lighthouse.txt")],
        ["search", "the first winter of storms", "--json"],
    )
    for result in (first, second, search):
        clean(result)
    for result in (first, second):
        assert result.stdout.strip().splitlines()[-1] == "1 ingested (0 replaced), 0 skipped as unchanged, 0 failed"
    assert '"hits"' in search.stdout
    assert await count(sessions, models.Interview) == 3
    assert await count(sessions, models.Embedding) == await count(sessions, models.Passage)


async def test_the_same_file_ingested_twice_at_once_is_stored_once(
    db_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    (tmp_path / "same.txt").write_bytes(dialogue("same", BACKLOG))
    results = await run_at_once(
        db_url, sessions.kw["bind"], *[["ingest", str(tmp_path / "same.txt"), "--no-embed"]] * 3
    )
    for result in results:
        clean(result)
    lines = sorted(r.stdout.strip().splitlines()[-1] for r in results)
    assert lines == [
        "0 ingested (0 replaced), 1 skipped as unchanged, 0 failed",
        "0 ingested (0 replaced), 1 skipped as unchanged, 0 failed",
        "1 ingested (0 replaced), 0 skipped as unchanged, 0 failed",
    ]
    assert await count(sessions, models.Interview) == 1


async def test_two_first_searches_at_once_build_the_vector_index_once(
    db_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the HNSW vector index exists on PostgreSQL only")
    embedder = HashingEmbedder()
    key = vector_key(embedder)
    await stored_vectors(sessions, 10_000, key, embedder.dim)  # an index build long enough for the two to meet
    first, second = await run_at_once(
        db_url, sessions.kw["bind"], ["search", "tides and harbours"], ["search", "boats in a storm"]
    )
    clean(first)
    clean(second)
    async with sessions() as session:
        assert await session.scalar(text("SELECT to_regclass(:name)"), {"name": vector_index_name(key)})
