"""Claim extraction: article text in, check-worthy claim candidates out.

PURE: this package imports nothing from discord, the database or the network.

PLACEHOLDER: until the extraction issue lands, sentences are split naively and scored
by `placeholder_score`, a keyword heuristic named as such. The interface stays.
"""

from __future__ import annotations

import re

from bot.extraction.types import ClaimCandidate, ClaimKind, ExtractionResult

__all__ = ["ClaimCandidate", "ClaimKind", "ExtractionResult", "Extractor", "extract_claims"]

PLACEHOLDER_THRESHOLD = 0.5
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
_DIGIT = re.compile(r"\d")


def placeholder_score(sentence: str) -> float:
    """A stand-in scorer (digits and reporting verbs look checkable); not a model."""
    score = 0.3
    if _DIGIT.search(sentence):
        score += 0.4
    if re.search(r"\b(said|says|according to|reported|tweeted)\b", sentence, re.IGNORECASE):
        score += 0.3
    return min(score, 1.0)


class Extractor:
    """Holds whatever extraction needs loaded once (the model) and extracts claims."""

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = PLACEHOLDER_THRESHOLD if threshold is None else threshold

    def extract(self, text: str, *, threshold: float | None = None) -> ExtractionResult:
        keep_at = self.threshold if threshold is None else threshold
        candidates: list[ClaimCandidate] = []
        seen: set[str] = set()
        read = 0
        for match in _SENTENCE.finditer(text):
            raw = match.group(0)
            sentence = raw.strip()
            if len(sentence) < 3:
                continue
            read += 1
            start = match.start() + (len(raw) - len(raw.lstrip()))
            score = placeholder_score(sentence)
            if score < keep_at or sentence in seen:
                continue
            seen.add(sentence)
            candidates.append(
                ClaimCandidate(
                    text=sentence,
                    sentence=sentence,
                    start=start,
                    end=start + len(sentence),
                    score=score,
                    claimant=None,
                    kind="other",
                )
            )
        return ExtractionResult(candidates=candidates, sentences_read=read, threshold=keep_at)


def extract_claims(text: str, *, threshold: float | None = None) -> ExtractionResult:
    """Extract with a default `Extractor` (convenient for scripts and tests)."""
    return Extractor(threshold).extract(text)
