"""Shared fixtures: real SQLite files in a temporary folder, the library service, embedders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import PROJECT_ROOT
from bot.library.database import create_engine, sessionmaker, upgrade_database
from bot.library.service import Library
from bot.search.embedder import Embedder, load_embedder

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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite file for each test."""
    return f"sqlite+aiosqlite:///{tmp_path / 'colloquy.db'}"


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
