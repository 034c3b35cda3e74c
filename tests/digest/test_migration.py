"""Migration 0003 creates exactly the tables the digest models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import bot.digest.models  # noqa: F401  # registers the digest tables on Base.metadata
from bot.library.models import Base

DIGEST_TABLES = ("digest_subscriptions", "digest_deliveries", "digest_quotes_shown")


async def test_migrated_schema_matches_the_models(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        conn = await session.connection()
        diffs = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata)
        )
        tables = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
    assert set(DIGEST_TABLES) <= tables
    assert [d for d in diffs if any(name in repr(d) for name in DIGEST_TABLES)] == []
