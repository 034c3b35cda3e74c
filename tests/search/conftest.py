"""Search fixtures: the real embedding model (loaded once) and libraries built from real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.ingest import load_aliases
from bot.search.embedder import Embedder, load_embedder


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """multilingual-e5-small + USE, offline (converted into .cache/models on first use)."""
    return load_embedder("e5-small+use", PROJECT_ROOT / ".cache" / "models")


@pytest.fixture(scope="session")
def aliases():  # type: ignore[no-untyped-def]
    return load_aliases(PROJECT_ROOT / "config" / "speakers.toml")


@pytest.fixture
def samples() -> list[Path]:
    return sorted((PROJECT_ROOT / "data" / "samples").iterdir())
