"""Claim extraction: article text in, check-worthy claim candidates out.

PURE: this package imports nothing from discord, the database or the network. The stages
live in private modules (`_normalise`, `_boilerplate`, `_sentences`, `_prefilter`,
`_candidates`); `pipeline` puts them together around the check-worthiness model.
"""

from __future__ import annotations

from bot.extraction.pipeline import (
    DEFAULT_MAX_CHARS,
    Extractor,
    SentenceScorer,
    extract_claims,
)
from bot.extraction.types import ClaimCandidate, ClaimKind, ExtractionResult

__all__ = [
    "DEFAULT_MAX_CHARS",
    "ClaimCandidate",
    "ClaimKind",
    "ExtractionResult",
    "Extractor",
    "SentenceScorer",
    "extract_claims",
]
