"""Digest claim leases for claims written before leases existed: a run left "claimed" with
no lease end (`retry_at` NULL; its process was stopped, e.g. killed at the upgrade) was
never taken over. Give it a lease ending ten minutes after this migration (its process may
still be finishing), after which the normal take-over applies.

Revision ID: 0009_digest_claim_leases
Revises: 0008_auto_extract_cursor
Create Date: 2026-11-26 17:00:00+00:00

"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from bot.store._types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = "0009_digest_claim_leases"
down_revision: str | Sequence[str] | None = "0008_auto_extract_cursor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# bot.digest.runner.CLAIM_LEASE when this revision was written (a migration must not
# change meaning when the code does, so it is not imported).
LEASE = timedelta(minutes=10)

# The columns this revision reads and writes, as they are at this revision. `retry_at` is
# typed UtcDateTime so the bound value is stored the way the store stores it: naive UTC
# text on SQLite (compared as text with the store's own values), timestamptz on PostgreSQL.
_digest_run = sa.table(
    "digest_run",
    sa.column("status", sa.String(16)),
    sa.column("retry_at", UtcDateTime()),
)


def upgrade() -> None:
    lease_until = datetime.now(UTC) + LEASE
    op.execute(
        sa.update(_digest_run)
        .where(_digest_run.c.status == "claimed", _digest_run.c.retry_at.is_(None))
        .values(retry_at=lease_until)
    )


def downgrade() -> None:
    # Nothing to undo: the lease ends are valid data at the previous revision too (its code
    # reads retry_at of a claimed run as its lease end), and which rows had none before
    # is not recorded. Clearing them would make those runs stuck again.
    pass
