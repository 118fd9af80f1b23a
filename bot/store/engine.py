"""Building the async engine, with the SQLite settings a multi-writer bot needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.errors import ConfigurationError

# Execution option marking a connection that will write: on SQLite its transaction starts
# with BEGIN IMMEDIATE, so concurrent writers queue on the lock (busy_timeout) instead of
# failing with "database is locked" when a read transaction tries to upgrade to a write.
WRITE_OPTION = "claimbot_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_store_engine(url: str, **engine_kwargs: Any) -> AsyncEngine:
    """An AsyncEngine for `url` (sqlite+aiosqlite or postgresql+asyncpg)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"DATABASE_URL is not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigurationError(
            f"unsupported database {backend!r}: use sqlite+aiosqlite:// or postgresql+asyncpg://"
        )
    driver = parsed.get_driver_name()
    if backend == "sqlite" and driver != "aiosqlite":
        raise ConfigurationError("SQLite needs the async driver: sqlite+aiosqlite:///file.db")
    if backend == "postgresql" and driver != "asyncpg":
        raise ConfigurationError("PostgreSQL needs the async driver: postgresql+asyncpg://...")
    if backend == "postgresql":
        engine_kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(parsed, **engine_kwargs)
    if backend == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (the driver's implicit
        # transactions cannot do BEGIN IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Keep the b-tree interior pages of a large guild's tables in memory, and read the
        # rest through a memory map rather than a read() call per page.
        cursor.execute("PRAGMA cache_size=-16384")  # KiB, per connection
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, far fewer fsyncs
        # Checkpoint (copy the WAL into the database, with fsyncs) every ~40 MB of WAL
        # instead of every 4 MB: the write that triggers one pays for it, so fewer, larger
        # checkpoints keep the p99 of writes low at the cost of a rare slower one.
        cursor.execute("PRAGMA wal_autocheckpoint=10000")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        # Reads get no explicit BEGIN: each SELECT then sees the latest committed state
        # (its own implicit transaction), and a page read costs one less round trip to
        # the driver's thread. No read method relies on a snapshot across statements.


def writer(engine: AsyncEngine) -> AsyncEngine:
    """The same engine (same pool), marked so its transactions take the write lock up front."""
    return engine.execution_options(**{WRITE_OPTION: True})
