"""The schema comes from the migrations alone, goes up from empty and back down to nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from bot.store.migrate import downgrade_engine, object_is_managed, upgrade_engine

TABLES = {
    "article",
    "claim",
    "status_change",
    "guild_claim_counter",
    "guild_settings",
    "digest_run",
}


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    # SQLite lists FTS5's shadow tables too; they belong to claim_fts.
    return {name for name in names if not name.startswith("claim_fts_")}


async def test_upgrade_from_empty_then_downgrade_to_base(empty_engine: AsyncEngine) -> None:
    assert await table_names(empty_engine) == set()
    await upgrade_engine(empty_engine)
    names = await table_names(empty_engine)
    assert names >= TABLES
    await upgrade_engine(empty_engine)  # running it again is harmless (every start does)
    await downgrade_engine(empty_engine, "base")
    assert await table_names(empty_engine) == {"alembic_version"}
    await upgrade_engine(empty_engine)
    assert await table_names(empty_engine) >= TABLES


async def test_models_match_the_migrations(empty_engine: AsyncEngine) -> None:
    await upgrade_engine(empty_engine)

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection,
            opts={"include_object": object_is_managed, "compare_type": True},
        )
        return list(compare_metadata(context, SQLModel.metadata))

    async with empty_engine.connect() as connection:
        diff = await connection.run_sync(differences)
    assert diff == []
