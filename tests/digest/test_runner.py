"""Running digests through the store with a fake `send`: exactly once per guild and period,
retries that never duplicate, late and skipped digests, quiet weeks, DST."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest import DeliveryError, DigestMessage, DigestService, RunOutcome, runner
from bot.digest.periods import IsoWeek, local_instant
from bot.store import ClaimStore
from tests.store.conftest import submit

GUILD = 1
CHANNEL = 10
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FakeSend:
    """Records what would have been posted; can be told to refuse the next sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, DigestMessage]] = []
        self.refuse = 0

    async def __call__(self, channel_id: int, message: DigestMessage) -> int:
        if self.refuse:
            self.refuse -= 1
            raise DeliveryError(f"the bot may not post in <#{channel_id}>")
        self.sent.append((channel_id, message))
        return 1000 + len(self.sent)


def _this_week() -> IsoWeek:
    return IsoWeek.containing(datetime.now(UTC).date())


def _next_monday_at(hour: int, minute: int = 1) -> datetime:
    """The UTC slot that posts the digest of the current week (the data's week)."""
    return local_instant(_this_week().shifted(1).monday(), time(hour, minute), ZoneInfo("UTC"))


async def _configure(store: ClaimStore, **settings: object) -> None:
    await store.update_guild_settings(guild_id=GUILD, digest_channel_id=CHANNEL, **settings)


async def test_a_due_digest_is_posted_once_with_embed_and_chart(store: ClaimStore) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.", "Rents fell 2%.")
    await _configure(store)
    service, send = DigestService(store), FakeSend()
    now = _next_monday_at(9)
    assert await service.tick(now - timedelta(minutes=2), send) == {GUILD: RunOutcome.NOT_DUE}
    assert await service.tick(now, send) == {GUILD: RunOutcome.POSTED}
    assert await service.tick(now + timedelta(minutes=1), send) == {GUILD: RunOutcome.TAKEN}
    assert await service.tick(now + timedelta(days=3), send) == {GUILD: RunOutcome.TAKEN}
    ((channel_id, message),) = send.sent
    assert channel_id == CHANNEL
    assert message.embed is not None
    assert message.embed["title"] == f"Weekly digest · {_this_week().label}"
    assert message.chart_png is not None
    assert message.chart_png.startswith(PNG_MAGIC)
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert (run.status, run.message_id, run.late) == ("posted", 1001, False)


async def test_guilds_of_other_processes_are_left_alone(store: ClaimStore) -> None:
    await _configure(store)
    assert await DigestService(store).tick(_next_monday_at(9), FakeSend(), guilds={2}) == {}


async def test_a_bot_back_after_the_slot_posts_late(store: ClaimStore) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    send = FakeSend()
    outcome = await DigestService(store).tick(_next_monday_at(9) + timedelta(days=2), send)
    assert outcome == {GUILD: RunOutcome.POSTED}
    embed = send.sent[0][1].embed
    assert embed is not None
    assert str(embed["title"]).endswith("(late)")


async def test_a_quiet_week_gets_one_line_or_nothing(store: ClaimStore) -> None:
    await _configure(store)
    send = FakeSend()
    await DigestService(store).tick(_next_monday_at(9), send)
    ((_, message),) = send.sent
    assert message.embed is None
    assert message.chart_png is None
    assert message.content is not None
    assert "quiet week" in message.content

    await _configure(store, digest_quiet_line=False)
    later = _next_monday_at(9) + timedelta(weeks=1)
    assert await DigestService(store).tick(later, send) == {GUILD: RunOutcome.QUIET}
    assert await DigestService(store).tick(later, send) == {GUILD: RunOutcome.TAKEN}
    assert len(send.sent) == 1


async def test_a_refused_send_is_logged_retried_later_and_never_duplicated(
    store: ClaimStore, caplog: pytest.LogCaptureFixture
) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    service, send = DigestService(store), FakeSend()
    send.refuse = 1
    now = _next_monday_at(9)
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        assert await service.tick(now, send) == {GUILD: RunOutcome.FAILED}
    assert "not posted in channel 10" in caplog.text
    # Not yet due for a retry; then retried once, posted once.
    assert await service.tick(now + timedelta(minutes=1), send) == {GUILD: RunOutcome.TAKEN}
    assert await service.tick(now + timedelta(minutes=6), send) == {GUILD: RunOutcome.POSTED}
    assert await service.tick(now + timedelta(minutes=12), send) == {GUILD: RunOutcome.TAKEN}
    assert len(send.sent) == 1
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert (run.status, run.attempts) == ("posted", 2)
    (problem,) = await store.take_digest_problems(guild_id=GUILD, now=now)
    assert "may not post" in (problem.last_error or "")


