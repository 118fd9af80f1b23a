"""A link submitted again in the same guild is read from the store, not fetched again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ingest import read_link_for_guild, read_source_text
from bot.ingest.errors import UnsupportedLink
from bot.settings import Settings
from bot.store.service import ClaimStore, open_store
from tests.ingest.conftest import PUBLIC_ADDRESS, PageServer, ToLoopback, public_resolver
from tests.ingest.pages import ARTICLE_SENTENCES

GUILD = 1_234_567_890_123_456_789
OTHER_GUILD = 42
LINK = "http://news.example/article"
SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[ClaimStore]:
    opened = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'claims.db'}")
    yield opened
    await opened.close()


async def test_the_second_submission_reuses_the_stored_article(
    store: ClaimStore, public_client: tuple[httpx.AsyncClient, ToLoopback]
) -> None:
    client, transport = public_client
    first = await read_link_for_guild(
        LINK,
        guild_id=GUILD,
        store=store,
        settings=SETTINGS,
        client=client,
        resolver=public_resolver,
    )
    assert first.reused_article_id is None
    assert first.source_label == LINK
    outcome = await store.submit_article(
        guild_id=GUILD,
        source=first.source_label,
        title=first.title,
        text=first.text,
        submitter_id=1,
        submitter_name="Ada",
        candidates=[],
    )

    again = await read_source_text(
        LINK,
        settings=SETTINGS,
        client=client,
        resolver=public_resolver,
        store=store,
        guild_id=GUILD,
    )
    assert again.reused_article_id == outcome.article.id
    assert (again.text, again.title) == (first.text, first.title)
    assert transport.seen == [(f"http://{PUBLIC_ADDRESS}/article", "news.example")]  # once

    elsewhere = await read_link_for_guild(
        LINK,
        guild_id=OTHER_GUILD,
        store=store,
        settings=SETTINGS,
        client=client,
        resolver=public_resolver,
    )
    assert elsewhere.reused_article_id is None  # another guild fetches its own copy
    assert ARTICLE_SENTENCES[0] in elsewhere.text
    assert len(transport.seen) == 2


async def test_a_refused_link_is_refused_before_the_store_is_asked(
    store: ClaimStore, page_server: PageServer
) -> None:
    with pytest.raises(UnsupportedLink):
        await read_link_for_guild(
            "file:///etc/passwd", guild_id=GUILD, store=store, settings=SETTINGS, client=None
        )
