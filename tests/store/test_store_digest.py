"""The store's side of the weekly digest, on SQLite and PostgreSQL: the week's aggregates,
and claiming a digest run exactly once, also from two processes at the same time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.store import ClaimStatus, ClaimStore
from tests.store.conftest import submit

GUILD, OTHER_GUILD = 1, 2
LEASE = timedelta(minutes=10)


async def _claim(
    store: ClaimStore, now: datetime, *, period: str, guild_id: int = GUILD, late: bool = False
) -> int | None:
    """Claim a run into channel 5 with a lease of LEASE from `now`."""
    return await store.claim_digest_run(
        guild_id=guild_id, period=period, channel_id=5, now=now, lease_until=now + LEASE, late=late
    )


def _window() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(hours=1), now + timedelta(hours=1)


async def _facts(store: ClaimStore, guild_id: int = GUILD, list_cap: int = 5, queue: int = 3):
    since, until = _window()
    return await store.digest_facts(
        guild_id=guild_id,
        since=since,
        until=until,
        history=[(since - timedelta(days=7), since), (since, until)],
        list_cap=list_cap,
        queue_size=queue,
    )


async def test_facts_count_the_week_and_take_each_claims_last_change(store: ClaimStore) -> None:
    await submit(store, GUILD, "One rose 5%.", "Two fell 3%.", "Three hit 10 m.", "Four is 2.")
    await submit(store, GUILD, "Five grew 7%.")
    await submit(store, OTHER_GUILD, "Elsewhere 9 of 10.")
    for number, status in ((1, "verified"), (2, "disputed"), (3, "verified"), (3, "dismissed")):
        await store.set_status(
            guild_id=GUILD,
            number=number,
            status=status,
            moderator_id=7,
            moderator_name="Mo @everyone",
            evidence_url="https://example.org/proof" if status == "verified" else None,
        )
    facts = await _facts(store)
    assert (facts.articles_submitted, facts.claims_submitted) == (2, 5)
    # #3 was verified then dismissed: it counts once, as dismissed.
    assert facts.settled == {
        ClaimStatus.VERIFIED: 1,
        ClaimStatus.DISPUTED: 1,
        ClaimStatus.DISMISSED: 1,
    }
    assert [c.number for c in facts.newly_verified] == [1]
    assert facts.newly_verified[0].evidence_url == "https://example.org/proof"
    assert facts.newly_verified[0].moderator_name == "Mo @everyone"
    assert [c.number for c in facts.newly_disputed] == [2]
    assert facts.pending_total == 2
    assert [c.number for c in facts.oldest_pending] == [4, 5]
    assert facts.history[0] == dict.fromkeys(ClaimStatus, 0)
    assert facts.history[1][ClaimStatus.PENDING] == 2
    assert facts.history[1][ClaimStatus.VERIFIED] == 1
    assert sum(facts.history[1].values()) == 5


async def test_lists_are_capped_and_the_queue_is_ordered(store: ClaimStore) -> None:
    await submit(store, GUILD, *(f"Claim {i} is {i}%." for i in range(1, 9)))
    for number in range(1, 5):
        await store.set_status(
            guild_id=GUILD, number=number, status="verified", moderator_id=1, moderator_name="M"
        )
    facts = await _facts(store, list_cap=2, queue=2)
    assert facts.settled[ClaimStatus.VERIFIED] == 4
    assert [c.number for c in facts.newly_verified] == [4, 3]  # newest first
    assert [c.number for c in facts.oldest_pending] == [5, 6]
    assert len(facts.top_pending) == 2


async def test_an_empty_guild_has_zero_facts(store: ClaimStore) -> None:
    facts = await _facts(store, guild_id=99)
    assert (facts.articles_submitted, facts.claims_submitted, facts.pending_total) == (0, 0, 0)
    assert facts.settled == {}
    assert facts.newly_verified == facts.oldest_pending == ()


async def test_a_run_is_claimed_once_then_posted(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    args = {"guild_id": GUILD, "period": "2026-W47", "channel_id": 5, "late": False}
    assert await store.claim_digest_run(now=now, lease_until=now + LEASE, **args) == 1
    assert await store.claim_digest_run(now=now, lease_until=now + LEASE, **args) is None
    assert await store.finish_digest_run(
        guild_id=GUILD, period="2026-W47", attempt=1, message_id=77, now=now
    )
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W47")
    assert run is not None
    assert (run.status, run.message_id, run.attempts, run.retry_at) == ("posted", 77, 1, None)
    # Posted is final, however late it is.
    later = now + 2 * LEASE
    assert not await store.claim_digest_run(now=later, lease_until=later + LEASE, **args)
    assert not await store.skip_digest_run(guild_id=GUILD, period="2026-W47", now=later)


async def test_a_failed_run_is_retried_only_when_due_and_reported_once(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    args = {"guild_id": GUILD, "period": "2026-W47", "channel_id": 5, "late": False}
    assert await store.claim_digest_run(now=now, lease_until=now + LEASE, **args) == 1
    assert await store.fail_digest_run(
        guild_id=GUILD,
        period="2026-W47",
        attempt=1,
        error="Missing Permissions",
        retry_at=now + timedelta(minutes=5),
    )
    soon = now + timedelta(minutes=1)
    assert not await store.claim_digest_run(now=soon, lease_until=soon + LEASE, **args)
    problems = await store.take_digest_problems(guild_id=GUILD, now=now)
    assert [(p.period, p.last_error) for p in problems] == [("2026-W47", "Missing Permissions")]
    assert await store.take_digest_problems(guild_id=GUILD, now=now) == []
    due = now + timedelta(minutes=5)
    assert await store.claim_digest_run(now=due, lease_until=due + LEASE, **args) == 2
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W47")
    assert run is not None
    assert (run.status, run.attempts, run.retry_at) == ("claimed", 2, due + LEASE)


async def test_a_failed_run_can_be_given_up(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    await _claim(store, now, period="2026-W46")
    assert await store.fail_digest_run(
        guild_id=GUILD, period="2026-W46", attempt=1, error="gone", retry_at=now
    )
    assert await store.skip_digest_run(guild_id=GUILD, period="2026-W46", now=now)
    run = await store.latest_digest_run(guild_id=GUILD)
    assert run is not None
    assert (run.period, run.status) == ("2026-W46", "skipped")
    later = now + timedelta(days=1)
    assert not await _claim(store, later, period="2026-W46", late=True)


async def test_a_live_claim_is_not_taken_over_an_expired_one_is(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    args = {"guild_id": GUILD, "period": "2026-W47", "late": False}
    assert await store.claim_digest_run(now=now, lease_until=now + LEASE, channel_id=5, **args)
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W47")
    assert run is not None
    assert (run.status, run.attempts, run.retry_at) == ("claimed", 1, now + LEASE)
    # Its owner never records an outcome (it died). Until the lease ends, nobody else may.
    almost = now + LEASE - timedelta(seconds=1)
    assert not await store.claim_digest_run(
        now=almost, lease_until=almost + LEASE, channel_id=6, **args
    )
    expired = now + LEASE
    assert (
        await store.claim_digest_run(now=expired, lease_until=expired + LEASE, channel_id=6, **args)
        == 2
    )
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W47")
    assert run is not None
    assert (run.status, run.attempts, run.channel_id) == ("claimed", 2, 6)
    assert run.retry_at == expired + LEASE  # a new lease: the new owner is safe in turn
    assert not await store.claim_digest_run(
        now=expired, lease_until=expired + LEASE, channel_id=6, **args
    )
    assert await store.finish_digest_run(
        guild_id=GUILD, period="2026-W47", attempt=2, message_id=9, now=expired
    )
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W47")
    assert run is not None
    assert (run.status, run.retry_at) == ("posted", None)


async def test_a_late_owners_outcome_is_fenced_out_by_the_take_over(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    args = {"guild_id": GUILD, "period": "2026-W47", "channel_id": 5, "late": False}
    run_key = {"guild_id": GUILD, "period": "2026-W47"}
    assert await store.claim_digest_run(now=now, lease_until=now + LEASE, **args) == 1
    # The first owner is slow past its lease; a second process takes the run over.
    expired = now + LEASE
    assert await store.claim_digest_run(now=expired, lease_until=expired + LEASE, **args) == 2
    taken = await store.get_digest_run(**run_key)
    assert taken is not None
    assert (taken.status, taken.attempts, taken.retry_at) == ("claimed", 2, expired + LEASE)
    # The first owner's late outcomes write nothing, whichever it is.
    late = expired + timedelta(seconds=30)
    assert not await store.finish_digest_run(**run_key, attempt=1, message_id=77, now=late)
    assert not await store.finish_digest_run(**run_key, attempt=1, message_id=None, now=late)
    assert not await store.fail_digest_run(
        **run_key, attempt=1, error="Missing Permissions", retry_at=late
    )
    assert await store.get_digest_run(**run_key) == taken
    assert await store.take_digest_problems(guild_id=GUILD, now=late) == []
    # The current owner's outcome is written.
    assert await store.fail_digest_run(**run_key, attempt=2, error="gone", retry_at=late)
    failed = await store.get_digest_run(**run_key)
    assert failed is not None
    assert (failed.status, failed.attempts, failed.retry_at, failed.last_error) == (
        "failed",
        2,
        late,
        "gone",
    )
    # Once recorded, the outcome is final for that attempt too: no second write.
    assert not await store.finish_digest_run(**run_key, attempt=2, message_id=9, now=late)
    assert await store.claim_digest_run(now=late, lease_until=late + LEASE, **args) == 3
    assert await store.finish_digest_run(**run_key, attempt=3, message_id=9, now=late)
    posted = await store.get_digest_run(**run_key)
    assert posted is not None
    assert (posted.status, posted.attempts, posted.message_id, posted.retry_at) == (
        "posted",
        3,
        9,
        None,
    )
    assert not await store.fail_digest_run(**run_key, attempt=3, error="x", retry_at=late)


async def test_a_claim_given_up_fences_out_its_owner(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    run_key = {"guild_id": GUILD, "period": "2026-W46"}
    attempt = await store.claim_digest_run(
        **run_key, channel_id=5, now=now, lease_until=now + LEASE, late=False
    )
    assert attempt == 1
    assert await store.skip_digest_run(**run_key, now=now + LEASE)
    assert not await store.finish_digest_run(**run_key, attempt=1, message_id=77, now=now)
    run = await store.get_digest_run(**run_key)
    assert run is not None
    assert (run.status, run.message_id, run.attempts) == ("skipped", None, 1)


async def test_fencing_does_not_reach_another_guild_or_period(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    for guild_id, period in ((GUILD, "2026-W47"), (GUILD, "2026-W48"), (OTHER_GUILD, "2026-W47")):
        assert await _claim(store, now, period=period, guild_id=guild_id) == 1
    assert await store.finish_digest_run(
        guild_id=GUILD, period="2026-W47", attempt=1, message_id=1, now=now
    )
    for guild_id, period in ((GUILD, "2026-W48"), (OTHER_GUILD, "2026-W47")):
        run = await store.get_digest_run(guild_id=guild_id, period=period)
        assert run is not None
        assert (run.status, run.message_id) == ("claimed", None)


async def test_a_lease_must_end_in_the_future(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    with pytest.raises(ValueError, match="lease"):
        await store.claim_digest_run(
            guild_id=GUILD, period="2026-W47", channel_id=5, now=now, lease_until=now, late=False
        )
    assert await store.get_digest_run(guild_id=GUILD, period="2026-W47") is None


async def test_a_claim_given_up_only_once_its_lease_ran_out(store: ClaimStore) -> None:
    now = datetime.now(UTC)
    await _claim(store, now, period="2026-W46")
    assert not await store.skip_digest_run(guild_id=GUILD, period="2026-W46", now=now)
    assert await store.skip_digest_run(guild_id=GUILD, period="2026-W46", now=now + LEASE)
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W46")
    assert run is not None
    assert (run.status, run.retry_at) == ("skipped", None)


async def test_two_processes_claiming_at_once_get_one_claim(
    store: ClaimStore, second_store: ClaimStore
) -> None:
    now = datetime.now(UTC)

    async def claim(on: ClaimStore, at: datetime = now) -> int | None:
        return await on.claim_digest_run(
            guild_id=GUILD,
            period="2026-W47",
            channel_id=5,
            now=at,
            lease_until=at + LEASE,
            late=False,
        )

    def winners(results: list[int | None]) -> list[int]:
        assert results.count(None) == 7
        return [r for r in results if r is not None]

    results = await asyncio.gather(*(claim(s) for s in (store, second_store) * 4))
    assert winners(results) == [1]
    # The taking over of a claim whose process died: one winner too.
    expired = now + LEASE
    results = await asyncio.gather(*(claim(s, expired) for s in (store, second_store) * 4))
    assert winners(results) == [2]
    # And the retry of a failed run: one winner too.
    assert await store.fail_digest_run(
        guild_id=GUILD, period="2026-W47", attempt=2, error="x", retry_at=expired
    )
    results = await asyncio.gather(*(claim(s, expired) for s in (store, second_store) * 4))
    assert winners(results) == [3]
    run = await store.get_digest_run(guild_id=GUILD, period="2026-W47")
    assert run is not None
    assert (run.status, run.attempts) == ("claimed", 3)


async def test_digest_settings_lists_guilds_with_a_channel(store: ClaimStore) -> None:
    await store.update_guild_settings(guild_id=GUILD, digest_channel_id=10, digest_quiet_line=False)
    await store.update_guild_settings(guild_id=OTHER_GUILD, timezone="Europe/Berlin")
    (settings,) = await store.digest_settings()
    assert (settings.guild_id, settings.digest_channel_id, settings.digest_quiet_line) == (
        GUILD,
        10,
        False,
    )
    assert (await store.get_guild_settings(guild_id=OTHER_GUILD)).digest_quiet_line is True
