"""html_to_article: the pure HTML-to-article step."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from bot.ingest import html_to_article
from bot.ingest.errors import NoArticleText
from tests.ingest import pages


def test_the_article_is_kept_and_the_page_furniture_dropped() -> None:
    article = html_to_article(pages.article_html(), "https://news.example/budget")
    assert article.title == "Council passes record budget"
    assert article.author == "Maria Lopez"
    assert article.published == date(2026, 11, 24)
    positions = [article.text.index(sentence) for sentence in pages.ARTICLE_SENTENCES]
    assert positions == sorted(positions)  # in reading order
    for noise in pages.BOILERPLATE:
        assert noise not in article.text


def test_a_page_without_an_article_is_refused() -> None:
    html = "<html><body><nav><a href='/'>Home</a></nav><footer>(c) 2026</footer></body></html>"
    with pytest.raises(NoArticleText, match="No article text"):
        html_to_article(html, "https://news.example/")


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<<<>>>",
        "<html><head><script>var a = 1;</script><style>p {}</style></head><body></body></html>",
    ],
)
def test_pages_without_text_are_refused_not_crashed_on(html: str) -> None:
    with pytest.raises(NoArticleText):
        html_to_article(html, None)


def test_a_date_is_only_taken_from_the_page_metadata() -> None:
    html = pages.simple_html("The museum welcomed 2 million visitors last year, a record.")
    article = html_to_article(html.replace("</body>", "<footer>(c) 2026</footer></body>"), None)
    assert article.published is None


def test_extraction_downloads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # trafilatura can fetch pages itself; extraction must never do so (nor fetch models
    # or lists): any connection or name lookup during extraction fails the test.
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network used during extraction: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    article = html_to_article(pages.article_html(), "https://news.example/budget")
    assert pages.ARTICLE_SENTENCES[0] in article.text
