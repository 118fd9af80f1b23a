"""`/claims submit url:` end to end: a realistic article page served on loopback (so the bot
runs with ALLOW_PRIVATE_URLS=true), re-submission without a second fetch, and refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.store import ClaimStore
from tests.e2e.claims_support import guild_id
from tests.e2e.conftest import BotHarness
from tests.fakediscord import FakeDiscord
from tests.ingest import pages

TITLE = "Council passes record budget"


@dataclass
class ArticleSite:
    base: str
    requests: list[str] = field(default_factory=list)  # paths asked for, in order

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
async def site() -> AsyncIterator[ArticleSite]:
    served = ArticleSite(base="")

    async def article(request: web.Request) -> web.Response:
        served.requests.append(request.path)
        return web.Response(text=pages.article_html(TITLE), content_type="text/html")

    async def missing(request: web.Request) -> web.Response:
        served.requests.append(request.path)
        return web.Response(status=404, text="<h1>Not found</h1>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/news/budget", article)
    app.router.add_get("/news/gone", missing)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    served.base = f"http://127.0.0.1:{port}"
    try:
        yield served
    finally:
        await runner.cleanup()


async def test_a_link_is_read_and_its_claims_keep_the_link_as_source(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore, site: ArticleSite
) -> None:
    await harness.start(allow_private_urls=True)
    link = site.url("/news/budget")
    answer = await fake.slash("claims submit", user="reader", url=link)
    assert answer.callback_type == 5  # deferred before fetching
    assert not answer.ephemeral
    assert answer.embed["title"] == f"Claims from {TITLE}"
    assert f"[article]({link})" in answer.embed["description"]
    assert "claims from" in answer.embed["description"]
    claims = await store.list_claims(guild_id=guild_id(fake))
    assert claims
    assert {claim.source for claim in claims} == {link}
    article = await store.get_article(guild_id=guild_id(fake), article_id=claims[0].article_id)
    assert (article.source, article.title) == (link, TITLE)
    text = await store.get_article_text(guild_id=guild_id(fake), article_id=article.id)
    assert "412 million euros" in text
    assert not any(boiler in text for boiler in pages.BOILERPLATE)  # navigation, ads, comments
    shown = await fake.slash("claims show", user="reader", number=claims[-1].number)
    assert link in shown.text


async def test_the_same_link_again_reuses_the_stored_article(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore, site: ArticleSite
) -> None:
    await harness.start(allow_private_urls=True)
    link = site.url("/news/budget")
    first = await fake.slash("claims submit", user="reader", url=link)
    count = await store.count_claims(guild_id=guild_id(fake))
    again = await fake.slash("claims submit", user="moderator", url=link)
    assert site.requests == ["/news/budget"]  # fetched once
    assert await store.count_claims(guild_id=guild_id(fake)) == count
    assert "already #1" in again.embed["description"]
    assert again.embed["title"] == first.embed["title"]


async def test_a_private_address_is_refused_when_the_setting_is_off(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore, site: ArticleSite
) -> None:
    await harness.start()  # ALLOW_PRIVATE_URLS defaults to false
    answer = await fake.slash("claims submit", user="reader", url=site.url("/news/budget"))
    assert answer.ephemeral
    assert "only fetches public pages" in answer.content, answer.content
    assert "127.0.0.1" in answer.content
    assert answer.interaction.original_deleted  # no public "thinking…" left behind
    assert site.requests == []
    assert await store.count_claims(guild_id=guild_id(fake)) == 0


async def test_refusals_are_short_private_messages(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore, site: ArticleSite
) -> None:
    await harness.start(allow_private_urls=True)
    cases = [
        (site.url("/news/gone"), "404"),
        ("ftp://files.example/article.txt", "http"),
    ]
    for link, reason in cases:
        answer = await fake.slash("claims submit", user="reader", url=link)
        assert answer.ephemeral
        assert reason in answer.content, answer.content
        assert len(answer.content) < 300
    both = await fake.slash("claims submit", user="reader", url=site.url("/a"), text="words")
    assert both.ephemeral
    assert "not several" in both.content
    assert await store.count_claims(guild_id=guild_id(fake)) == 0
