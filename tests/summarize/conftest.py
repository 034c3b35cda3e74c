"""Summary fixtures: small transcripts the tests write, ingested into a real SQLite library and embedded."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.library.service import Library
from bot.search.embedder import Embedder
from bot.search.indexer import embed_pending
from tests.test_cli import env  # noqa: F401  # fixture: the CLI tests' settings (SQLite file, fast embedder)

# An interview in which the guest states one idea three times (in other words each time) among others.
REPEATED_IDEA = """\
Tom Reyes: Welcome. You run a company where nobody shares an office. How does that work?
Ann Lee: Remote teams only work when every decision is written down, because nobody can overhear it.
Tom Reyes: What about salaries across countries?
Ann Lee: We pay the same salary for the same role in every country, which people told us was naive.
Tom Reyes: And when the team disagrees?
Ann Lee: Again, the decision has to be written down; a remote team that decides out loud forgets what it decided.
Tom Reyes: How do you hire?
Ann Lee: We hire through a paid trial week of real work instead of whiteboard interviews.
Tom Reyes: Do you ever meet in person?
Ann Lee: Twice a year the whole company meets for a week in a rented farmhouse, and those weeks matter most.
Tom Reyes: Any last advice for founders?
Ann Lee: Write every decision down. For a remote team, a decision nobody wrote down is a decision nobody made.
"""


def harbour(guest: str, extra: str = "") -> str:
    """A short interview about harbours and tides (nothing about money or football)."""
    return (
        f"Tom Reyes: Why do boats wait outside the harbour?\n"
        f"{guest}: Loaded boats cannot cross the sandbar at low water, so they wait for the tide to rise.\n"
        f"Tom Reyes: How long do they wait?\n"
        f"{guest}: Usually about six hours, until the tide turns and the channel is deep enough again. {extra}\n"
    )


async def ingest(library: Library, name: str, text: str, *, guild_id: int = 0, date: str | None = None) -> int:
    """Ingest a transcript the test wrote; optionally set its date (ingestion takes it from the file)."""
    outcome = await library.ingest(text.encode(), name, guild_id=guild_id)
    assert outcome.interview_id is not None, outcome.message
    if date:
        async with library.sessions.begin() as session:
            await session.execute(
                update(models.Interview).where(models.Interview.id == outcome.interview_id).values(date=date)
            )
    return outcome.interview_id


async def embed(sessions: async_sessionmaker[AsyncSession], embedder: Embedder) -> None:
    """Store vectors for every passage, as ingestion does."""
    await embed_pending(sessions, embedder)
