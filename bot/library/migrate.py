"""Copy a whole library from one database into another (SQLite → PostgreSQL for `colloquy db migrate-to`).

Every table of the schema is copied, parents before children (interviews, turns, passages, embeddings,
digest subscriptions, deliveries and quotes shown, the summary cache): rows keep their ids, so references
between them stay valid. The copy is one transaction on the target (all or nothing), and the row counts of
both sides are compared afterwards.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.library.models import Base

log = logging.getLogger(__name__)

BATCH = 2000
TABLE_MODULES = ("bot.library.models", "bot.digest.models", "bot.summarize.models")  # every table on Base


class MigrationError(Exception):
    """The copy cannot be made (the target is not empty, counts differ); the message says which."""


@dataclass(frozen=True)
class TableCount:
    """Rows of one table in the source and, after the copy, in the target."""

    table: str
    source: int
    target: int

    @property
    def matches(self) -> bool:
        """True when every row arrived."""
        return self.source == self.target


def library_tables() -> list[Table]:
    """The schema's tables, parents first (loading every module that defines some)."""
    for module in TABLE_MODULES:
        importlib.import_module(module)
    return list(Base.metadata.sorted_tables)


async def _count(conn: AsyncConnection, table: Table) -> int:
    return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


def _aware(table: Table, row: dict[str, object]) -> dict[str, object]:
    """SQLite returns timezone-aware columns as naive datetimes (stored in UTC): give them their zone back."""
    for column in table.columns:
        value = row.get(column.name)
        aware_column = isinstance(column.type, DateTime) and column.type.timezone
        if aware_column and isinstance(value, datetime) and value.tzinfo is None:
            row[column.name] = value.replace(tzinfo=UTC)
    return row


async def copy_library(
    source: AsyncEngine, target: AsyncEngine, progress: Callable[[str, int], None] | None = None
) -> list[TableCount]:
    """Copy every row from `source` into the empty `target` (both already at the latest schema) and verify counts.

    Raises MigrationError, leaving the target unchanged, when it already holds data or a count differs.
    """
    tables = library_tables()
    async with source.connect() as src, target.begin() as dst:
        if dst.dialect.name == "postgresql":
            await dst.execute(text("SET LOCAL statement_timeout = 0"))
        occupied = {t.name: n for t in tables if (n := await _count(dst, t))}
        if occupied:
            held = ", ".join(f"{n} rows in {name}" for name, n in occupied.items())
            raise MigrationError(f"the target database is not empty ({held}); migrate-to copies into an empty one")
        for table in tables:
            copied = 0
            result = await src.stream(select(table).execution_options(yield_per=BATCH))
            async for batch in result.mappings().partitions(BATCH):
                await dst.execute(table.insert(), [_aware(table, dict(row)) for row in batch])
                copied += len(batch)
                if progress:
                    progress(table.name, copied)
            if dst.dialect.name == "postgresql" and "id" in table.columns and table.c.id.autoincrement is not False:
                await _advance_sequence(dst, table)
        counts = [TableCount(t.name, await _count(src, t), await _count(dst, t)) for t in tables]
        wrong = [c for c in counts if not c.matches]
        if wrong:  # raising rolls the whole copy back
            detail = ", ".join(f"{c.table}: {c.source} → {c.target}" for c in wrong)
            raise MigrationError(f"row counts differ after the copy ({detail}); nothing was kept")
    log.info("copied %d rows in %d tables", sum(c.target for c in counts), len(counts))
    return counts


async def _advance_sequence(conn: AsyncConnection, table: Table) -> None:
    """Ids were copied as they were: move the id sequence past them so new rows do not collide."""
    sequence = await conn.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
    if sequence is None:
        return
    highest = await conn.scalar(select(func.max(table.c.id)))
    await conn.execute(
        text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
        {"sequence": sequence, "value": highest or 1, "called": highest is not None},
    )
