"""HTML in, the article out: title, author, publication date and main text.

trafilatura finds the main text and drops navigation, ads, related links, cookie
banners and comments. It works on the string given and downloads nothing (a test
checks this with the network blocked). This is CPU work: run it off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import trafilatura

from bot.ingest.errors import NoArticleText

# Fewer characters than this is a menu or a footer that the extractor fell back on.
MIN_ARTICLE_CHARS = 50


@dataclass(frozen=True, slots=True)
class ArticleText:
    title: str | None
    author: str | None
    published: date | None
    text: str


def html_to_article(html: str, url: str | None = None) -> ArticleText:
    """The article in `html` (`url` helps resolve metadata); NoArticleText if there is none."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,  # leave out doubtful blocks: claims come only from the article
        # Only dates the page states; the extensive search would guess one from "(c) 2026".
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(document, "text", None) or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        raise NoArticleText("No article text was found on that page.")
    return ArticleText(
        title=_clean(getattr(document, "title", None)),
        author=_clean(getattr(document, "author", None)),
        published=_parse_date(getattr(document, "date", None)),
        text=text,
    )


def plain_text_article(text: str) -> ArticleText:
    """A text/plain page: the whole body is the article, with no metadata."""
    stripped = text.strip()
    if not stripped:
        raise NoArticleText("That page is empty.")
    return ArticleText(title=None, author=None, published=None, text=stripped)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _parse_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
