"""Known claims (issue 8).

- Who publishes a guild's verdicts as schema.org ClaimReview (`claimbot export --format
  claimreview`, `/claims export`): the author's name and URL, and an optional template for
  each review's own URL ("https://example.org/claims/{number}"). All nullable: a guild that
  never configured them exports under a neutral default author.
- Repeats: a claim may point at the earlier claim of the guild that says the same thing
  (`match_number`), `exact` (near-certain, or confirmed by a moderator) or `likely` (a
  suggestion waiting for a moderator).

Revision ID: 0006_known_claims
Revises: 0005_claim_messages
Create Date: 2026-11-26 13:00:00+00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006_known_claims"
down_revision: str | Sequence[str] | None = "0005_claim_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHER_COLUMNS = ("review_author_name", "review_author_url", "review_url_template")


def upgrade() -> None:
    with op.batch_alter_table("guild_settings") as batch:
        for name in PUBLISHER_COLUMNS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=True))
    # Plain ADD COLUMNs: a batch "move and copy" of `claim` on SQLite would drop its
    # full-text triggers (the kind is checked by ClaimStore instead of a CHECK constraint).
    op.add_column("claim", sa.Column("match_number", sa.Integer(), nullable=True))
    op.add_column("claim", sa.Column("match_kind", sa.String(8), nullable=True))


def downgrade() -> None:
    op.drop_column("claim", "match_kind")
    op.drop_column("claim", "match_number")
    with op.batch_alter_table("guild_settings") as batch:
        for name in reversed(PUBLISHER_COLUMNS):
            batch.drop_column(name)
