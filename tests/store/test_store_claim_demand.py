"""ClaimStore sorting by demand (issue 8): how often a claim was submitted orders
`list_claims(order="most_submitted")` and the digest's "most submitted pending" queue, on
SQLite and PostgreSQL, through an index (no sort of the guild's claims)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.errors import InvalidInput
from bot.store import ClaimOrder, ClaimStatus
from bot.store.service import ClaimStore
from tests.store.conftest import submit

GUILD = 1_234_567_890_123_456_789
OTHER_GUILD = 987_654_321_098_765_432
A, B, C, D = (
    "The budget grew by 12 percent.",
    "Unemployment fell to 3.9 percent.",
    "Crime rose by 8 percent.",
    "The bridge cost 40 million euros.",
)


async def seed_demand(store: ClaimStore) -> None:
    """#1 A submitted 3 times, #2 B twice, #3 C and #4 D once; another guild asks for D."""
    await submit(store, GUILD, A, B, C, D)
    await submit(store, GUILD, A, B)
    await submit(store, GUILD, A)
    for _ in range(5):
        await submit(store, OTHER_GUILD, D)


async def test_most_submitted_first_ties_newest_first(store: ClaimStore) -> None:
    await seed_demand(store)
    listed = await store.list_claims(guild_id=GUILD, order=ClaimOrder.MOST_SUBMITTED)
    assert [(c.number, c.times_submitted) for c in listed] == [(1, 3), (2, 2), (4, 1), (3, 1)]
    newest = await store.list_claims(guild_id=GUILD, order="newest")
    assert [c.number for c in newest] == [4, 3, 2, 1]  # the default order is unchanged


async def test_most_submitted_with_a_status_and_pages(store: ClaimStore) -> None:
    await seed_demand(store)
    await store.set_status(
        guild_id=GUILD, number=1, status="verified", moderator_id=1, moderator_name="ann"
    )
    pending = await store.list_claims(
        guild_id=GUILD, status=ClaimStatus.PENDING, order="most_submitted"
    )
    assert [c.number for c in pending] == [2, 4, 3]
    second_page = await store.list_claims(
        guild_id=GUILD, order=ClaimOrder.MOST_SUBMITTED, limit=2, offset=2
    )
    assert [c.number for c in second_page] == [4, 3]


async def test_unknown_orders_and_keyset_paging_by_demand_are_refused(store: ClaimStore) -> None:
    with pytest.raises(InvalidInput, match="Unknown order"):
        await store.list_claims(guild_id=GUILD, order="loudest")
    with pytest.raises(InvalidInput, match="newest-first"):
        await store.list_claims(guild_id=GUILD, order="most_submitted", before=10)


async def test_the_digest_queue_lists_pending_claims_asked_for_more_than_once(
    store: ClaimStore,
) -> None:
    await seed_demand(store)
    await store.set_status(
        guild_id=GUILD, number=2, status="disputed", moderator_id=1, moderator_name="ann"
    )
    await submit(store, GUILD, C)  # C: twice now, still pending
    now = datetime.now(UTC)
    facts = await store.digest_facts(
        guild_id=GUILD,
        since=now - timedelta(days=7),
        until=now + timedelta(minutes=1),
        history=[],
        list_cap=5,
        queue_size=5,
    )
    # #2 is settled; #4 was submitted once (in this guild); #1 three times, #3 twice.
    assert [(c.number, c.times_submitted) for c in facts.most_submitted_pending] == [(1, 3), (3, 2)]
    assert all(c.status is ClaimStatus.PENDING for c in facts.most_submitted_pending)
    assert {c.times_submitted for c in facts.top_pending} >= {1, 3}


async def test_sorting_by_demand_walks_an_index(store: ClaimStore) -> None:
    """The plan has no sort step: the database reads the index in order and stops early."""
    await seed_demand(store)
    if store.engine.dialect.name == "sqlite":
        plans = []
        for status_filter in ("", "AND status = 'pending'"):
            async with store.engine.connect() as connection:
                rows = await connection.execute(
                    text(
                        "EXPLAIN QUERY PLAN SELECT id FROM claim WHERE guild_id = :g "
                        f"{status_filter} ORDER BY times_submitted DESC, number DESC LIMIT 10"
                    ),
                    {"g": GUILD},
                )
                plans.append(" ".join(str(row[-1]) for row in rows))
        assert "ix_claim_guild_submitted_number" in plans[0], plans
        assert "ix_claim_guild_status_submitted_number" in plans[1], plans
        assert not any("TEMP B-TREE" in plan for plan in plans), plans
        return
    async with store.engine.connect() as connection:
        await connection.execute(text("SET enable_seqscan = off"))
        rows = await connection.execute(
            text(
                "EXPLAIN SELECT id FROM claim WHERE guild_id = :g AND status = 'pending' "
                "ORDER BY times_submitted DESC, number DESC LIMIT 10"
            ),
            {"g": GUILD},
        )
        plan = "\n".join(str(row[0]) for row in rows)
    assert "ix_claim_guild_status_submitted_number" in plan, plan
    assert "Sort" not in plan.split("Index")[0], plan
