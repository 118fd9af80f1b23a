"""Plain data passed out of extraction: no behaviour, no dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ClaimKind = Literal["statistic", "quote", "event", "comparison", "other"]


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    """A check-worthy sentence of an article, with its provenance.

    `start`/`end` are offsets into the ORIGINAL input: `text_in[start:end] == sentence`.
    `text` is the same claim cleaned for display.
    """

    text: str
    sentence: str
    start: int
    end: int
    score: float
    claimant: str | None
    kind: ClaimKind


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """What one article yielded: the kept candidates and what was read to find them."""

    candidates: list[ClaimCandidate]
    sentences_read: int
    threshold: float
    notes: list[str] = field(default_factory=list)
