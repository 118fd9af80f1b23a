"""Stand-in scorers for tests where the model is not the point (fast, deterministic)."""

from __future__ import annotations

import re
from collections.abc import Sequence


class KeywordScorer:
    """Digits and reporting verbs look checkable: a crude keyword score, not a model."""

    default_threshold = 0.5
    _DIGIT = re.compile(r"\d")
    _REPORTING = re.compile(
        r"\b(said|says|according to|reported|tweeted|told|met|was|were|is|are|has|have|will)\b",
        re.IGNORECASE,
    )

    def score(self, sentences: Sequence[str]) -> list[float]:
        scores = []
        for sentence in sentences:
            score = 0.3
            if self._DIGIT.search(sentence):
                score += 0.4
            if self._REPORTING.search(sentence):
                score += 0.3
            scores.append(min(score, 1.0))
        return scores


class FixedScorer:
    """Scores every sentence the same, and records what it was asked to score."""

    default_threshold = 0.5

    def __init__(self, score: float = 1.0) -> None:
        self.value = score
        self.calls: list[list[str]] = []

    def score(self, sentences: Sequence[str]) -> list[float]:
        self.calls.append(list(sentences))
        return [self.value] * len(sentences)
