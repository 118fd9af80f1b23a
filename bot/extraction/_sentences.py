"""Split prose blocks into sentences, with offsets, in one linear regex pass per block.

A rule-based splitter tuned for news prose: it knows the abbreviations of news copy (Mr.,
Dr., Sen., Nov. 2, U.S., "(R-Fla.)", a.m.), leaves decimals and mid-sentence quotes alone,
and ends a sentence at the end of its block, punctuated or not. It is much faster than pysbd
on the same text (see benchmarks/extraction_bench.py) and keeps exact offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from bot.extraction._words import word_set

# Longer "sentences" are cut into chunks so that one giant unpunctuated line costs bounded
# time downstream; no real claim is this long, and the prefilter drops such chunks anyway.
MAX_SENTENCE_CHARS = 1_000

# Only the start of a run of punctuation may begin a match, so "......" costs linear time.
_END_CLUSTER = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
_OPENERS = "\"'“‘([¿¡"
# Before names and numbers: a period after these never ends a sentence.
_TITLES = word_set(
    "mr mrs ms mx dr prof sen sens rep reps gov gen lt col capt cpt sgt cpl pvt rev fr st "
    "hon pres supt det insp cmdr adm maj atty mt ft messrs mme mlle msgr brig"
)
# Before numbers only ("No. 10", "p. 4"); "He said no. Then..." does end a sentence.
_BEFORE_NUMBERS = word_set("no nos vol pp p fig figs art ch sec op")
_MONTHS = word_set("jan feb mar apr jun jul aug sep sept oct nov dec")
# These end a sentence only when a typical sentence opener follows ("...in the U.S. The").
_AMBIGUOUS = word_set(
    "inc corp co ltd llc plc bros jr sr etc vs v approx est dept univ assn ave blvd rd "
    "ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo "
    "mont neb nev okla ore pa tenn tex va vt wash wis wyo"
)
_STARTERS = word_set(
    "the a an he she it they we i you but and yet so this that these those in on at his "
    "her their its our there after when while however meanwhile some many most officials "
    "police according as if for one two three last earlier later now then still since"
)
_TOKEN_BREAKS = frozenset(" \n([\"'“‘")
_LONGEST_ABBREVIATION = 12
_NEXT_WORD = re.compile(r"[\"'“‘(\[]*([^\W\d_]+)")


def _token_before(text: str, at: int) -> str:
    """The word just before position `at` (bounded look-back: abbreviations are short)."""
    start = at
    limit = max(0, at - _LONGEST_ABBREVIATION)
    while start > limit and text[start - 1] not in _TOKEN_BREAKS:
        start -= 1
    return text[start:at]


def _ends_sentence(text: str, dot_at: int, cluster: str, next_at: int) -> bool:
    """Does the punctuation cluster at `dot_at` end a sentence, given what follows?"""
    following = text[next_at]
    if not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False
    if not cluster.startswith(".") or cluster.startswith(".."):
        return True
    token = _token_before(text, dot_at)
    key = token.lower().rstrip(".")
    if not key:
        return True
    if key in _TITLES or (len(token) == 1 and token.isupper()):
        return False  # "Dr. Fauci", "John F. Kennedy"
    if key in _MONTHS or key in _BEFORE_NUMBERS:
        return not following.isdigit()  # "Nov. 2", "No. 10"
    if "." in token or key in _AMBIGUOUS:
        # "U.S.", "a.m.", "(R-Fla.", "Inc.": mostly mid-sentence, unless a sentence opener follows.
        next_word = _NEXT_WORD.match(text, next_at)
        return next_word is not None and next_word.group(1).lower() in _STARTERS
    return True


class SentenceSpan(NamedTuple):
    start: int
    end: int
    whole: bool  # False for a piece of an over-long sentence cut at MAX_SENTENCE_CHARS


def _chunks(start: int, end: int, text: str) -> Iterator[SentenceSpan]:
    if end - start <= MAX_SENTENCE_CHARS:
        yield SentenceSpan(start, end, whole=True)
        return
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        yield SentenceSpan(start, cut, whole=False)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield SentenceSpan(start, end, whole=False)


def split_block(text: str, start: int, end: int) -> Iterator[SentenceSpan]:
    """Sentence spans [s, e) of text[start:end], stripped of surrounding whitespace."""
    sentence_start = start
    for match in _END_CLUSTER.finditer(text, start, end):
        next_at = match.end()
        while next_at < end and text[next_at].isspace():
            next_at += 1
        if next_at >= end:
            break
        if _ends_sentence(text, match.start(), match.group(), next_at):
            yield from _chunks(sentence_start, match.end(), text)
            sentence_start = next_at
    while end > sentence_start and text[end - 1].isspace():
        end -= 1
    yield from _chunks(sentence_start, end, text)
