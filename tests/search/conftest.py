"""Search fixtures: the alias table and the bundled samples (the real model is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.ingest import load_aliases


@pytest.fixture(scope="session")
def aliases():  # type: ignore[no-untyped-def]
    return load_aliases(PROJECT_ROOT / "config" / "speakers.toml")


@pytest.fixture
def samples() -> list[Path]:
    return sorted((PROJECT_ROOT / "data" / "samples").iterdir())
