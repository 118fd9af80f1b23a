"""Articles by link: the guarded fetcher, HTML-to-text, and the command line's source reader.

Everything a member's link makes the bot do goes through `fetch_article`, which refuses
non-http(s) links and any host that resolves outside the public internet (unless
ALLOW_PRIVATE_URLS is set), re-checks every redirect, bounds time and size, and reads
only HTML and plain text.
"""

from bot.ingest._fetch import (
    MAX_BYTES,
    MAX_REDIRECTS,
    USER_AGENT,
    FetchedArticle,
    FetchedPage,
    fetch_article,
    fetch_page,
)
from bot.ingest._guard import Resolver, parse_link, resolve_host
from bot.ingest._html import ArticleText, html_to_article
from bot.ingest._source import (
    SourceText,
    is_link,
    normalise_link,
    read_link_for_guild,
    read_source_text,
)

__all__ = [
    "MAX_BYTES",
    "MAX_REDIRECTS",
    "USER_AGENT",
    "ArticleText",
    "FetchedArticle",
    "FetchedPage",
    "Resolver",
    "SourceText",
    "fetch_article",
    "fetch_page",
    "html_to_article",
    "is_link",
    "normalise_link",
    "parse_link",
    "read_link_for_guild",
    "read_source_text",
    "resolve_host",
]
