"""ClaimStore.find_article_by_url: re-submitting a link reuses the stored article."""

from __future__ import annotations

from sqlalchemy import inspect

from bot.store.service import ClaimStore
from tests.store.conftest import submit

GUILD = 1_234_567_890_123_456_789
OTHER_GUILD = 987_654_321_098_765_432
LINK = "https://news.example/2026/11/budget?id=7"
SENTENCE = "The city budget grew by 12 percent in 2025."


async def test_a_stored_link_is_found_with_its_text(store: ClaimStore) -> None:
    outcome = await submit(store, GUILD, SENTENCE, source=LINK)
    found = await store.find_article_by_url(guild_id=GUILD, url=LINK)
    assert found is not None
    assert found.id == outcome.article.id
    assert found.source == LINK
    assert await store.get_article_text(guild_id=GUILD, article_id=found.id) == SENTENCE


async def test_the_newest_submission_of_a_link_is_returned(store: ClaimStore) -> None:
    await submit(store, GUILD, SENTENCE, source=LINK)
    newer = await submit(store, GUILD, SENTENCE, "Unemployment fell to 3.9 percent.", source=LINK)
    found = await store.find_article_by_url(guild_id=GUILD, url=LINK)
    assert found is not None
    assert found.id == newer.article.id


async def test_links_are_per_guild_and_matched_exactly(store: ClaimStore) -> None:
    await submit(store, GUILD, SENTENCE, source=LINK)
    assert await store.find_article_by_url(guild_id=OTHER_GUILD, url=LINK) is None
    assert await store.find_article_by_url(guild_id=GUILD, url=LINK + "&page=2") is None
    assert await store.find_article_by_url(guild_id=GUILD, url="paste") is None
    # Surrounding spaces are not part of a link (submit_article strips them too).
    assert await store.find_article_by_url(guild_id=GUILD, url=f"  {LINK} ") is not None


async def test_the_lookup_has_an_index(store: ClaimStore) -> None:
    async with store.engine.connect() as connection:
        indexes = await connection.run_sync(lambda sync: inspect(sync).get_indexes("article"))
    assert ["guild_id", "source"] in [index["column_names"] for index in indexes]
