"""Engine set-up: the SQLite settings the store relies on, and clear refusals of bad URLs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from bot.errors import ConfigurationError
from bot.store._types import UtcDateTime
from bot.store.engine import create_store_engine


async def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with engine.connect() as connection:
            pragma = {
                name: (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
    finally:
        await engine.dispose()
    assert pragma["journal_mode"] == "wal"
    assert pragma["foreign_keys"] == 1
    assert pragma["busy_timeout"] >= 5000


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db/claims", "unsupported database"),
        ("sqlite:///claimbot.db", r"sqlite\+aiosqlite"),
        ("postgresql://u@h/db", r"postgresql\+asyncpg"),
        ("not a url", "not a database URL"),
    ],
)
def test_bad_database_urls_are_configuration_errors(url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        create_store_engine(url)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_utc_datetime_round_trips_aware_values(dialect: object) -> None:
    column_type = UtcDateTime()
    berlin_noon = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    stored = column_type.process_bind_param(berlin_noon, dialect)  # type: ignore[arg-type]
    loaded = column_type.process_result_value(stored, dialect)  # type: ignore[arg-type]
    assert loaded == berlin_noon
    assert loaded is not None
    assert loaded.tzinfo == UTC
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(datetime(2026, 3, 1), dialect)  # type: ignore[arg-type]
