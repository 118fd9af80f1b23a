"""Alembic environment: async engine, batch mode on SQLite.

Two ways in: `bot.store.migrate` hands over an open connection in
`config.attributes["connection"]` (the normal path: `claimbot db upgrade`, bot start-up,
tests); the `alembic` command line (developers writing a revision) connects from the
`sqlalchemy.url` option or DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from bot.settings import DEFAULT_DATABASE_URL
from bot.store import models  # noqa: F401  (registers the tables on the metadata)
from bot.store.engine import create_store_engine, writer
from bot.store.migrate import object_is_managed

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        include_object=object_is_managed,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url(url: str) -> None:
    engine = writer(create_store_engine(url))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def _main() -> None:
    if context.is_offline_mode():
        raise SystemExit("offline (--sql) migrations are not supported (dialect-specific DDL)")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if context.config.config_file_name is not None:  # the alembic command line: show progress
        fileConfig(context.config.config_file_name, disable_existing_loggers=False)
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get(
        "DATABASE_URL", DEFAULT_DATABASE_URL
    )
    asyncio.run(_run_from_url(url))


_main()
