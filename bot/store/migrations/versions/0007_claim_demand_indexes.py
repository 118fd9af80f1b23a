"""Sorting by demand (issue 8): `/claims list sort:most submitted` and the digest's review
queue order claims by how often they were submitted (`times_submitted`), ties newest first.
One index per query shape, so the database walks the index in order and stops after a page
instead of sorting every claim of the guild.

Revision ID: 0007_claim_demand_indexes
Revises: 0006_known_claims
Create Date: 2026-11-26 13:20:00+00:00

"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007_claim_demand_indexes"
down_revision: str | Sequence[str] | None = "0006_known_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE INDEX (no batch): a batch copy of `claim` on SQLite would drop its
    # full-text triggers.
    op.create_index(
        "ix_claim_guild_submitted_number", "claim", ["guild_id", "times_submitted", "number"]
    )
    op.create_index(
        "ix_claim_guild_status_submitted_number",
        "claim",
        ["guild_id", "status", "times_submitted", "number"],
    )


def downgrade() -> None:
    op.drop_index("ix_claim_guild_status_submitted_number", table_name="claim")
    op.drop_index("ix_claim_guild_submitted_number", table_name="claim")
