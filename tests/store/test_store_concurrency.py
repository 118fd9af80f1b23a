"""Claim numbers stay unique and gap-free when many submissions race."""

from __future__ import annotations

import asyncio
import itertools

from bot.store.service import ClaimStore
from tests.store.conftest import make_article, submit

GUILD = 555_000_000_000_000_001
TASKS = 20
SHARED = "Every one of the 20 submitters quotes this 1 sentence."


async def test_concurrent_submissions_get_gap_free_numbers(store: ClaimStore) -> None:
    async def one_submission(task: int) -> list[tuple[int, bool]]:
        outcome = await submit(
            store,
            GUILD,
            f"Task {task} reports {task} apples.",
            SHARED,
            f"Task {task} reports {task * 2} pears.",
        )
        return [(item.claim.number, item.is_new) for item in outcome.claims]

    results = await asyncio.gather(*(one_submission(task) for task in range(TASKS)))

    new_numbers = sorted(number for result in results for number, is_new in result if is_new)
    expected_total = TASKS * 2 + 1  # the shared sentence is stored once
    assert new_numbers == list(range(1, expected_total + 1))
    shared_numbers = {result[1][0] for result in results}
    assert len(shared_numbers) == 1
    assert sum(result[1][1] for result in results) == 1  # exactly one task created it

    assert await store.count_claims(guild_id=GUILD) == expected_total
    shared = await store.get_claim(guild_id=GUILD, number=shared_numbers.pop())
    assert shared.times_submitted == TASKS
    stored = [claim.number async for claim in store.iter_claims(guild_id=GUILD)]
    assert stored == list(range(1, expected_total + 1))


async def test_concurrent_status_changes_are_all_audited(store: ClaimStore) -> None:
    await submit(store, GUILD, SHARED)
    statuses = ["verified", "disputed", "inconclusive", "dismissed"] * 3

    await asyncio.gather(
        *(
            store.set_status(
                guild_id=GUILD, number=1, status=status, moderator_id=i, moderator_name=f"M{i}"
            )
            for i, status in enumerate(statuses)
        )
    )
    history = await store.claim_history(guild_id=GUILD, number=1)
    assert len(history) == len(statuses)
    # Serialised changes chain: each one starts where the previous one ended.
    for previous, current in itertools.pairwise(history):
        assert current.from_status == previous.to_status
    assert (await store.get_claim(guild_id=GUILD, number=1)).status == history[-1].to_status


async def test_two_processes_share_the_numbering(
    store: ClaimStore, second_store: ClaimStore
) -> None:
    # Two engines (two connection pools) stand for two bot processes on one database.
    outcomes = await asyncio.gather(
        *(
            (store if task % 2 else second_store).submit_article(
                guild_id=GUILD,
                source="paste",
                title=None,
                text=f"Process claim {task} counts {task} votes.",
                submitter_id=task,
                submitter_name="Ada",
                candidates=make_article(f"Process claim {task} counts {task} votes.")[1],
            )
            for task in range(10)
        )
    )
    numbers = sorted(outcome.claims[0].claim.number for outcome in outcomes)
    assert numbers == list(range(1, 11))
