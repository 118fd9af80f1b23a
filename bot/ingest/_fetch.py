"""Fetching an article by link on a member's behalf, with the safety guard on every hop.

Redirects are followed here, not by httpx, so each new location is checked like the
first link. Each request goes to the IP address the guard approved, with the host name
in the Host header and in TLS SNI (certificates are still verified for the host name).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date

import httpx

from bot import SOURCE_URL, __version__
from bot.ingest._body import ACCEPT_ENCODING, decode_text, read_limited, too_large
from bot.ingest._guard import CheckedTarget, Resolver, check_target, parse_link, resolve_host
from bot.ingest._html import ArticleText, html_to_article, plain_text_article
from bot.ingest.errors import (
    FetchFailed,
    FetchTimedOut,
    PageNotAvailable,
    TooManyRedirects,
    UnsupportedContent,
)

log = logging.getLogger(__name__)

USER_AGENT = f"claimbot/{__version__} (+{SOURCE_URL})"
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 20.0  # the whole fetch: every hop, name resolution and body included
MAX_BYTES = 5 * 1024 * 1024  # after decompression
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ACCEPTED_TYPES = HTML_TYPES | {"text/plain"}
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # as given
    final_url: str  # after redirects
    content_type: str  # one of ACCEPTED_TYPES
    text: str  # the decoded body


@dataclass(frozen=True, slots=True)
class FetchedArticle:
    url: str
    final_url: str
    title: str | None
    author: str | None
    published: date | None
    text: str


async def fetch_article(
    url: str,
    *,
    client: httpx.AsyncClient | None,
    allow_private: bool,
    resolver: Resolver = resolve_host,
    total_timeout: float = TOTAL_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> FetchedArticle:
    """Fetch `url` through the guard and extract its article (off the event loop).

    `client` is the bot's shared client, or None for a one-off client. Every refusal
    is a `bot.ingest.errors.FetchRefused` with a message for the member.
    """
    page = await fetch_page(
        url,
        client=client,
        allow_private=allow_private,
        resolver=resolver,
        total_timeout=total_timeout,
        max_bytes=max_bytes,
    )
    article: ArticleText
    if page.content_type in HTML_TYPES:
        article = await asyncio.to_thread(html_to_article, page.text, page.final_url)
    else:
        article = plain_text_article(page.text)
    return FetchedArticle(
        url=page.url,
        final_url=page.final_url,
        title=article.title,
        author=article.author,
        published=article.published,
        text=article.text,
    )


async def fetch_page(
    url: str,
    *,
    client: httpx.AsyncClient | None,
    allow_private: bool,
    resolver: Resolver = resolve_host,
    total_timeout: float = TOTAL_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> FetchedPage:
    """The decoded HTML or text behind `url`, redirects followed and each hop checked."""
    current = parse_link(url)
    async with AsyncExitStack() as stack:
        if client is None:
            # trust_env=False: a proxy from the environment would connect on our behalf
            # to addresses the guard never saw.
            client = await stack.enter_async_context(
                httpx.AsyncClient(trust_env=False, follow_redirects=False)
            )
        try:
            async with asyncio.timeout(total_timeout):
                for _ in range(MAX_REDIRECTS + 1):
                    target = await check_target(
                        current, allow_private=allow_private, resolver=resolver
                    )
                    result = await _request(client, target, total_timeout, max_bytes)
                    if isinstance(result, httpx.URL):
                        current = result
                        continue
                    content_type, text = result
                    return FetchedPage(
                        url=url.strip(),
                        final_url=str(current),
                        content_type=content_type,
                        text=text,
                    )
        except (TimeoutError, httpx.TimeoutException):
            raise FetchTimedOut(
                f"{current.host} took too long to answer (the limit is "
                f"{CONNECT_TIMEOUT:g} s to connect, {total_timeout:g} s in all)."
            ) from None
        except httpx.TransportError as exc:
            raise FetchFailed(f"Could not read {current.host}: {type(exc).__name__}.") from None
    raise TooManyRedirects(f"That link redirects more than {MAX_REDIRECTS} times; giving up.")


async def _request(
    client: httpx.AsyncClient, target: CheckedTarget, total_timeout: float, max_bytes: int
) -> httpx.URL | tuple[str, str]:
    """One hop: the next URL if redirected, else (content type, decoded text)."""
    url = target.url
    address = target.address.split("%", 1)[0]  # an IPv6 zone cannot go in a URL
    headers = {
        "Host": url.netloc.decode("ascii"),
        "User-Agent": USER_AGENT,
        "Accept": "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    extensions = {"sni_hostname": target.host} if url.scheme == "https" else {}
    log.debug("fetching %s from %s", url, address)
    async with client.stream(
        "GET",
        url.copy_with(host=address),
        headers=headers,
        follow_redirects=False,
        timeout=httpx.Timeout(total_timeout, connect=min(CONNECT_TIMEOUT, total_timeout)),
        extensions=extensions,
    ) as response:
        if response.status_code in _REDIRECT_CODES:
            return _redirect_target(url, response)
        if not response.is_success:
            raise PageNotAvailable(
                f"The page could not be read: the site answered {response.status_code} "
                f"{response.reason_phrase}".rstrip()
                + "."
            )
        content_type = _content_type(response)
        declared = response.headers.get("content-length", "")
        # A stated size settles it before reading (compressed sizes say nothing).
        if "content-encoding" not in response.headers and _int_or_zero(declared) > max_bytes:
            raise too_large(max_bytes)
        body = await read_limited(
            response.aiter_raw(),
            content_encoding=response.headers.get("content-encoding", ""),
            max_bytes=max_bytes,
        )
        text = decode_text(
            body, declared_charset=response.charset_encoding, is_html=content_type in HTML_TYPES
        )
        return content_type, text


def _redirect_target(url: httpx.URL, response: httpx.Response) -> httpx.URL:
    location = response.headers.get("location", "").strip()
    if not location:
        raise PageNotAvailable(
            f"The site answered {response.status_code} (a redirect) without saying where to."
        )
    try:
        joined = url.join(location)
    except (httpx.InvalidURL, ValueError):
        raise PageNotAvailable("The site redirected to an invalid link.") from None
    return parse_link(joined)


def _int_or_zero(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _content_type(response: httpx.Response) -> str:
    header = str(response.headers.get("content-type", ""))
    mime = header.split(";", 1)[0].strip().lower()
    if mime not in ACCEPTED_TYPES:
        shown = mime or "of no stated type"
        raise UnsupportedContent(
            f"That link is {shown}, not a web page; the bot reads only HTML and plain text."
        )
    return mime
