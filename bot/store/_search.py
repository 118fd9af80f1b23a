"""Turning the words a user typed into a full-text query that can never be a syntax error."""

from __future__ import annotations

import re

from bot.errors import InvalidInput

MAX_SEARCH_WORDS = 12
# Letters and digits only: FTS5 operators (AND, NEAR, *, ^, quotes, column filters) and
# tsquery operators (&, |, !, <->) are all punctuation or are neutralised by quoting below.
_WORD = re.compile(r"\w+", re.UNICODE)


def search_words(words: str | list[str] | tuple[str, ...]) -> list[str]:
    joined = words if isinstance(words, str) else " ".join(words)
    found = [word for word in _WORD.findall(joined) if word.strip("_")]
    if not found:
        raise InvalidInput("Search needs at least one word (letters or digits).")
    return found[:MAX_SEARCH_WORDS]


def fts5_query(words: list[str]) -> str:
    """Every word must occur; each is a quoted string so FTS5 reads none as an operator."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def tsquery_text(words: list[str]) -> str:
    """Input for plainto_tsquery, which ANDs the words and accepts any text."""
    return " ".join(words)
