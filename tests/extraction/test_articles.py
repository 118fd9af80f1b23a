"""Precision and recall on the labelled test articles, with the shipped model."""

from __future__ import annotations

import pytest

from bot.extraction import Extractor
from tests.extraction.labelled_articles import LabelledArticle, load_articles, tally

ARTICLES = load_articles()


def test_there_are_enough_labelled_articles() -> None:
    assert len(ARTICLES) >= 8
    assert sum(len(article.claims) for article in ARTICLES) >= 60


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article.name)
def test_labels_quote_their_article_verbatim(article: LabelledArticle) -> None:
    for sentence in article.claims | article.non_claims:
        assert sentence in article.text


def test_precision_and_recall_on_labelled_articles_are_at_least_090() -> None:
    result = tally(Extractor(), ARTICLES)
    report = "\nfalse positives:\n  " + "\n  ".join(result.false_positives)
    report += "\nmissed:\n  " + "\n  ".join(result.missed)
    assert result.precision >= 0.90, f"precision {result.precision:.3f}{report}"
    assert result.recall >= 0.90, f"recall {result.recall:.3f}{report}"
