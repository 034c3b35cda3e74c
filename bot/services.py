"""Open and close everything Colloquy needs, once, for the CLI and the bot alike."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.ingest import load_aliases
from bot.library.database import create_engine, sessionmaker, upgrade_database
from bot.library.service import Library
from bot.settings import Settings


@dataclass
class Services:
    """The services the commands borrow. `open_services` creates them and closes them."""

    settings: Settings
    library: Library


def configure_logging(level: str) -> None:
    """One line per event on stderr, with time, level and module."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", force=True)
    for noisy in ("sentence_transformers", "transformers", "httpx", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    """Open the database (upgrading its schema) and build the services; dispose of the engine on exit."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
        aliases = load_aliases(settings.speakers_file) if settings.speakers_file.exists() else None
        library = Library(sessionmaker(engine), aliases=aliases, max_bytes=settings.max_file_bytes)
        yield Services(settings=settings, library=library)
    finally:
        await engine.dispose()
