"""The digest's claim is a lease, end to end: a week claimed by a bot that died before
posting it is posted by the next one once the lease ran out, and a repeated send of one
digest (a retry after a lost answer) yields one message, Discord enforcing its nonce."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta
from typing import Any

import bot.digest.runner
from bot.digest import DigestService
from bot.digest.runner import digest_message
from bot.store import ClaimStore
from tests.e2e.conftest import BotHarness
from tests.e2e.test_digest import (  # noqa: F401  (fast_digest_loop: an autouse fixture)
    SETTLE_S,
    FakeClock,
    _eventually,
    _guild_id,
    _monday_after_this_week,
    _start,
    _this_week,
    fast_digest_loop,
)
from tests.fakediscord import FakeDiscord
from tests.store.conftest import submit


async def test_a_week_claimed_by_a_bot_that_died_is_posted_once_its_lease_ran_out(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    slot = _monday_after_this_week(time(9, 0))
    guild_id = _guild_id(fake)
    general = fake.world.guild("Newsroom").channel("general")
    await store.update_guild_settings(guild_id=guild_id, digest_channel_id=int(general.id))
    await submit(store, guild_id, "Prices rose 5% in May.")
    # A bot claimed the week at the slot, then died before posting it.
    assert await store.claim_digest_run(
        guild_id=guild_id,
        period=_this_week().label,
        channel_id=int(general.id),
        now=slot,
        lease_until=slot + bot.digest.runner.CLAIM_LEASE,
        late=False,
    )
    clock = FakeClock(slot + timedelta(minutes=2))
    await _start(harness, clock)
    await asyncio.sleep(SETTLE_S)
    assert fake.channel_messages("Newsroom", "general") == []  # the claim may still be alive

    clock.now = slot + bot.digest.runner.CLAIM_LEASE
    await _eventually(lambda: len(fake.channel_messages("Newsroom", "general")) == 1)
    await asyncio.sleep(SETTLE_S)
    (message,) = fake.channel_messages("Newsroom", "general")
    assert message["embeds"][0]["title"] == f"Weekly digest · {_this_week().label}"
    run = await store.get_digest_run(guild_id=guild_id, period=_this_week().label)
    assert run is not None
    assert (run.status, run.attempts, run.message_id) == ("posted", 2, int(message["id"]))


async def test_sending_one_digest_twice_posts_one_message(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    """A retry of a send whose answer was lost: Discord, told to enforce the nonce, answers
    with the first message instead of posting the digest again."""
    client = await _start(harness, FakeClock(_monday_after_this_week(time(8, 0))))
    guild_id = _guild_id(fake)
    await submit(store, guild_id, "Prices rose 5% in May.")
    digest = await DigestService(store).build(
        guild_id=guild_id, period=_this_week(), timezone="UTC"
    )
    message = digest_message(digest, quiet_line=True)
    assert message is not None
    # The cog module is re-imported by each bot: its class is not cogs.digest.DigestLoop.
    loop: Any = client.get_cog("DigestLoop")
    assert loop is not None
    general = int(fake.world.guild("Newsroom").channel("general").id)
    first = await loop.send(general, message)
    again = await loop.send(general, message)
    assert again == first
    (posted,) = fake.channel_messages("Newsroom", "general")
    assert int(posted["id"]) == first
    bodies = [c.body or {} for c in fake.calls if c.method == "POST" and "/messages" in c.path]
    assert [(b.get("nonce"), b.get("enforce_nonce")) for b in bodies] == [
        (message.nonce, True),
        (message.nonce, True),
    ]
    # Another week's digest has another nonce: it is posted.
    other_week = await DigestService(store).build(
        guild_id=guild_id, period=_this_week().shifted(-1), timezone="UTC"
    )
    other = digest_message(other_week, quiet_line=True)
    assert other is not None
    assert await loop.send(general, other) != first
    assert len(fake.channel_messages("Newsroom", "general")) == 2
