"""Running the Alembic migrations from code, so an installed package can migrate itself."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.engine import create_store_engine, writer

_ConfigCommand = Callable[[Config], None]
log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """A Config that finds the scripts inside the package; no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def object_is_managed(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Which database objects autogenerate compares with the models."""
    # The full-text search objects are written by hand (dialect-specific) in the
    # migrations; autogenerate must neither create nor drop them.
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("claim_fts")
    if type_ == "column":
        return name != "search_vector"
    if type_ == "index":
        return name != "ix_claim_search_vector"
    return True


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database behind `engine` up to `revision` (default: the newest)."""
    await _run_command(engine, lambda config: command.upgrade(config, revision))


async def downgrade_engine(engine: AsyncEngine, revision: str) -> None:
    """Migrate down to `revision` ("base" removes every table)."""
    await _run_command(engine, lambda config: command.downgrade(config, revision))


async def upgrade_database(url: str) -> None:
    """`alembic upgrade head` on the database at `url`; safe to run at every start."""
    engine = create_store_engine(url)
    try:
        await upgrade_engine(engine)
    finally:
        await engine.dispose()


async def _run_command(engine: AsyncEngine, run: _ConfigCommand) -> None:
    # Alembic is synchronous: run it inside the async connection's greenlet, so the
    # database I/O still awaits on the event loop instead of blocking it.
    def with_connection(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        with _quiet_alembic():
            before = MigrationContext.configure(connection).get_current_revision()
            run(config)
            after = MigrationContext.configure(connection).get_current_revision()
        if after != before:
            log.debug("database schema migrated from %s to %s", before or "empty", after)

    async with writer(engine).connect() as connection:
        await connection.run_sync(with_connection)
        await connection.commit()


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    # Alembic reports every step at INFO; the command line keeps stderr for errors, and
    # the one line worth keeping is logged above (at DEBUG).
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        alembic_log.setLevel(level)
