"""PostgreSQL databases for tests: one template migrated once per session, then a fast copy of it per test."""

from __future__ import annotations

import itertools
import os

import asyncpg
from sqlalchemy.engine import make_url

from bot.library.database import create_engine, upgrade_database


class PostgresTemplate:
    """Creates and drops test databases on one server (names carry the pid: an external server may be shared)."""

    def __init__(self, server_url: str) -> None:
        self.server_url = make_url(server_url)
        self.name = f"colloquy_template_{os.getpid()}"
        self._numbers = itertools.count(1)

    def url_of(self, database: str) -> str:
        """The SQLAlchemy URL of one database on the server."""
        return self.server_url.set(database=database).render_as_string(hide_password=False)

    async def _execute(self, *statements: str) -> None:
        dsn = self.server_url.set(drivername="postgresql").render_as_string(hide_password=False)
        conn = await asyncpg.connect(dsn)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    async def create(self) -> None:
        """The template: an empty library at the latest schema (so each test skips the migrations)."""
        await self._execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)", f"CREATE DATABASE {self.name}")
        engine = create_engine(self.url_of(self.name))
        try:
            await upgrade_database(engine)
        finally:
            await engine.dispose()

    async def copy(self) -> str:
        """A new database copied from the template; returns its URL."""
        name = f"colloquy_test_{os.getpid()}_{next(self._numbers)}"
        await self._execute(f"CREATE DATABASE {name} TEMPLATE {self.name}")
        return self.url_of(name)

    async def drop_copy(self, url: str) -> None:
        """Drop a test database, closing connections a test left open."""
        await self._execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    async def drop(self) -> None:
        """Drop the template."""
        await self._execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
