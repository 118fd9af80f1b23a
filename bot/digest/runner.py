"""Running the digests: the service the digest loop and the digest commands call.

Not pure (it reads and writes through the ClaimStore) but free of Discord: posting goes
through a `send` callable the cog provides, so the exactly-once rules are tested without
a bot. The order of one guild's run, which makes "exactly once" hold across restarts and
processes sharing one database:

1. decide what is due from the injected clock (`periods.due_digest`);
2. claim the (guild, period) DigestRun row FIRST (an atomic insert, or the conditional
   update of a failed run whose retry time came or of a claimed one whose lease ran out);
   whoever loses the claim does nothing;
3. build, render and send; then record posted, or failed with a retry time (logged).

A claim is a lease of CLAIM_LEASE: if the process dies between 2 and 3 (a crash, kill -9,
a host restart), the run stays "claimed" until its lease runs out, then the next tick of
any process claims it again and posts the week. The work of step 3 is bounded by
RUN_TIMEOUT, well inside the lease, so a live claim is never taken over. Should one be
all the same (a process paused past its lease), its outcome is fenced out: the claim
returns its attempt number and the outcome is recorded only while the run is still claimed
by that attempt, so a late owner never overwrites the new owner's record (it logs a
warning instead). A send that
reached Discord but whose answer was lost would post twice on the retry; the send carries
a nonce derived from (guild, period) that Discord enforces for a few minutes, which covers
the retries that come soon enough.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.digest import chart, render
from bot.digest.build import LIST_CAP, QUEUE_SIZE, Digest, build_digest, history_windows
from bot.digest.periods import IsoWeek, Schedule, due_digest, weeks_between, zone_named
from bot.store import ClaimStore, GuildSettingsView
from bot.store.views import DigestRunView

log = logging.getLogger(__name__)

# The loop's cadence (read by cogs/digest.py when the cog is made): ticks are cheap (one
# query for the guilds with a digest channel), and a minute is the schedule's resolution.
TICK_SECONDS = 60.0
# Let the gateway settle (guilds arrive after READY) before the first tick.
FIRST_TICK_DELAY_S = 5.0
RETRY_AFTER = timedelta(minutes=5)
MAX_RETRY_AFTER = timedelta(hours=1)
# How long a claim is held before another process may presume its owner dead and claim the
# run again. It must exceed the longest a live owner can take from claim to recording the
# outcome, or a slow send would be posted twice. Building the aggregates and the chart takes
# seconds and a send too, but discord.py's own retries (5xx, timeouts) and rate-limit waits
# have no overall bound, so the work is cut off at RUN_TIMEOUT; the rest of the lease covers
# the writes after it and clocks of processes that disagree a little. A longer lease only
# delays the digest of a process that died.
CLAIM_LEASE = timedelta(minutes=10)
RUN_TIMEOUT = timedelta(minutes=4)


class DeliveryError(Exception):
    """Discord refused the digest for a reason worth telling admins: the channel is gone,
    or the bot may not post there. The message says which."""


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """What to post: a one-line `content` (a quiet week) or an embed with its chart."""

    content: str | None
    embed: dict[str, object] | None
    chart_png: bytes | None
    chart_filename: str | None
    # The same for every attempt at one (guild, period): Discord answers a repeated create
    # with the first message instead of posting again (`enforce_nonce`, for a few minutes).
    nonce: str


SendDigest = Callable[[int, DigestMessage], Awaitable[int]]
"""Posts the message to the channel id given; returns the message id; raises DeliveryError."""


class RunOutcome(StrEnum):
    NOT_DUE = "not due"
    TAKEN = "taken"  # posted, skipped or being sent already (here or by another process)
    POSTED = "posted"
    QUIET = "quiet"  # a quiet week of a guild that wants no quiet-week digest
    FAILED = "failed"


def schedule_of(settings: GuildSettingsView) -> Schedule:
    return Schedule(
        settings.digest_weekday, settings.digest_local_time, zone_named(settings.timezone)
    )


def digest_nonce(guild_id: int, period: str) -> str:
    """A nonce for the digest of (guild, period): 24 hex characters (Discord takes up to 25;
    a guild id and a week label written out could be longer)."""
    return hashlib.blake2b(f"digest:{guild_id}:{period}".encode(), digest_size=12).hexdigest()


def digest_message(digest: Digest, *, quiet_line: bool) -> DigestMessage | None:
    """The message for `digest`; None for a quiet week if the guild wants nothing then."""
    nonce = digest_nonce(digest.guild_id, digest.period.label)
    if digest.quiet:
        if not quiet_line:
            return None
        return DigestMessage(render.quiet_line(digest), None, None, None, nonce=nonce)
    return DigestMessage(
        content=None,
        embed=render.digest_embed(digest),
        chart_png=chart.render_chart(digest.history),
        chart_filename=render.chart_filename(digest),
        nonce=nonce,
    )


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, DeliveryError):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return f"not sent within {RUN_TIMEOUT.total_seconds() / 60:g} minutes"
    return f"unexpected error: {exc!r}"


def retry_delay(attempts: int) -> timedelta:
    """5, 10, 20, 40 minutes, then hourly: a refused channel is usually fixed by a human."""
    doublings = min(max(attempts - 1, 0), 8)
    return min(RETRY_AFTER * (1 << doublings), MAX_RETRY_AFTER)


def _due_again(run: DigestRunView, now: datetime) -> bool:
    """A failed run whose retry time came, or a claimed one whose lease ran out (the process
    that claimed it died before recording the outcome)."""
    return run.status in ("failed", "claimed") and run.retry_at is not None and run.retry_at <= now


def _log_taken_over(guild_id: int, period: str, attempt: int, outcome: str) -> None:
    """This process's claim was fenced out when recording its outcome: its lease ran out
    and another process claimed the run again (or gave it up). That process's record
    stands; this one's outcome is only logged."""
    log.warning(
        "guild %s: digest %s attempt %d was taken over by another process (its lease ran "
        "out); this attempt's %s is not recorded",
        guild_id,
        period,
        attempt,
        outcome,
    )


