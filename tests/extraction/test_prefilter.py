"""The cheap first pass: what it refuses, and that it costs no recall on labelled articles."""

from __future__ import annotations

import pytest

from bot.extraction._prefilter import rejection_reason
from tests.extraction.labelled_articles import load_articles


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Could there be life there?", "question"),
        ('Why do these stories keep coming back?"', "question"),
        ("What a night.", "too short"),
        ("Photo gallery: Hamburg summit, day two", "no verb"),
        ("word " * 120, "too long"),
        ("El presidente dijo que la economía creció un 3% en 2023.", "not English"),
        ("Le gouvernement a annoncé une hausse de 5 % des impôts.", "not English"),
        ("1 2 3 4 5 6", "no letters"),
    ],
)
def test_rejections(sentence: str, reason: str) -> None:
    assert rejection_reason(sentence) == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Unemployment fell to 3.9%.",
        "His oldest victim was 94.",
        "McCain was the Republican candidate for president in 2008.",
        "Twelve Republicans joined all Democrats in supporting the bill.",
    ],
)
def test_short_factual_sentences_pass(sentence: str) -> None:
    assert rejection_reason(sentence) is None


def test_no_labelled_claim_is_refused_by_the_prefilter() -> None:
    refused = [
        (article.name, claim, rejection_reason(claim))
        for article in load_articles()
        for claim in article.claims
        if rejection_reason(claim) is not None
    ]
    assert refused == []


def test_the_prefilter_spares_the_model_some_work() -> None:
    # It earns its place only if it drops something the labels call a non-claim.
    non_claims = [s for article in load_articles() for s in article.non_claims]
    assert sum(rejection_reason(s) is not None for s in non_claims) >= 4
