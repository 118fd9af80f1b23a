"""Auto-extract catch-up: per auto-extract channel, the newest message the bot has handled,
so that articles posted while it was down are read when it starts again.

Revision ID: 0008_auto_extract_cursor
Revises: 0007_claim_demand_indexes
Create Date: 2026-11-26 16:10:00+00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store._types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = "0008_auto_extract_cursor"
down_revision: str | Sequence[str] | None = "0007_claim_demand_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auto_extract_cursor",
        sa.Column("channel_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel_id"),
    )


def downgrade() -> None:
    op.drop_table("auto_extract_cursor")
