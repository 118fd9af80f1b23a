"""Index articles by (guild, source), so re-submitting a link finds the stored article
(`ClaimStore.find_article_by_url`) without scanning the guild's articles.

Revision ID: 0004_article_source_index
Revises: 0003_digest_runs
Create Date: 2026-11-26 13:00:00+00:00

"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004_article_source_index"
down_revision: str | Sequence[str] | None = "0003_digest_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_article_guild_source", "article", ["guild_id", "source"])


def downgrade() -> None:
    op.drop_index("ix_article_guild_source", table_name="article")
