"""Weekly digest: the state of each digest run (claimed, posted, failed, skipped; attempts,
lateness, the last error and whether admins saw it), the quiet-week setting, and indexes
for counting a week's articles, claims and status changes.

Revision ID: 0003_digest_runs
Revises: 0001_initial
Create Date: 2026-11-26 12:40:00+00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401

from bot.store._types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = "0003_digest_runs"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digest_run") as batch:
        # Rows written before this revision were posted digests.
        batch.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="posted")
        )
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(
            sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("posted_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("retry_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("error_reported_at", UtcDateTime(), nullable=True))
    with op.batch_alter_table("guild_settings") as batch:
        batch.add_column(
            sa.Column("digest_quiet_line", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_index("ix_article_guild_created", "article", ["guild_id", "created_at"])
    op.create_index(
        "ix_claim_guild_created_status", "claim", ["guild_id", "created_at", "status"]
    )
    op.create_index("ix_claim_guild_status_score", "claim", ["guild_id", "status", "score"])
    op.create_index("ix_status_change_changed_at", "status_change", ["changed_at"])


def downgrade() -> None:
    op.drop_index("ix_status_change_changed_at", table_name="status_change")
    op.drop_index("ix_claim_guild_status_score", table_name="claim")
    op.drop_index("ix_claim_guild_created_status", table_name="claim")
    op.drop_index("ix_article_guild_created", table_name="article")
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("digest_quiet_line")
    with op.batch_alter_table("digest_run") as batch:
        for name in (
            "error_reported_at", "last_error", "retry_at", "posted_at", "late", "attempts",
            "status",
        ):
            batch.drop_column(name)
