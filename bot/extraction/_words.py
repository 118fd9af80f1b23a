"""Word lists written as one readable string, for the rule-based stages."""

from __future__ import annotations


def word_set(words: str) -> frozenset[str]:
    """The set of whitespace-separated words in `words`."""
    return frozenset(words.split())
