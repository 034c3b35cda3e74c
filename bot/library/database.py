"""Engine, sessions and schema upgrades. The caller that opens the engine disposes of it."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Insert, event, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message says which and why."""


WORK_MEM = "32MB"  # each sort or hash of a statement may take this much of the server's private memory


@dataclass(frozen=True)
class ServerOptions:
    """Connection settings for a database server (PostgreSQL); SQLite ignores them. Defaults as in default.toml."""

    pool_size: int = 5  # connections kept open per process
    max_overflow: int = 10  # extra connections under load, closed when idle
    pool_timeout: float = 30.0  # seconds to wait for a free connection before failing
    statement_timeout_ms: int = 30_000  # the server cancels any statement running longer (0 = no limit)
    connect_timeout: float = 10.0  # seconds to wait for the server when connecting


def create_engine(url: str, options: ServerOptions | None = None) -> AsyncEngine:
    """Open an async engine; for SQLite, create the file's folder and turn on foreign keys (cascading deletes);
    for PostgreSQL, a bounded connection pool whose connections carry a statement timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]  # DBAPI hook
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    options = options or ServerOptions()
    # Every statement planned for its own parameters: asyncpg prepares each statement once per connection, and
    # after five runs PostgreSQL may switch it to one generic plan, which for a search's statements (a
    # question's tsquery, ~300 candidate ids) cost the server a third more at 1M passages (README, stop 27).
    # A search's candidates (~650 rows with three vectors each, ~5 MB) are sorted for their window function: at
    # the server's default 4 MB of sort memory that sort went to a temporary file every search (README, stop 36).
    settings = {
        "statement_timeout": str(options.statement_timeout_ms),
        "plan_cache_mode": "force_custom_plan",
        "work_mem": WORK_MEM,
    }
    if parsed.get_driver_name() == "asyncpg":
        connect_args: dict[str, object] = {
            "timeout": options.connect_timeout,
            "server_settings": {**settings, "application_name": "colloquy"},
        }
    else:  # psycopg 3
        connect_args = {
            "connect_timeout": max(1, round(options.connect_timeout)),
            "options": " ".join(f"-c {name}={value}" for name, value in settings.items()),
            "application_name": "colloquy",
        }
    return create_async_engine(
        url,
        pool_pre_ping=True,
        pool_size=options.pool_size,
        max_overflow=options.max_overflow,
        pool_timeout=options.pool_timeout,
        connect_args=connect_args,
    )


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    """Sessions that keep loaded objects usable after commit (results are handed to the CLI and the bot)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def check_connection(engine: AsyncEngine) -> None:
    """Connect once, so an unreachable server stops the program at start with one clear line, not a traceback."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(
            f"cannot reach the database {where}: {reason} (is the server running, and is COLLOQUY_DATABASE_URL right?)"
        ) from None
    except Exception as exc:  # drivers raise their own errors for a bad password or an unknown database
        raise DatabaseError(f"cannot open the database {where}: {type(exc).__name__}: {exc}") from None


async def upgrade_database(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision` through Alembic; run at every start, a no-op when current."""
    await check_connection(engine)
    try:
        async with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SET LOCAL statement_timeout = 0"))  # converting a big library takes long
            await conn.run_sync(lambda sync_conn: command.upgrade(_alembic_config(sync_conn), revision))
    except DBAPIError as exc:
        message = str(exc.orig)
        if "vector" in message and ("not available" in message or "permission denied" in message):
            raise DatabaseError(
                f"the database needs the pgvector extension: {message.splitlines()[0]}. Install pgvector on the "
                "server (or use an image that has it) and, without superuser rights, ask an administrator to run "
                "CREATE EXTENSION vector in this database"
            ) from None
        raise
    log.debug("database schema at %s", revision)


@asynccontextmanager
async def advisory_lock(engine: AsyncEngine, namespace: int, key: int) -> AsyncIterator[bool]:
    """Hold a PostgreSQL session advisory lock on (namespace, key) for the block if no other process has it.

    Yields False (without waiting) when another connection holds it. The lock lives on its own pooled
    connection, so it is released when the block ends or, if this process dies, when its connection closes.
    On SQLite (one process by design) it always yields True.
    """
    if engine.dialect.name != "postgresql":
        yield True
        return
    params = {"namespace": namespace, "key": key}
    async with engine.connect() as conn:
        acquired = bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:namespace, :key)"), params))
        await conn.commit()  # hold the lock, not an open transaction
        try:
            yield acquired
        finally:
            if acquired:
                await conn.execute(text("SELECT pg_advisory_unlock(:namespace, :key)"), params)
                await conn.commit()


WORK_LOCK = 0x0C011001  # advisory-lock namespace of `work_lock` (the key is a CRC of the work's name)


async def _acquire(try_lock: Callable[[], Awaitable[bool]], name: str, poll: float) -> None:
    """Call `try_lock` until it succeeds, saying once that another process has the work."""
    if await try_lock():
        return
    log.info("waiting for another process to finish %s", name)
    while not await try_lock():  # noqa: ASYNC110  # another process holds it: no event can tell us, so poll
        await asyncio.sleep(poll)


@asynccontextmanager
async def work_lock(engine: AsyncEngine, name: str, *, poll: float = 0.25) -> AsyncIterator[None]:
    """Hold the lock on one kind of work (e.g. "embedding") for every process using this database, waiting while
    another process holds it. Nothing is left behind if a process dies: PostgreSQL releases a session advisory
    lock with its connection, and the kernel an flock on a file beside the SQLite database with its process.
    An in-memory SQLite database has one process by definition and takes no lock.
    """
    if engine.dialect.name == "postgresql":
        params = {"namespace": WORK_LOCK, "key": zlib.crc32(name.encode()) - 2**31}
        async with engine.connect() as conn:

            async def try_lock() -> bool:
                acquired = bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:namespace, :key)"), params))
                await conn.commit()  # hold the lock, not an open transaction
                return acquired

            await _acquire(try_lock, name, poll)
            try:
                yield
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:namespace, :key)"), params)
                await conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.{name}.lock", "a") as file:  # noqa: ASYNC230  # opening a lock file does not block

        async def try_flock() -> bool:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        await _acquire(try_flock, name, poll)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def insert_ignoring_duplicates(session: AsyncSession, table: type[object]) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on this session's backend: a row another process stored first is skipped
    (with RETURNING, the caller learns which of its rows went in)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing()


async def downgrade_database(engine: AsyncEngine, revision: str) -> None:
    """Take the schema back to `revision` (rolling back a release); data the newer schema added may be lost."""
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SET LOCAL statement_timeout = 0"))
        await conn.run_sync(lambda sync_conn: command.downgrade(_alembic_config(sync_conn), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at (None before the first upgrade)."""
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision())
