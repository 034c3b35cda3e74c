"""Shared fixtures: real SQLite files in a temporary folder, the library service, embedders."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import PROJECT_ROOT
from bot.library.database import create_engine, sessionmaker, upgrade_database
from bot.library.local_postgres import LocalPostgres, PostgresUnavailable
from bot.library.service import Library
from bot.search.embedder import Embedder, load_embedder
from tests.postgres import PostgresTemplate

# A bilingual caption file like seed 004's (Speaker N, a Chinese line, its English original), for several tests.
BILINGUAL_CAPTIONS = (
    "双语字幕\n\nSpeaker 0\n\n我们今天聊聊城市里的屋顶花园。\n\n"
    "Today we talk about rooftop gardens in the city.\n\n"
    "Speaker 1\n\n屋顶花园能让夏天的楼房凉快很多,还能收集雨水。\n\n"
    "Rooftop gardens keep buildings much cooler in summer, and they collect rainwater.\n\n"
    "Speaker 0\n\n那成本呢?\n\nWhat about the cost?\n\n"
    "Speaker 1\n\n第一年的成本很高,但是十年之后,节省的电费会超过投入。\n\n"
    "The first year is expensive, but after ten years the saved electricity outweighs the investment.\n"
)

# A Whisper text transcript of a radio interview, one segment a line, nobody named: speakers are inferred.
UNLABELLED_RADIO = """\
Welcome to the show. Tonight we talk about bees in the city.
How many beehives are there on the roofs of this city today?
About four hundred.
Ten years ago there were perhaps thirty, so the growth has been enormous.
Is that good news for the bees?
Not always.
Honey bees compete with the wild bees for the same flowers, and the city has fewer flowers than people think.
What should a building owner plant instead of putting up a beehive?
Plant lavender, thyme and clover, and leave a corner of the roof unmown.
A roof full of flowers feeds wild bees, and wild bees do most of the pollination in our parks.
Do the wild bees need anything else?
Bare soil and dead stems, because most wild bees nest in the ground or inside hollow plants.
Thank you for coming in tonight.
"""

SHARED = PROJECT_ROOT.parent / "shared"


def shared_or_skip(*parts: str) -> Path:
    """A path under ../shared, or skip the test where that folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared folder sits beside the repository on development machines)")
    return path


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """multilingual-e5-small + USE, offline (converted into .cache/models on first use); loaded once per session."""
    return load_embedder("e5-small+use", PROJECT_ROOT / ".cache" / "models")


# Tests of storage, search, digest and topic summaries run on SQLite and again on PostgreSQL (pgvector): `db_url`
# is parametrized for them (see pytest_generate_tests). The server is COLLOQUY_TEST_POSTGRES_URL (a superuser URL of
# an existing server with pgvector) or, by default, a throwaway one this session starts from the `postgres-test`
# extra.
ON_POSTGRES_TOO = (
    "tests/test_library.py",
    "tests/search/",
    "tests/digest/",
    "tests/library/",
    "tests/summarize/test_topics.py",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the storage/search/digest tests that use `db_url` once per database backend."""
    if "db_url" in metafunc.fixturenames:
        path = metafunc.definition.path.relative_to(PROJECT_ROOT).as_posix()
        both = any(path == p or path.startswith(p) for p in ON_POSTGRES_TOO)
        metafunc.parametrize("db_url", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate]:
    """One PostgreSQL server for the session, with a template database already at the latest schema."""
    server = None
    url = os.environ.get("COLLOQUY_TEST_POSTGRES_URL", "")
    if not url:
        try:
            server = LocalPostgres().start()
        except PostgresUnavailable as exc:
            pytest.skip(f"no PostgreSQL server with pgvector: {exc}; or set COLLOQUY_TEST_POSTGRES_URL")
        url = server.url
    template = PostgresTemplate(url)
    try:
        asyncio.run(template.create())
        yield template
        asyncio.run(template.drop())
    finally:
        if server is not None:
            server.stop()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for each test: a SQLite file, or a PostgreSQL database copied from the migrated template."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'colloquy.db'}"
        return
    template: PostgresTemplate = request.getfixturevalue("postgres_template")
    url = asyncio.run(template.copy())
    yield url
    asyncio.run(template.drop_copy(url))


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an upgraded database; the engine is disposed after the test."""
    engine = create_engine(db_url)
    await upgrade_database(engine)
    yield sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def library(sessions: async_sessionmaker[AsyncSession]) -> Library:
    """The library service on the test database."""
    return Library(sessions, max_bytes=1_000_000)
