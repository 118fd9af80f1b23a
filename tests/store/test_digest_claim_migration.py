"""Revision 0009 gives a claimed digest run written before leases existed (`retry_at`
NULL: it would never be taken over) a lease ending ten minutes after the migration; the
other runs are left alone. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store._types import UtcDateTime
from bot.store.migrate import upgrade_engine
from bot.store.service import ClaimStore

BEFORE = "0008_auto_extract_cursor"
GUILD = 1
LEASE = timedelta(minutes=10)
# How SQLAlchemy's SQLite DATETIME writes a value; the store compares these as text.
SQLITE_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")

# digest_run as it is at revision 0008 (written before 0009 ran, like a real database).
_digest_run = sa.table(
    "digest_run",
    sa.column("guild_id", sa.BigInteger()),
    sa.column("period", sa.String(32)),
    sa.column("channel_id", sa.BigInteger()),
    sa.column("created_at", UtcDateTime()),
    sa.column("status", sa.String(16)),
    sa.column("attempts", sa.Integer()),
    sa.column("retry_at", UtcDateTime()),
)


async def _rows(engine: AsyncEngine) -> dict[str, tuple[str, int, datetime | None]]:
    async with engine.connect() as connection:
        result = await connection.execute(
            sa.select(
                _digest_run.c.period,
                _digest_run.c.status,
                _digest_run.c.attempts,
                _digest_run.c.retry_at,
            )
        )
        return {
            period: (status, attempts, retry_at) for period, status, attempts, retry_at in result
        }


async def test_a_pre_lease_claim_gets_a_lease_and_is_taken_over_once_it_ran_out(
    empty_engine: AsyncEngine,
) -> None:
    await upgrade_engine(empty_engine, BEFORE)
    created = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    failed_retry = datetime(2026, 11, 2, 9, 5, tzinfo=UTC)
    leased = datetime(2026, 11, 9, 9, 10, tzinfo=UTC)
    rows = [
        ("2026-W40", "claimed", 1, None),  # a pre-lease claim: the one to fix
        ("2026-W41", "claimed", 3, leased),  # already has a lease
        ("2026-W42", "failed", 2, failed_retry),
        ("2026-W43", "posted", 1, None),
        ("2026-W44", "skipped", 0, None),
    ]
    async with empty_engine.begin() as connection:
        await connection.execute(
            sa.insert(_digest_run),
            [
                {
                    "guild_id": GUILD,
                    "period": period,
                    "channel_id": 5,
                    "created_at": created,
                    "status": status,
                    "attempts": attempts,
                    "retry_at": retry_at,
                }
                for period, status, attempts, retry_at in rows
            ],
        )
    before = await _rows(empty_engine)

    start = datetime.now(UTC)
    await upgrade_engine(empty_engine)
    end = datetime.now(UTC)

    after = await _rows(empty_engine)
    status, attempts, lease_end = after.pop("2026-W40")
    assert (status, attempts) == ("claimed", 1)
    assert lease_end is not None
    assert start + LEASE - timedelta(seconds=1) <= lease_end <= end + LEASE + timedelta(seconds=1)
    before.pop("2026-W40")
    assert after == before  # every other run as it was

    if empty_engine.dialect.name == "sqlite":
        # Stored like the store stores it (naive UTC text), so the lease comparison, done
        # on text by SQLite, orders it right against the store's own values.
        async with empty_engine.connect() as connection:
            raw = (
                await connection.execute(
                    sa.text("SELECT retry_at FROM digest_run WHERE period = '2026-W40'")
                )
            ).scalar_one()
        assert isinstance(raw, str)
        assert SQLITE_DATETIME.match(raw), raw

    store = ClaimStore(empty_engine)
    args = {"guild_id": GUILD, "period": "2026-W40", "channel_id": 6, "late": True}
    almost = lease_end - timedelta(seconds=1)
    assert await store.claim_digest_run(now=almost, lease_until=almost + LEASE, **args) is None
    assert not await store.skip_digest_run(guild_id=GUILD, period="2026-W40", now=almost)
    assert await store.claim_digest_run(now=lease_end, lease_until=lease_end + LEASE, **args) == 2
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W40")
    assert run is not None
    assert (run.status, run.attempts, run.channel_id, run.retry_at) == (
        "claimed",
        2,
        6,
        lease_end + LEASE,
    )
    # The old owner (attempt 1) can no longer record an outcome over the new claim.
    assert not await store.finish_digest_run(
        guild_id=GUILD, period="2026-W40", attempt=1, message_id=7, now=lease_end
    )


async def test_the_migration_changes_nothing_without_pre_lease_claims(
    empty_engine: AsyncEngine,
) -> None:
    await upgrade_engine(empty_engine, BEFORE)
    await upgrade_engine(empty_engine)
    assert await _rows(empty_engine) == {}