class DigestService:
    def __init__(self, store: ClaimStore) -> None:
        self.store = store

    async def build(
        self, *, guild_id: int, period: IsoWeek, timezone: str, late: bool = False
    ) -> Digest:
        zone = zone_named(timezone)
        since, until = period.bounds(zone)
        facts = await self.store.digest_facts(
            guild_id=guild_id,
            since=since,
            until=until,
            history=history_windows(period, zone),
            list_cap=LIST_CAP,
            queue_size=QUEUE_SIZE,
        )
        return build_digest(facts, guild_id=guild_id, period=period, zone=zone, late=late)

    async def tick(
        self, now: datetime, send: SendDigest, *, guilds: Container[int] | None = None
    ) -> dict[int, RunOutcome]:
        """One pass of the loop over the guilds with a digest channel (those in `guilds`,
        when given: the guilds this process serves). A failing guild never stops the rest."""
        outcomes: dict[int, RunOutcome] = {}
        for settings in await self.store.digest_settings():
            if guilds is not None and settings.guild_id not in guilds:
                continue
            try:
                outcomes[settings.guild_id] = await self.run_guild(settings, now, send)
            except Exception:
                log.exception("digest of guild %s failed", settings.guild_id)
                outcomes[settings.guild_id] = RunOutcome.FAILED
        return outcomes

    async def run_guild(
        self, settings: GuildSettingsView, now: datetime, send: SendDigest
    ) -> RunOutcome:
        channel_id = settings.digest_channel_id
        if channel_id is None:
            return RunOutcome.NOT_DUE
        due = due_digest(now, schedule_of(settings))
        if due is None:
            return RunOutcome.NOT_DUE
        guild_id, period = settings.guild_id, due.period.label
        latest = await self.store.latest_digest_run(guild_id=guild_id)
        if latest is not None and latest.period == period and not _due_again(latest, now):
            return RunOutcome.TAKEN  # a read, not a write, for every tick of the week
        await self._give_up_missed(latest, due.period, now)
        attempt = await self.store.claim_digest_run(
            guild_id=guild_id,
            period=period,
            channel_id=channel_id,
            now=now,
            lease_until=now + CLAIM_LEASE,
            late=due.late,
        )
        if attempt is None:
            return RunOutcome.TAKEN
        try:
            # Cut off well inside the lease: past it, another process may post the week.
            async with asyncio.timeout(RUN_TIMEOUT.total_seconds()):
                digest = await self.build(
                    guild_id=guild_id, period=due.period, timezone=settings.timezone, late=due.late
                )
                # Drawing the chart is CPU work: keep the event loop (the gateway) free.
                message = await asyncio.to_thread(
                    digest_message, digest, quiet_line=settings.digest_quiet_line
                )
                if message is None:
                    if not await self.store.finish_digest_run(
                        guild_id=guild_id, period=period, attempt=attempt, message_id=None, now=now
                    ):
                        _log_taken_over(guild_id, period, attempt, "quiet week")
                    log.info("guild %s: quiet week %s, no digest posted", guild_id, period)
                    return RunOutcome.QUIET
                message_id = await send(channel_id, message)
        except Exception as exc:
            retry_at = now + retry_delay(attempt)
            reason = _failure_reason(exc)
            if not await self.store.fail_digest_run(
                guild_id=guild_id, period=period, attempt=attempt, error=reason, retry_at=retry_at
            ):
                _log_taken_over(guild_id, period, attempt, f"failure ({reason})")
            if isinstance(exc, DeliveryError):
                log.warning(
                    "guild %s: digest %s not posted in channel %s (attempt %d, retry at %s): %s",
                    guild_id,
                    period,
                    channel_id,
                    attempt,
                    retry_at.isoformat(),
                    exc,
                )
                return RunOutcome.FAILED
            raise
        if not await self.store.finish_digest_run(
            guild_id=guild_id, period=period, attempt=attempt, message_id=message_id, now=now
        ):
            _log_taken_over(guild_id, period, attempt, f"post (message {message_id})")
        log.info(
            "guild %s: digest %s posted in channel %s%s",
            guild_id,
            period,
            channel_id,
            " (late)" if due.late else "",
        )
        return RunOutcome.POSTED

    async def _give_up_missed(
        self, latest: DigestRunView | None, due: IsoWeek, now: datetime
    ) -> None:
        """Digests older than the due one are over: the next period has begun. Record the
        skip of a failed one, or of a claimed one whose process died (so it stops being
        retried), and log every skipped period. A live claim is left to its process: it is
        posting that week late right now."""
        if latest is None or latest.period >= due.label:
            return
        guild_id = latest.guild_id
        last = IsoWeek.parse(latest.period)
        missed = weeks_between(last, due)
        if latest.status == "failed" or _due_again(latest, now):
            await self.store.skip_digest_run(guild_id=guild_id, period=latest.period, now=now)
            missed.insert(0, last)
        if missed:
            log.warning(
                "guild %s: digest(s) %s skipped: the next period began before they were posted",
                guild_id,
                ", ".join(week.label for week in missed[:8]) + (" …" if len(missed) > 8 else ""),
            )
