"""Property-based: offsets always slice the input to the sentence; nothing crashes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.extraction import Extractor, extract_claims
from bot.extraction.types import ExtractionResult
from tests.extraction.stand_in import KeywordScorer

# Every sentence that passes the prefilter becomes a candidate, so every offset is checked.
EXTRACTOR = Extractor(0.0, scorer=KeywordScorer())

# Pieces of scraped articles, including everything normalisation rewrites.
PIECES = st.sampled_from(
    [
        "The Senate voted 68-31 on Thursday.",
        "Mr. Dalton said",
        " U.S. ",
        "(R-Fla.),",
        " 3.5% ",
        '"will save lives".',
        "“quoted”",
        "&amp;",
        "&nbsp;",
        "&#8217;",
        "&bogus;",
        "\u200b",
        "\ufeff",
        "\u00ad",
        "e\u0301",
        "\u00a0",
        "\r\n",
        "\n\n",
        "\t",
        " ",
        "More",
        "Read more",
        "By Jane Smith",
        "WASHINGTON (Reuters) - ",
        "Últimas noticias",
        "?",
        "...",
        "Nov. 2",
    ]
)
ARTICLE_LIKE = st.lists(PIECES, max_size=40).map("".join)


def _extract(text: str) -> ExtractionResult | None:
    try:
        return EXTRACTOR.extract(text)
    except InvalidInput:
        return None  # a refusal is an answer, not a crash


def _assert_offsets(text: str, result: ExtractionResult | None) -> None:
    if result is None:
        return
    for candidate in result.candidates:
        assert 0 <= candidate.start < candidate.end <= len(text)
        assert text[candidate.start : candidate.end] == candidate.sentence
        assert candidate.text.strip()
        assert 0.0 <= candidate.score <= 1.0


@settings(deadline=None)  # a shared CI machine must not turn slowness into failure
@given(st.text())
def test_any_unicode_text(text: str) -> None:
    _assert_offsets(text, _extract(text))


@settings(max_examples=300, deadline=None)
@given(ARTICLE_LIKE)
def test_article_like_text(text: str) -> None:
    _assert_offsets(text, _extract(text))


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400))
def test_default_model_never_crashes(text: str) -> None:
    try:
        result = extract_claims(text)
    except InvalidInput:
        return
    _assert_offsets(text, result)
