"""The digest tests use the store's fixtures (SQLite, and PostgreSQL when TEST_DATABASE_URL
is set)."""

from tests.store.conftest import (  # noqa: F401
    migrated_postgres_schema,
    migrated_sqlite_file,
    second_store,
    store,
)
