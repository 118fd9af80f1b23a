"""fetch_article against the loopback server: real HTTP, real redirects, real limits."""

from __future__ import annotations

import time

import httpx
import pytest

from bot.ingest import MAX_REDIRECTS, USER_AGENT, fetch_article, fetch_page
from bot.ingest.errors import (
    FetchFailed,
    FetchTimedOut,
    PageNotAvailable,
    PageTooLarge,
    PrivateAddress,
    TooManyRedirects,
    UnsupportedContent,
    UnsupportedLink,
)
from tests.ingest import pages
from tests.ingest.conftest import PUBLIC_ADDRESS, PageServer, ToLoopback, public_resolver


async def test_an_article_page_gives_title_author_date_and_only_the_article_text(
    page_server: PageServer,
) -> None:
    url = page_server.url("/article")
    article = await fetch_article(url, client=None, allow_private=True)
    assert article.url == url
    assert article.final_url == url
    assert article.title == "Council passes record budget"
    assert article.author == "Maria Lopez"
    assert article.published is not None
    assert article.published.isoformat() == "2026-11-24"
    for sentence in pages.ARTICLE_SENTENCES:
        assert sentence in article.text
    for noise in pages.BOILERPLATE:
        assert noise not in article.text


async def test_gzip_pages_are_decompressed(page_server: PageServer) -> None:
    article = await fetch_article(page_server.url("/article-gzip"), client=None, allow_private=True)
    assert pages.ARTICLE_SENTENCES[0] in article.text


async def test_plain_text_is_the_article_as_is(page_server: PageServer) -> None:
    article = await fetch_article(page_server.url("/plain"), client=None, allow_private=True)
    assert article.text == " ".join(pages.ARTICLE_SENTENCES)
    assert article.title is None


async def test_requests_say_who_is_asking(page_server: PageServer) -> None:
    page = await fetch_page(page_server.url("/headers"), client=None, allow_private=True)
    assert f"UA={USER_AGENT}" in page.text
    assert f"HOST=127.0.0.1:{page_server.port}" in page.text


async def test_a_redirect_to_another_page_is_followed(page_server: PageServer) -> None:
    article = await fetch_article(page_server.url("/moved"), client=None, allow_private=True)
    assert article.final_url == page_server.url("/article")
    assert article.url == page_server.url("/moved")
    assert article.title == "Council passes record budget"


async def test_five_redirects_are_followed_and_six_are_not(page_server: PageServer) -> None:
    page = await fetch_page(
        page_server.url(f"/hop/{MAX_REDIRECTS}"), client=None, allow_private=True
    )
    assert page.final_url == page_server.url("/article")
    with pytest.raises(TooManyRedirects, match="more than 5 times"):
        await fetch_page(
            page_server.url(f"/hop/{MAX_REDIRECTS + 1}"), client=None, allow_private=True
        )


async def test_a_public_page_redirecting_to_a_private_address_is_refused(
    public_client: tuple[httpx.AsyncClient, ToLoopback],
) -> None:
    client, transport = public_client
    with pytest.raises(PrivateAddress) as caught:
        await fetch_page(
            "http://news.example/to-private",
            client=client,
            allow_private=False,
            resolver=public_resolver,
        )
    assert "a private address (10.0.0.5)" in str(caught.value)
    # Only the public first hop was requested, and at the address the guard checked.
    assert transport.seen == [(f"http://{PUBLIC_ADDRESS}/to-private", "news.example")]


async def test_a_redirect_to_loopback_is_refused_with_the_setting_off(
    public_client: tuple[httpx.AsyncClient, ToLoopback],
) -> None:
    client, _ = public_client
    with pytest.raises(PrivateAddress, match=r"loopback address \(127\.0\.0\.1\)"):
        await fetch_page(
            "http://news.example/to-localhost",
            client=client,
            allow_private=False,
            resolver=public_resolver,
        )


