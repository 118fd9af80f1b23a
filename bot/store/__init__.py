"""The claim store: tables, migrations and the async `ClaimStore` service (the only way in)."""

from bot.store.migrate import upgrade_database
from bot.store.models import ClaimStatus
from bot.store.service import ClaimOrder, ClaimStore, open_store
from bot.store.views import (
    ArticleView,
    ClaimView,
    GuildSettingsView,
    StatusChangeView,
    SubmitOutcome,
    SubmittedClaim,
)

__all__ = [
    "ArticleView",
    "ClaimOrder",
    "ClaimStatus",
    "ClaimStore",
    "ClaimView",
    "GuildSettingsView",
    "StatusChangeView",
    "SubmitOutcome",
    "SubmittedClaim",
    "open_store",
    "upgrade_database",
]
