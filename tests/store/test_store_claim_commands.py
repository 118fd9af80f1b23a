"""Store methods added for the Discord commands (issue 5): `stats_since` (this week's
counts) and `get_article` (where a submission was answered), on every database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import NotFound
from bot.store.models import ClaimStatus
from bot.store.service import ClaimStore
from tests.store.conftest import make_article, submit

GUILD = 1_234_567_890_123_456_789
OTHER_GUILD = 987_654_321_098_765_432


async def test_stats_since_counts_only_claims_created_from_then(store: ClaimStore) -> None:
    await submit(store, GUILD, "Exports rose 4 percent in 2024.", "Rents fell 2 percent in May.")
    await submit(store, OTHER_GUILD, "The dam holds 9 million cubic metres.")
    await store.set_status(
        guild_id=GUILD, number=2, status="disputed", moderator_id=1, moderator_name="m"
    )
    now = datetime.now(UTC)
    recent = await store.stats_since(guild_id=GUILD, since=now - timedelta(hours=1))
    assert recent[ClaimStatus.PENDING] == 1
    assert recent[ClaimStatus.DISPUTED] == 1
    assert set(recent) == set(ClaimStatus)  # every status present, zeros included
    future = await store.stats_since(guild_id=GUILD, since=now + timedelta(hours=1))
    assert sum(future.values()) == 0


async def test_get_article_returns_where_it_was_answered(store: ClaimStore) -> None:
    text, candidates = make_article("Exports rose 4 percent in 2024.")
    outcome = await store.submit_article(
        guild_id=GUILD,
        source="paste",
        title=None,
        text=text,
        submitter_id=5,
        submitter_name="Ada",
        channel_id=2**62,
        message_id=2**62 + 7,
        candidates=candidates,
    )
    article = await store.get_article(guild_id=GUILD, article_id=outcome.article.id)
    assert (article.channel_id, article.message_id) == (2**62, 2**62 + 7)
    assert article.length == len(text)
    with pytest.raises(NotFound):
        await store.get_article(guild_id=OTHER_GUILD, article_id=outcome.article.id)
