"""Store fixtures: every store test runs on SQLite and, when TEST_DATABASE_URL is set, on
PostgreSQL too. Each PostgreSQL test gets its own schema, so parallel runs never collide."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.extraction.types import ClaimCandidate
from bot.store.engine import create_store_engine
from bot.store.migrate import upgrade_engine
from bot.store.service import ClaimStore

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL,
            reason="TEST_DATABASE_URL is not set: PostgreSQL half of the store tests skipped",
        ),
    ),
]
MAX_ARTICLE_CHARS = 5_000


@pytest.fixture(params=BACKENDS)
async def empty_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database (nothing migrated)."""
    if request.param == "sqlite":
        engine = create_store_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
        yield engine
        await engine.dispose()
        return
    schema = f"test_store_{uuid.uuid4().hex[:12]}"
    admin = create_store_engine(POSTGRES_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = _postgres_engine(schema)
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


TABLES = (
    "article, claim, status_change, guild_claim_counter, guild_settings, digest_run, "
    "auto_extract_cursor"
)


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file made once; each test gets a copy (faster than migrating)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def migrate() -> None:
        engine = create_store_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade_engine(engine)
        await engine.dispose()  # the last connection to close folds the WAL into the file

    asyncio.run(migrate())
    return path


@pytest.fixture(scope="session")
def migrated_postgres_schema() -> Iterator[str | None]:
    """A schema migrated once per run; tests empty its tables instead of re-migrating."""
    if not POSTGRES_URL:
        yield None
        return
    schema = f"test_store_{uuid.uuid4().hex[:12]}"

    async def run(statement: str, *, migrate: bool = False) -> None:
        admin = create_store_engine(POSTGRES_URL)
        async with admin.begin() as connection:
            await connection.execute(text(statement))
        await admin.dispose()
        if migrate:
            engine = _postgres_engine(schema)
            await upgrade_engine(engine)
            await engine.dispose()

    asyncio.run(run(f'CREATE SCHEMA "{schema}"', migrate=True))
    yield schema
    asyncio.run(run(f'DROP SCHEMA "{schema}" CASCADE'))


def _postgres_engine(schema: str) -> AsyncEngine:
    return create_store_engine(
        POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}
    )


@pytest.fixture(params=BACKENDS)
async def store(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    migrated_sqlite_file: Path,
    migrated_postgres_schema: str | None,
) -> AsyncIterator[ClaimStore]:
    """A ClaimStore on a migrated, empty database."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copyfile(migrated_sqlite_file, path)
        engine = create_store_engine(f"sqlite+aiosqlite:///{path}")
    else:
        assert migrated_postgres_schema is not None
        engine = _postgres_engine(migrated_postgres_schema)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    store = ClaimStore(engine, max_article_chars=MAX_ARTICLE_CHARS)
    yield store
    await store.close()


ArticleMaker = Callable[..., tuple[str, list[ClaimCandidate]]]


def make_article(*sentences: str, score: float = 0.9) -> tuple[str, list[ClaimCandidate]]:
    """An article made of `sentences`, and one candidate per sentence with true offsets."""
    text = ""
    candidates = []
    for sentence in sentences:
        if text:
            text += " "
        start = len(text)
        text += sentence
        candidates.append(
            ClaimCandidate(
                text=sentence,
                sentence=sentence,
                start=start,
                end=start + len(sentence),
                score=score,
                claimant=None,
                kind="statistic",
            )
        )
    return text, candidates


async def submit(store: ClaimStore, guild_id: int, *sentences: str, source: str = "paste"):
    text, candidates = make_article(*sentences)
    return await store.submit_article(
        guild_id=guild_id,
        source=source,
        title=None,
        text=text,
        submitter_id=42,
        submitter_name="Ada",
        candidates=candidates,
    )


@pytest.fixture
async def second_store(
    store: ClaimStore, migrated_postgres_schema: str | None
) -> AsyncIterator[ClaimStore]:
    """Another ClaimStore with its own engine on the same database, like a second process."""
    if store.engine.dialect.name == "sqlite":
        engine = create_store_engine(str(store.engine.url))
    else:
        assert migrated_postgres_schema is not None
        engine = _postgres_engine(migrated_postgres_schema)
    other = ClaimStore(engine, max_article_chars=MAX_ARTICLE_CHARS)
    yield other
    await other.close()
