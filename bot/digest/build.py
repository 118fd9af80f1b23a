"""The digest's data, built from what the store aggregated: pure, no I/O.

`Digest.to_json()` is the contract of `claimbot digest --format json`: `period`,
`submitted` {articles, claims}, `settled` {status: count}, `verified` and `disputed` lists,
`queue`, plus `history` (the chart's numbers). Fields are only ever added
(`queue.most_submitted`, `times_submitted` of queued claims), never renamed: scripts read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.digest.periods import IsoWeek
from bot.store.models import ClaimStatus
from bot.store.views import DigestClaimView, DigestFacts

# How many newly verified / disputed claims a digest names ("and N more" for the rest),
# and how many pending claims of each queue view it shows.
LIST_CAP = 5
QUEUE_SIZE = 5
HISTORY_WEEKS = 8
SETTLED_STATUSES = tuple(status for status in ClaimStatus if status is not ClaimStatus.PENDING)


def jump_url(guild_id: int, channel_id: int | None, message_id: int | None) -> str | None:
    """A link to the message the claim's article came from (None for CLI submissions)."""
    if channel_id is None or message_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


@dataclass(frozen=True, slots=True)
class SettledItem:
    number: int
    text: str
    moderator: str | None
    evidence_url: str | None
    changed_at: datetime | None
    jump_url: str | None


@dataclass(frozen=True, slots=True)
class QueueItem:
    number: int
    text: str
    score: float
    submitted_at: datetime
    jump_url: str | None
    times_submitted: int = 1


@dataclass(frozen=True, slots=True)
class WeekCounts:
    period: IsoWeek
    counts: dict[ClaimStatus, int]  # claims submitted that week, by current status

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Digest:
    guild_id: int
    period: IsoWeek
    timezone: str
    since: datetime  # UTC, inclusive
    until: datetime  # UTC, exclusive
    articles: int
    claims: int
    settled: dict[ClaimStatus, int]  # every settled status, zeros included
    verified: tuple[SettledItem, ...]
    disputed: tuple[SettledItem, ...]
    pending_total: int
    oldest_pending: tuple[QueueItem, ...]
    top_pending: tuple[QueueItem, ...]
    history: tuple[WeekCounts, ...]  # oldest first, ending with `period`
    late: bool = False
    # Pending claims submitted more than once, most first: what readers keep asking about.
    most_submitted: tuple[QueueItem, ...] = ()

    @property
    def settled_total(self) -> int:
        return sum(self.settled.values())

    @property
    def verified_more(self) -> int:
        return self.settled[ClaimStatus.VERIFIED] - len(self.verified)

    @property
    def disputed_more(self) -> int:
        return self.settled[ClaimStatus.DISPUTED] - len(self.disputed)

    @property
    def quiet(self) -> bool:
        """Nothing came in and nothing was settled (the queue may still hold claims)."""
        return self.articles == 0 and self.claims == 0 and self.settled_total == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "guild_id": self.guild_id,
            "period": self.period.label,
            "timezone": self.timezone,
            "from": self.since.isoformat(),
            "until": self.until.isoformat(),
            "late": self.late,
            "quiet": self.quiet,
            "submitted": {"articles": self.articles, "claims": self.claims},
            "settled": {status.value: count for status, count in self.settled.items()},
            "verified": [_settled_json(item) for item in self.verified],
            "verified_more": self.verified_more,
            "disputed": [_settled_json(item) for item in self.disputed],
            "disputed_more": self.disputed_more,
            "queue": {
                "pending": self.pending_total,
                "oldest": [_queue_json(item) for item in self.oldest_pending],
                "top_scored": [_queue_json(item) for item in self.top_pending],
                "most_submitted": [_queue_json(item) for item in self.most_submitted],
            },
            "history": [
                {
                    "period": week.period.label,
                    "counts": {status.value: n for status, n in week.counts.items()},
                }
                for week in self.history
            ],
        }


def history_weeks(period: IsoWeek, weeks: int = HISTORY_WEEKS) -> list[IsoWeek]:
    """The chart's weeks: the `weeks` weeks ending with `period`, oldest first."""
    return [period.shifted(offset) for offset in range(1 - weeks, 1)]


def history_windows(
    period: IsoWeek, zone: ZoneInfo, weeks: int = HISTORY_WEEKS
) -> list[tuple[datetime, datetime]]:
    return [week.bounds(zone) for week in history_weeks(period, weeks)]


def build_digest(
    facts: DigestFacts,
    *,
    guild_id: int,
    period: IsoWeek,
    zone: ZoneInfo,
    late: bool = False,
) -> Digest:
    """The digest of `period` from the store's facts (asked for with `history_windows`)."""
    since, until = period.bounds(zone)
    weeks = history_weeks(period, len(facts.history))
    return Digest(
        guild_id=guild_id,
        period=period,
        timezone=zone.key,
        since=since,
        until=until,
        articles=facts.articles_submitted,
        claims=facts.claims_submitted,
        settled={status: facts.settled.get(status, 0) for status in SETTLED_STATUSES},
        verified=_settled_items(guild_id, facts.newly_verified),
        disputed=_settled_items(guild_id, facts.newly_disputed),
        pending_total=facts.pending_total,
        oldest_pending=_queue_items(guild_id, facts.oldest_pending),
        top_pending=_queue_items(guild_id, facts.top_pending),
        history=tuple(
            WeekCounts(week, {status: counts.get(status, 0) for status in ClaimStatus})
            for week, counts in zip(weeks, facts.history, strict=True)
        ),
        late=late,
        most_submitted=_queue_items(guild_id, facts.most_submitted_pending),
    )


def _settled_items(guild_id: int, claims: Sequence[DigestClaimView]) -> tuple[SettledItem, ...]:
    return tuple(
        SettledItem(
            number=claim.number,
            text=claim.text,
            moderator=claim.moderator_name,
            evidence_url=claim.evidence_url,
            changed_at=claim.changed_at,
            jump_url=jump_url(guild_id, claim.channel_id, claim.message_id),
        )
        for claim in claims
    )


def _queue_items(guild_id: int, claims: Sequence[DigestClaimView]) -> tuple[QueueItem, ...]:
    return tuple(
        QueueItem(
            number=claim.number,
            text=claim.text,
            score=claim.score,
            submitted_at=claim.created_at,
            jump_url=jump_url(guild_id, claim.channel_id, claim.message_id),
            times_submitted=claim.times_submitted,
        )
        for claim in claims
    )


def _settled_json(item: SettledItem) -> dict[str, Any]:
    return {
        "number": item.number,
        "text": item.text,
        "moderator": item.moderator,
        "evidence_url": item.evidence_url,
        "changed_at": item.changed_at.isoformat() if item.changed_at else None,
        "jump_url": item.jump_url,
    }


def _queue_json(item: QueueItem) -> dict[str, Any]:
    return {
        "number": item.number,
        "text": item.text,
        "score": round(item.score, 4),
        "submitted_at": item.submitted_at.isoformat(),
        "jump_url": item.jump_url,
        "times_submitted": item.times_submitted,
    }