async def test_a_failed_digest_is_skipped_once_the_next_period_began(
    store: ClaimStore, caplog: pytest.LogCaptureFixture
) -> None:
    await _configure(store)
    service, send = DigestService(store), FakeSend()
    send.refuse = 1000
    now = _next_monday_at(9)
    await service.tick(now, send)
    send.refuse = 0
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        outcome = await service.tick(now + timedelta(weeks=1), send)
    assert outcome == {GUILD: RunOutcome.POSTED}
    assert f"{_this_week().label} skipped" in caplog.text
    skipped = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert skipped is not None
    assert skipped.status == "skipped"
    assert [m.content is not None for _, m in send.sent] == [True]  # only the next week's


async def test_two_processes_ticking_together_post_once(
    store: ClaimStore, second_store: ClaimStore
) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    send = FakeSend()
    now = _next_monday_at(9)
    services = [DigestService(store), DigestService(second_store)] * 3
    outcomes = await asyncio.gather(*(s.tick(now, send) for s in services))
    assert sorted(o[GUILD] for o in outcomes).count(RunOutcome.POSTED) == 1
    assert len(send.sent) == 1


@pytest.mark.parametrize(
    ("zone", "switch"),
    [("Europe/Berlin", datetime(2026, 3, 29)), ("America/New_York", datetime(2026, 11, 1))],
)
async def test_hourly_ticks_across_a_switch_post_each_week_once_at_local_nine(
    store: ClaimStore, zone: str, switch: datetime
) -> None:
    await _configure(store, timezone=zone)
    service, send = DigestService(store), FakeSend()
    tz = ZoneInfo(zone)
    start = local_instant((switch - timedelta(days=6)).date(), time(0, 0), tz)
    posted_at: list[datetime] = []
    now = start
    while now < start + timedelta(days=14):
        if (await service.tick(now, send))[GUILD] is RunOutcome.POSTED:
            posted_at.append(now.astimezone(tz))
        # Hourly on Mondays (the posting day), sparser the rest of the week.
        now += timedelta(hours=1 if now.astimezone(tz).weekday() == 0 else 6)
    assert [(t.weekday(), t.hour) for t in posted_at] == [(0, 9), (0, 9)]
    assert len(send.sent) == 2
    assert posted_at[1].date() - posted_at[0].date() == timedelta(days=7)


