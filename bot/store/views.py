"""Immutable views the store hands out: plain data, safe to keep after the session closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.store.models import ClaimStatus


@dataclass(frozen=True, slots=True)
class ArticleView:
    id: int
    guild_id: int
    source: str
    title: str | None
    content_hash: str
    submitter_id: int | None
    submitter_name: str
    channel_id: int | None
    message_id: int | None
    created_at: datetime
    length: int  # characters of text; the text itself stays in the store


@dataclass(frozen=True, slots=True)
class ClaimView:
    guild_id: int
    number: int
    article_id: int
    source: str  # the article's URL, "paste" or "file"
    text: str
    sentence: str
    start: int
    end: int
    score: float
    claimant: str | None
    kind: str
    status: ClaimStatus
    times_submitted: int
    created_at: datetime
    updated_at: datetime
    status_changed_by_id: int | None
    status_changed_by_name: str | None
    # The earlier claim this one repeats, and how sure: "exact", "likely" or None.
    match_number: int | None = None
    match_kind: str | None = None


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message of the bot in a channel (or thread), e.g. one that lists a claim."""

    channel_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class SubmittedClaim:
    """One candidate's fate: stored as a new claim, or recognised as an existing one."""

    claim: ClaimView
    is_new: bool


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    article: ArticleView
    claims: tuple[SubmittedClaim, ...]  # in the order of the candidates given

    @property
    def new_claims(self) -> tuple[ClaimView, ...]:
        return tuple(item.claim for item in self.claims if item.is_new)

    @property
    def existing_claims(self) -> tuple[ClaimView, ...]:
        return tuple(item.claim for item in self.claims if not item.is_new)


@dataclass(frozen=True, slots=True)
class StatusChangeView:
    claim_number: int
    from_status: ClaimStatus
    to_status: ClaimStatus
    moderator_id: int | None
    moderator_name: str
    note: str | None
    evidence_url: str | None
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class SettledClaimView:
    """A claim with a verdict, and the status change that gave it (iter_settled_claims)."""

    claim: ClaimView
    settled_at: datetime
    settled_by: str
    note: str | None
    evidence_url: str | None


@dataclass(frozen=True, slots=True)
class GuildSettingsView:
    guild_id: int
    moderator_role_ids: tuple[int, ...]
    digest_channel_id: int | None
    digest_weekday: int  # 0 = Monday
    digest_local_time: time
    timezone: str  # IANA name, e.g. "Europe/Berlin"
    auto_extract_channel_ids: tuple[int, ...]
    score_threshold: float | None  # None: the extractor's own default
    # A week without news gets a one-line digest (True) or none (False).
    digest_quiet_line: bool = True
    # The ClaimReview author (None: not configured) and review URL template ("{number}").
    review_author_name: str | None = None
    review_author_url: str | None = None
    review_url_template: str | None = None


@dataclass(frozen=True, slots=True)
class DigestClaimView:
    """A claim as the weekly digest lists it, with where its article was submitted (for a
    jump link) and, for a settled claim, the change that settled it."""

    number: int
    text: str
    status: ClaimStatus
    score: float
    created_at: datetime
    channel_id: int | None
    message_id: int | None
    moderator_name: str | None = None
    evidence_url: str | None = None
    changed_at: datetime | None = None
    times_submitted: int = 1


@dataclass(frozen=True, slots=True)
class DigestFacts:
    """What the store knows about one digest period of a guild (see ClaimStore.digest_facts)."""

    articles_submitted: int
    claims_submitted: int
    settled: dict[ClaimStatus, int]  # by each claim's last change in the period; no pending
    newly_verified: tuple[DigestClaimView, ...]  # newest first, at most the cap asked for
    newly_disputed: tuple[DigestClaimView, ...]
    pending_total: int
    oldest_pending: tuple[DigestClaimView, ...]
    top_pending: tuple[DigestClaimView, ...]  # highest score first
    # One entry per history window asked for: claims submitted in it, by current status.
    history: tuple[dict[ClaimStatus, int], ...]
    # Pending claims submitted more than once, most submitted first (demand; ties newest).
    most_submitted_pending: tuple[DigestClaimView, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestRunView:
    guild_id: int
    period: str
    status: str  # claimed | posted | failed | skipped
    attempts: int
    late: bool
    channel_id: int | None
    message_id: int | None
    created_at: datetime
    posted_at: datetime | None
    retry_at: datetime | None
    last_error: str | None
    error_reported_at: datetime | None
