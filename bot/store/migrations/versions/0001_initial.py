"""Initial schema: articles, claims with their audit trail, guild settings, digest runs,
and full-text search over claims (SQLite FTS5 / PostgreSQL tsvector + GIN).

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-26 12:00:00+00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401

from bot.store._types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = "0001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUSES = "'pending', 'verified', 'disputed', 'inconclusive', 'dismissed'"

# SQLite: an external-content FTS5 table (the text lives once, in `claim`) kept in step by
# triggers. The update trigger fires only when searchable columns change, so a status
# change costs no index work. Porter stemming matches PostgreSQL's 'english' configuration.
_SQLITE_FTS = [
    """CREATE VIRTUAL TABLE claim_fts USING fts5(
        text, sentence, claimant,
        content='claim', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER claim_fts_after_insert AFTER INSERT ON claim BEGIN
        INSERT INTO claim_fts(rowid, text, sentence, claimant)
        VALUES (new.id, new.text, new.sentence, new.claimant);
    END""",
    """CREATE TRIGGER claim_fts_after_delete AFTER DELETE ON claim BEGIN
        INSERT INTO claim_fts(claim_fts, rowid, text, sentence, claimant)
        VALUES ('delete', old.id, old.text, old.sentence, old.claimant);
    END""",
    """CREATE TRIGGER claim_fts_after_update AFTER UPDATE OF text, sentence, claimant ON claim
    BEGIN
        INSERT INTO claim_fts(claim_fts, rowid, text, sentence, claimant)
        VALUES ('delete', old.id, old.text, old.sentence, old.claimant);
        INSERT INTO claim_fts(rowid, text, sentence, claimant)
        VALUES (new.id, new.text, new.sentence, new.claimant);
    END""",
]
_SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS claim_fts_after_update",
    "DROP TRIGGER IF EXISTS claim_fts_after_delete",
    "DROP TRIGGER IF EXISTS claim_fts_after_insert",
    "DROP TABLE IF EXISTS claim_fts",
]

# PostgreSQL: a generated tsvector column (always in step, no triggers) with a GIN index.
_POSTGRES_FTS = [
    """ALTER TABLE claim ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig,
            coalesce(text, '') || ' ' || coalesce(sentence, '') || ' ' || coalesce(claimant, ''))
    ) STORED""",
    "CREATE INDEX ix_claim_search_vector ON claim USING gin (search_vector)",
]
_POSTGRES_FTS_DROP = [
    "DROP INDEX IF EXISTS ix_claim_search_vector",
    "ALTER TABLE claim DROP COLUMN IF EXISTS search_vector",
]


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("submitter_id", sa.BigInteger(), nullable=True),
        sa.Column("submitter_name", sa.Text(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_article_guild_id", "article", ["guild_id"])

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("article.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("sentence_hash", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("claimant", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("times_submitted", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("status_changed_by_id", sa.BigInteger(), nullable=True),
        sa.Column("status_changed_by_name", sa.Text(), nullable=True),
        sa.UniqueConstraint("guild_id", "number", name="uq_claim_guild_number"),
        sa.UniqueConstraint("guild_id", "sentence_hash", name="uq_claim_guild_sentence"),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="ck_claim_status"),
    )
    op.create_index("ix_claim_article_id", "claim", ["article_id"])
    op.create_index("ix_claim_guild_status_number", "claim", ["guild_id", "status", "number"])

    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "claim_id", sa.Integer(), sa.ForeignKey("claim.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("moderator_id", sa.BigInteger(), nullable=True),
        sa.Column("moderator_name", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("evidence_url", sa.Text(), nullable=True),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_status_change_claim_id", "status_change", ["claim_id"])

    op.create_table(
        "guild_claim_counter",
        sa.Column("guild_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )

    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("moderator_role_ids", sa.JSON(), nullable=False),
        sa.Column("digest_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("digest_weekday", sa.Integer(), nullable=False),
        sa.Column("digest_local_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("auto_extract_channel_ids", sa.JSON(), nullable=False),
        sa.Column("score_threshold", sa.Float(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )

    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("guild_id", "period", name="uq_digest_run_guild_period"),
    )

    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_FTS if dialect == "sqlite" else _POSTGRES_FTS:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_FTS_DROP if dialect == "sqlite" else _POSTGRES_FTS_DROP:
        op.execute(statement)
    op.drop_table("digest_run")
    op.drop_table("guild_settings")
    op.drop_table("guild_claim_counter")
    op.drop_index("ix_status_change_claim_id", table_name="status_change")
    op.drop_table("status_change")
    op.drop_index("ix_claim_guild_status_number", table_name="claim")
    op.drop_index("ix_claim_article_id", table_name="claim")
    op.drop_table("claim")
    op.drop_index("ix_article_guild_id", table_name="article")
    op.drop_table("article")