class HangingSend(FakeSend):
    """A send that never returns: the process is stuck in (or dies during) the send."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()

    async def __call__(self, channel_id: int, message: DigestMessage) -> int:
        self.entered.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def _die_while_sending(service: DigestService, now: datetime) -> None:
    """Tick until the send starts, then end the tick the way kill -9 ends a process: no
    `except` runs, so nothing after the claim is recorded."""
    send = HangingSend()
    tick = asyncio.create_task(service.tick(now, send))
    await asyncio.wait_for(send.entered.wait(), 5)
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick


async def test_a_week_claimed_by_a_process_that_died_is_posted_once_the_lease_ran_out(
    store: ClaimStore, second_store: ClaimStore
) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    now = _next_monday_at(9)
    await _die_while_sending(DigestService(store), now)
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert (run.status, run.attempts) == ("claimed", 1)

    # Another process (or this one restarted) waits out the lease, then posts the week.
    survivor, send = DigestService(second_store), FakeSend()
    before_expiry = now + runner.CLAIM_LEASE - timedelta(seconds=1)
    assert await survivor.tick(now + timedelta(minutes=1), send) == {GUILD: RunOutcome.TAKEN}
    assert await survivor.tick(before_expiry, send) == {GUILD: RunOutcome.TAKEN}
    assert send.sent == []
    expired = now + runner.CLAIM_LEASE
    assert await survivor.tick(expired, send) == {GUILD: RunOutcome.POSTED}
    assert await survivor.tick(expired + timedelta(minutes=30), send) == {GUILD: RunOutcome.TAKEN}
    assert len(send.sent) == 1
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert (run.status, run.attempts, run.message_id, run.retry_at) == ("posted", 2, 1001, None)


async def test_two_processes_taking_over_a_dead_claim_post_once(
    store: ClaimStore, second_store: ClaimStore
) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    now = _next_monday_at(9)
    await _die_while_sending(DigestService(store), now)
    send = FakeSend()
    services = [DigestService(store), DigestService(second_store)] * 3
    expired = now + runner.CLAIM_LEASE
    outcomes = await asyncio.gather(*(s.tick(expired, send) for s in services))
    assert sorted(o[GUILD] for o in outcomes).count(RunOutcome.POSTED) == 1
    assert len(send.sent) == 1


async def test_a_dead_claim_of_a_past_week_is_recorded_skipped(
    store: ClaimStore, caplog: pytest.LogCaptureFixture
) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    now = _next_monday_at(9)
    await _die_while_sending(DigestService(store), now)
    send = FakeSend()
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        outcome = await DigestService(store).tick(now + timedelta(weeks=1), send)
    assert outcome == {GUILD: RunOutcome.POSTED}  # the next week's
    assert f"{_this_week().label} skipped" in caplog.text
    dead = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert dead is not None
    assert (dead.status, dead.retry_at) == ("skipped", None)
    assert len(send.sent) == 1


async def test_a_send_that_hangs_is_cut_off_well_inside_the_lease(
    store: ClaimStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lease is only safe if a live owner is done (posted or failed) before it ends.
    assert runner.RUN_TIMEOUT * 2 <= runner.CLAIM_LEASE
    monkeypatch.setattr(runner, "RUN_TIMEOUT", timedelta(seconds=0.1))
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    now = _next_monday_at(9)
    assert await DigestService(store).tick(now, HangingSend()) == {GUILD: RunOutcome.FAILED}
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert run.status == "failed"
    assert "not sent within" in (run.last_error or "")
    assert run.retry_at == now + runner.retry_delay(1)


class TakenOverSend(FakeSend):
    """A send so slow that the lease runs out during it: another process claims the run
    again (at `expired`) before this send returns, then this send succeeds or fails."""

    def __init__(self, store: ClaimStore, expired: datetime, *, refuse: bool = False) -> None:
        super().__init__()
        self.store = store
        self.expired = expired
        self.refuse = int(refuse)
        self.taken_over: int | None = None

    async def __call__(self, channel_id: int, message: DigestMessage) -> int:
        self.taken_over = await self.store.claim_digest_run(
            guild_id=GUILD,
            period=_this_week().label,
            channel_id=CHANNEL,
            now=self.expired,
            lease_until=self.expired + runner.CLAIM_LEASE,
            late=False,
        )
        return await super().__call__(channel_id, message)


@pytest.mark.parametrize("refuse", [False, True], ids=["posted", "refused"])
async def test_an_owner_whose_lease_was_taken_over_mid_send_records_nothing(
    store: ClaimStore, second_store: ClaimStore, caplog: pytest.LogCaptureFixture, refuse: bool
) -> None:
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    now = _next_monday_at(9)
    expired = now + runner.CLAIM_LEASE
    send = TakenOverSend(second_store, expired, refuse=refuse)
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        outcome = await DigestService(store).tick(now, send)
    assert send.taken_over == 2  # the other process's claim, made while this one sent
    # The outcomes are what this process did (it did send, or was refused)...
    assert outcome == {GUILD: RunOutcome.FAILED if refuse else RunOutcome.POSTED}
    assert len(send.sent) == (0 if refuse else 1)
    # ...but the run is left as the second claimant wrote it.
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert (run.status, run.attempts, run.retry_at) == (
        "claimed",
        2,
        expired + runner.CLAIM_LEASE,
    )
    assert (run.message_id, run.posted_at, run.last_error) == (None, None, None)
    assert await store.take_digest_problems(guild_id=GUILD, now=expired) == []
    taken_over = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and "taken over by another process" in r.getMessage()
    ]
    assert len(taken_over) == 1
    assert f"guild {GUILD}: digest {_this_week().label} attempt 1" in taken_over[0].getMessage()
    # The new owner's outcome is recorded as usual.
    assert await store.finish_digest_run(
        guild_id=GUILD, period=_this_week().label, attempt=2, message_id=4242, now=expired
    )
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert (run.status, run.attempts, run.message_id) == ("posted", 2, 4242)


async def test_an_owner_taken_over_by_a_whole_second_run_leaves_its_post_standing(
    store: ClaimStore, second_store: ClaimStore, caplog: pytest.LogCaptureFixture
) -> None:
    """The second process claims, posts and records the week while the first still sends:
    the first's late record would have replaced the second's message id."""
    await submit(store, GUILD, "Prices rose 5% in May.")
    await _configure(store)
    now = _next_monday_at(9)
    expired = now + runner.CLAIM_LEASE
    other_send = FakeSend()

    class SendDuringOtherRun(FakeSend):
        async def __call__(self, channel_id: int, message: DigestMessage) -> int:
            assert await DigestService(second_store).tick(expired, other_send) == {
                GUILD: RunOutcome.POSTED
            }
            return 5000

    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        assert await DigestService(store).tick(now, SendDuringOtherRun()) == {
            GUILD: RunOutcome.POSTED
        }
    assert len(other_send.sent) == 1
    run = await store.get_digest_run(guild_id=GUILD, period=_this_week().label)
    assert run is not None
    assert (run.status, run.attempts, run.message_id) == ("posted", 2, 1001)
    assert "attempt 1 was taken over by another process" in caplog.text


def test_every_attempt_at_one_week_sends_the_same_short_nonce() -> None:
    nonce = runner.digest_nonce(GUILD, "2026-W47")
    assert nonce == runner.digest_nonce(GUILD, "2026-W47")
    assert len(runner.digest_nonce(2**63 - 1, "2026-W47")) <= 25  # Discord's limit
    assert nonce != runner.digest_nonce(GUILD, "2026-W48")
    assert nonce != runner.digest_nonce(GUILD + 1, "2026-W47")
