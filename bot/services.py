"""Open and close everything Colloquy needs, once, for the CLI and the bot alike."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.ingest import load_aliases
from bot.library.database import create_engine, sessionmaker, upgrade_database
from bot.library.service import Library
from bot.search.context import fill_missing_contexts
from bot.search.embedder import Embedder, load_embedder
from bot.search.indexer import Progress, embed_pending, pending_count, vector_key
from bot.search.service import SearchService
from bot.settings import Settings
from bot.summarize import Summarizer
from bot.summarize.llm import ChatClient

log = logging.getLogger(__name__)


@dataclass
class Services:
    """The services the commands borrow. `open_services` creates them and closes them.

    The embedding model loads on first use, so commands that only read the library start fast.
    """

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    library: Library
    preloaded: Embedder | None = field(default=None, repr=False)  # a model already in memory, lent by the caller
    _search: SearchService | None = field(default=None, repr=False)
    _summaries: Summarizer | None = field(default=None, repr=False)

    async def embedder(self) -> Embedder:
        """The embedding model (loaded once, in a worker thread)."""
        return (await self.search()).embedder

    async def search(self) -> SearchService:
        """The search service, loading the embedding model the first time."""
        if self._search is None:
            embedder = self.preloaded or await asyncio.to_thread(
                load_embedder, self.settings.embedding_model, self.settings.model_dir
            )
            self._search = SearchService(self.sessions, embedder, aliases=self.library.aliases)
            self.library.on_change.append(self._search.invalidate)
        return self._search

    async def summaries(self) -> Summarizer:
        """The summarizer; interview summaries use stored vectors, the model loads on the first topic summary."""
        if self._summaries is None:
            settings = self.settings
            llm = None
            if settings.llm_base_url and settings.llm_model:
                key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
                llm = ChatClient(
                    settings.llm_base_url, settings.llm_model, api_key=key, timeout=settings.llm_timeout_seconds
                )
            self._summaries = Summarizer(
                self.sessions, llm=llm, search=self._search, load_search=self.search, aliases=self.library.aliases
            )
            self.library.on_change.append(self._summaries.invalidate)
        return self._summaries

    async def pending_passages(self) -> int:
        """Passages without a vector for the current model (a search finds them by their words only)."""
        return await pending_count(self.sessions, vector_key(await self.embedder()))

    async def index_pending(self, progress: Progress | None = None) -> int:
        """Embed passages still lacking a vector; returns how many were embedded."""
        search = await self.search()
        report = await embed_pending(
            self.sessions, search.embedder, batch_size=self.settings.embed_batch_size, progress=progress
        )
        if report.embedded or report.removed_stale:
            search.invalidate()
        return report.embedded


def configure_logging(level: str) -> None:
    """One line per event on stderr, with time, level and module."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", force=True)
    for noisy in ("sentence_transformers", "transformers", "httpx", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


@asynccontextmanager
async def open_services(settings: Settings, *, embedder: Embedder | None = None) -> AsyncIterator[Services]:
    """Open the database (upgrading its schema) and build the services; dispose of the engine on exit.

    `embedder` lends a model that is already loaded (tests share one across a session) instead of loading one.
    """
    engine = create_engine(settings.database_url, settings.server_options())
    try:
        await upgrade_database(engine)
        await fill_missing_contexts(sessionmaker(engine))
        aliases = load_aliases(settings.speakers_file) if settings.speakers_file.exists() else None
        if aliases is None:  # a relative path is read from where the command runs: say so, not just rank worse
            log.warning("no speaker alias table at %s: speakers are known by their labels only",
                        settings.speakers_file.absolute())  # fmt: skip
        sessions = sessionmaker(engine)
        library = Library(sessions, aliases=aliases, max_bytes=settings.max_file_bytes)
        yield Services(settings=settings, engine=engine, sessions=sessions, library=library, preloaded=embedder)
    finally:
        await engine.dispose()