async def test_the_same_redirect_is_followed_with_the_setting_on(
    page_server: PageServer,
) -> None:
    page = await fetch_page(page_server.url("/to-localhost"), client=None, allow_private=True)
    assert page.final_url == page_server.url("/article")


async def test_a_public_page_is_read_through_the_guard(
    public_client: tuple[httpx.AsyncClient, ToLoopback],
) -> None:
    client, transport = public_client
    article = await fetch_article(
        "http://news.example/article", client=client, allow_private=False, resolver=public_resolver
    )
    assert article.title == "Council passes record budget"
    assert transport.seen == [(f"http://{PUBLIC_ADDRESS}/article", "news.example")]


async def test_loopback_is_refused_with_the_setting_off(page_server: PageServer) -> None:
    with pytest.raises(PrivateAddress, match="loopback"):
        await fetch_page(page_server.url("/article"), client=None, allow_private=False)


async def test_a_redirect_to_another_scheme_is_refused(page_server: PageServer) -> None:
    with pytest.raises(UnsupportedLink, match="Only http"):
        await fetch_page(page_server.url("/to-ftp"), client=None, allow_private=True)


async def test_a_slow_drip_is_cut_off_by_the_total_timeout(page_server: PageServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchTimedOut, match="took too long"):
        await fetch_page(
            page_server.url("/slow"), client=None, allow_private=True, total_timeout=0.6
        )
    assert time.monotonic() - started < 3


async def test_an_oversized_body_is_cut_off_while_reading(page_server: PageServer) -> None:
    with pytest.raises(PageTooLarge, match="larger than 5 MB"):
        await fetch_page(page_server.url("/big"), client=None, allow_private=True)


async def test_an_oversized_declared_length_is_refused_before_reading(
    page_server: PageServer,
) -> None:
    started = time.monotonic()
    with pytest.raises(PageTooLarge):
        await fetch_page(page_server.url("/big-declared"), client=None, allow_private=True)
    assert time.monotonic() - started < 2  # never waited for the body that does not come


async def test_a_gzip_bomb_stops_at_the_limit_after_decompression(
    page_server: PageServer,
) -> None:
    with pytest.raises(PageTooLarge, match="larger than 1 MB"):
        await fetch_page(
            page_server.url("/bomb"), client=None, allow_private=True, max_bytes=1024 * 1024
        )
    with pytest.raises(PageTooLarge, match="larger than 5 MB"):
        await fetch_page(page_server.url("/bomb"), client=None, allow_private=True)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/report.pdf", "That link is application/pdf, not a web page"),
        ("/no-type", "of no stated type"),
    ],
)
async def test_other_content_types_are_refused(
    page_server: PageServer, path: str, message: str
) -> None:
    with pytest.raises(UnsupportedContent, match=message):
        await fetch_page(page_server.url(path), client=None, allow_private=True)


@pytest.mark.parametrize(("path", "status"), [("/missing", "404 Not Found"), ("/error", "500")])
async def test_error_statuses_are_reported(page_server: PageServer, path: str, status: str) -> None:
    with pytest.raises(PageNotAvailable, match=f"answered {status}"):
        await fetch_page(page_server.url(path), client=None, allow_private=True)


async def test_a_declared_latin1_page_is_read_as_windows_1252(page_server: PageServer) -> None:
    article = await fetch_article(page_server.url("/latin1"), client=None, allow_private=True)
    assert pages.LATIN1_SENTENCE in article.text  # "€" is 0x80: windows-1252, as browsers do


async def test_a_meta_charset_is_honoured(page_server: PageServer) -> None:
    article = await fetch_article(page_server.url("/cyrillic"), client=None, allow_private=True)
    assert pages.CYRILLIC_SENTENCE in article.text


async def test_a_closed_port_is_a_clear_failure(page_server: PageServer) -> None:
    with pytest.raises(FetchFailed, match=r"Could not read 127\.0\.0\.1"):
        await fetch_page("http://127.0.0.1:9/", client=None, allow_private=True)
