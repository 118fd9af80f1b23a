"""Where each claim is shown: one row per (claim, message) for every answer message of the
bot that lists the claim, so a status change can edit all of them (not only the first
answer message of a submission, which `article.message_id` keeps).

Revision ID: 0005_claim_messages
Revises: 0004_article_source_index
Create Date: 2026-11-26 13:00:00+00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005_claim_messages"
down_revision: str | Sequence[str] | None = "0004_article_source_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_message",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id", "message_id"),
    )
    op.execute(
        """
        INSERT INTO claim_message (claim_id, message_id, channel_id)
        SELECT claim.id, article.message_id, article.channel_id
        FROM claim JOIN article ON article.id = claim.article_id
        WHERE article.message_id IS NOT NULL AND article.channel_id IS NOT NULL
        """
    )


def downgrade() -> None:
    op.drop_table("claim_message")
