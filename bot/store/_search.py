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


def _pairs(words: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(words) for b in words[i + 1 :]] or [(words[0], "")]


def fts5_any_two(words: list[str]) -> str:
    """Rows with at least two of `words` (the one word, if only one is given): candidates
    for repeats, without the cost of every row that merely shares one common word."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    return " OR ".join(f"({a} AND {b})" if b else a for a, b in _pairs(quoted))


def tsquery_any_two(words: list[str]) -> str:
    """The same for PostgreSQL's to_tsquery: each word single-quoted (a lexeme, never an
    operator); `words` come from `search_words`, so they hold no quotes."""
    quoted = [f"'{word}'" for word in words]
    return " | ".join(f"({a} & {b})" if b else a for a, b in _pairs(quoted))


def fts5_anchored(anchor: str, others: list[str]) -> str:
    """Rows with `anchor` and at least one of `others` (a rare word and common companions:
    the matches are no more than the rare word's)."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in (anchor, *others)]
    return f"{quoted[0]} AND ({' OR '.join(quoted[1:])})" if others else quoted[0]


def tsquery_anchored(anchor: str, others: list[str]) -> str:
    quoted = [f"'{word}'" for word in (anchor, *others)]
    return f"{quoted[0]} & ({' | '.join(quoted[1:])})" if others else quoted[0]


def tsquery_text(words: list[str]) -> str:
    """Input for plainto_tsquery, which ANDs the words and accepts any text."""
    return " ".join(words)
