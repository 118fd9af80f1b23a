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
class GuildSettingsView:
    guild_id: int
    moderator_role_ids: tuple[int, ...]
    digest_channel_id: int | None
    digest_weekday: int  # 0 = Monday
    digest_local_time: time
    timezone: str  # IANA name, e.g. "Europe/Berlin"
    auto_extract_channel_ids: tuple[int, ...]
    score_threshold: float | None  # None: the extractor's own default
