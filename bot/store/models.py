"""The tables. Created and changed only by the Alembic migrations in `bot/store/migrations`.

Discord ids are 64-bit, hence BigInteger. Users see a claim's per-guild `number`; the `id`
primary key stays internal. Nothing outside `bot.store` touches these classes: the
`ClaimStore` hands out immutable views instead.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from bot.store._types import UtcDateTime, utc_now


class ClaimStatus(StrEnum):
    """Where a claim is in the review workflow. `pending` until a moderator decides."""

    PENDING = "pending"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    INCONCLUSIVE = "inconclusive"
    DISMISSED = "dismissed"


STATUS_VALUES = tuple(status.value for status in ClaimStatus)
_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{value}'" for value in STATUS_VALUES))


def _created_at() -> Any:
    return Field(default_factory=utc_now, sa_type=UtcDateTime, nullable=False)


class Article(SQLModel, table=True):
    __tablename__ = "article"

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=BigInteger, nullable=False, index=True)
    source: str = Field(sa_type=Text, nullable=False)  # a URL, "paste" or "file"
    title: str | None = Field(default=None, sa_type=Text)
    text: str = Field(sa_type=Text, nullable=False)
    content_hash: str = Field(sa_type=String(64), nullable=False)
    submitter_id: int | None = Field(default=None, sa_type=BigInteger)
    submitter_name: str = Field(sa_type=Text, nullable=False)
    channel_id: int | None = Field(default=None, sa_type=BigInteger)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = _created_at()

    # The weekly digest counts a guild's articles submitted in a time range.
    __table_args__ = (
        Index("ix_article_guild_created", "guild_id", "created_at"),
        # Re-submitting a link finds the stored article (ClaimStore.find_article_by_url).
        Index("ix_article_guild_source", "guild_id", "source"),
    )


class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    __table_args__ = (
        UniqueConstraint("guild_id", "number", name="uq_claim_guild_number"),
        # A sentence is a claim once per guild; a repeat submission counts, not duplicates.
        UniqueConstraint("guild_id", "sentence_hash", name="uq_claim_guild_sentence"),
        # "Newest pending first" is the moderators' main view.
        Index("ix_claim_guild_status_number", "guild_id", "status", "number"),
        # The weekly digest counts claims submitted per week by status (a covering index),
        # and lists the best-scored pending claims.
        Index("ix_claim_guild_created_status", "guild_id", "created_at", "status"),
        Index("ix_claim_guild_status_score", "guild_id", "status", "score"),
        # Most submitted first (demand), ties newest first: `/claims list` and the digest.
        Index("ix_claim_guild_submitted_number", "guild_id", "times_submitted", "number"),
        Index(
            "ix_claim_guild_status_submitted_number",
            "guild_id",
            "status",
            "times_submitted",
            "number",
        ),
        CheckConstraint(_STATUS_CHECK, name="ck_claim_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=BigInteger, nullable=False)
    number: int = Field(sa_type=Integer, nullable=False)
    article_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    text: str = Field(sa_type=Text, nullable=False)
    sentence: str = Field(sa_type=Text, nullable=False)
    sentence_hash: str = Field(sa_type=String(64), nullable=False)
    start: int = Field(nullable=False)
    end: int = Field(nullable=False)
    score: float = Field(sa_type=Float, nullable=False)
    claimant: str | None = Field(default=None, sa_type=Text)
    kind: str = Field(sa_type=String(32), nullable=False)
    status: str = Field(default=ClaimStatus.PENDING.value, sa_type=String(16), nullable=False)
    times_submitted: int = Field(default=1, nullable=False)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()
    status_changed_by_id: int | None = Field(default=None, sa_type=BigInteger)
    status_changed_by_name: str | None = Field(default=None, sa_type=Text)
    # The earlier claim of the guild saying the same thing (bot/known/repeats.py): "exact"
    # (near-certain, or confirmed by a moderator) or "likely" (a suggestion to confirm).
    match_number: int | None = Field(default=None, sa_type=Integer)
    match_kind: str | None = Field(default=None, sa_type=String(8))


class StatusChange(SQLModel, table=True):
    """Append-only audit trail: one row per status change, never updated or deleted."""

    __tablename__ = "status_change"
    # The weekly digest reads the changes of one week.
    __table_args__ = (Index("ix_status_change_changed_at", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claim.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    from_status: str = Field(sa_type=String(16), nullable=False)
    to_status: str = Field(sa_type=String(16), nullable=False)
    moderator_id: int | None = Field(default=None, sa_type=BigInteger)
    moderator_name: str = Field(sa_type=Text, nullable=False)
    note: str | None = Field(default=None, sa_type=Text)
    evidence_url: str | None = Field(default=None, sa_type=Text)
    changed_at: datetime = _created_at()


class ClaimMessage(SQLModel, table=True):
    """A message of the bot that lists a claim (a submission's answer pages, a repeat's
    answer): a status change edits every one of them. Keyed by claim first, since that is
    how they are looked up."""

    __tablename__ = "claim_message"

    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    message_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    channel_id: int = Field(sa_type=BigInteger, nullable=False)


class GuildClaimCounter(SQLModel, table=True):
    """The last claim number handed out per guild; locked while numbers are allocated."""

    __tablename__ = "guild_claim_counter"

    guild_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    last_number: int = Field(default=0, nullable=False)


class GuildSettings(SQLModel, table=True):
    __tablename__ = "guild_settings"

    guild_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    moderator_role_ids: list[int] = Field(default_factory=list, sa_type=JSON, nullable=False)
    digest_channel_id: int | None = Field(default=None, sa_type=BigInteger)
    digest_weekday: int = Field(default=0, nullable=False)  # 0 = Monday, as in datetime
    digest_local_time: str = Field(default="09:00", sa_type=String(5), nullable=False)
    timezone: str = Field(default="UTC", sa_type=String(64), nullable=False)  # IANA name
    # A week without news: post a one-line digest (True) or nothing at all (False).
    digest_quiet_line: bool = Field(default=True, nullable=False)
    auto_extract_channel_ids: list[int] = Field(default_factory=list, sa_type=JSON, nullable=False)
    score_threshold: float | None = Field(default=None, sa_type=Float)
    # Who publishes the guild's verdicts as schema.org ClaimReview (bot/known/claimreview.py);
    # the template makes each review's URL, e.g. "https://example.org/claims/{number}".
    review_author_name: str | None = Field(default=None, sa_type=Text)
    review_author_url: str | None = Field(default=None, sa_type=Text)
    review_url_template: str | None = Field(default=None, sa_type=Text)
    updated_at: datetime = _created_at()


class AutoExtractCursor(SQLModel, table=True):
    """Per auto-extract channel, the newest message the bot has handled there: after a
    restart it reads the channel's history from here on (cogs/auto_extract.py). It only
    ever moves forward (`ClaimStore.advance_auto_extract_cursor`)."""

    __tablename__ = "auto_extract_cursor"

    channel_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    guild_id: int = Field(sa_type=BigInteger, nullable=False)
    message_id: int = Field(sa_type=BigInteger, nullable=False)
    updated_at: datetime = _created_at()


class DigestRun(SQLModel, table=True):
    """One row per digest period of a guild: the unique key makes "post once" atomic.

    `status`: claimed (being sent) -> posted | failed (refused; retried from `retry_at`) |
    skipped (a quiet week, or its time passed while the bot was down). A claim is a lease
    ending at `retry_at`: if its process dies, the run is claimed again once the lease runs
    out (or skipped if its week has passed), see bot/digest/runner.py.
    """

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("guild_id", "period", name="uq_digest_run_guild_period"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=BigInteger, nullable=False)
    period: str = Field(sa_type=String(32), nullable=False)  # e.g. "2026-W48"
    channel_id: int | None = Field(default=None, sa_type=BigInteger)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = _created_at()
    status: str = Field(default="claimed", sa_type=String(16), nullable=False)
    attempts: int = Field(default=0, nullable=False)
    late: bool = Field(default=False, nullable=False)
    posted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    retry_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    # When admins were shown `last_error` (on their next digest command); None: not yet.
    error_reported_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
