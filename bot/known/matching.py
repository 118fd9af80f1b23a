"""Do two claims say the same thing? A pure, fast comparison of two sentences.

The store's full-text index finds candidates (claims sharing salient words); this module
decides. It compares what matters for a factual claim rather than surface wording:

- numbers, as values: "two" = "2", "1,500,000" = "1.5 million", "12%" = "12 percent";
- names (capitalised words: people, places, organisations, days, months);
- negation ("not", "never", "n't", "no longer", "denied");
- the remaining content words, lower-cased and crudely stemmed.

Hard rules first: if each claim has a number (or a name) the other lacks, if one is negated
and the other not, or if one says "more than" where the other says "fewer than", they are
different claims, however similar the words. Otherwise the claim with fewer content words is
compared with the other (containment: a repeat often adds context, "on the sidelines of the
G20 summit"):

- `exact`: the same words after normalising (case, spacing, punctuation), or every content
  word of the shorter claim is in the longer and they share most of their words
  (Jaccard >= EXACT_JACCARD): near-certain, linked automatically;
- `likely`: at least LIKELY_CONTAINMENT of the shorter claim's content words are in the
  longer: a suggestion a moderator confirms or rejects;
- otherwise no match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

EXACT_JACCARD = 0.75
LIKELY_CONTAINMENT = 0.75
MIN_CONTENT_WORDS = 2  # below this, too little to judge: only an exact repeat matches

_TOKEN = re.compile(r"[^\W_]*[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*|[%€$£]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
_UNITS = {"%": "percent", "€": "euro", "$": "dollar", "£": "pound", "mw": "megawatt",
          "km": "kilometre", "kg": "kilogram", "cent": "percent"}  # fmt: skip
_MORE = {"over", "above", "exceeding", "more", "least"}  # "more than", "at least"
_LESS = {"under", "below", "fewer", "less", "most"}  # "at most"
_NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
              "deny", "denies", "denied", "denying", "cannot"}  # fmt: skip


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOPWORDS = _word_set(
    """a an the and or but if of to in on at by for from with as into onto over under than
    that this these those it its it's is are was were be been being has have had do does did
    will would shall should can could may might must he she they we you i his her their our
    your them him us me my also just about after before during between while per since
    which who whom whose what when where why how there here than then so such very more
    most less least some any all each every both other another said says say according
    told reported claimed stated added up out off s get gets got"""
)
_SENTENCE_STARTERS = _word_set(
    """the a an in on at by for from with as after before during between while since this
    that these those it he she they we there here only half more over some all each most
    however but and or so if when where why how what who according"""
)


class MatchKind(StrEnum):
    EXACT = "exact"
    LIKELY = "likely"


@dataclass(frozen=True, slots=True)
class ClaimFeatures:
    """What the comparison looks at, computed once per claim."""

    normalised: str
    words: frozenset[str]  # stemmed content words and numbers ("#2.5")
    surface: frozenset[str]  # the content words as written (lower case), for the index
    numbers: frozenset[float]
    names: frozenset[str] | None  # None: cannot tell (an all-capitals sentence)
    # The first word is capitalised anyway: it is a name only unless the other claim has it
    # in lower case ("Electric car sales ..." vs "sales of electric cars").
    opener: str | None
    lower_case: frozenset[str]  # words written in lower case
    negated: bool
    direction: frozenset[str]  # "more" / "less" qualifiers of numbers


@dataclass(frozen=True, slots=True)
class Comparison:
    kind: MatchKind | None
    containment: float
    jaccard: float
    reason: str  # why not a match, or how it matched (for moderators and the tests)


def features(text: str) -> ClaimFeatures:
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    tokens = _TOKEN.findall(text)
    all_caps = text.upper() == text
    words: set[str] = set()
    surface: set[str] = set()
    numbers: set[float] = set()
    names: set[str] = set()
    lower_case: set[str] = set()
    direction: set[str] = set()
    negated = False
    lowered = [token.lower() for token in tokens]
    for index, token in enumerate(tokens):
        low = lowered[index]
        previous = lowered[index - 1] if index else ""
        following = lowered[index + 1] if index + 1 < len(tokens) else ""
        if low in _NEGATIONS or low.endswith("n't") or (low == "longer" and previous == "no"):
            negated = True
            continue
        value = _number_value(low)
        if value is not None:
            multiplier = _MULTIPLIERS.get(following, 1.0)
            if low in _MULTIPLIERS:  # "million" after a number was folded in already
                continue
            numbers.add(value * multiplier)
            words.add(f"#{value * multiplier:g}")
            if previous in _MORE | _LESS or _qualifier_before(lowered, index):
                direction.add("more" if _qualifier_before(lowered, index) == "more" else "less")
            continue
        if low in _MULTIPLIERS:
            continue
        if token[:1].isupper() and not all_caps and _is_name(token, index, low):
            names.add(low)
        elif token[:1].islower():
            lower_case.add(low)
        word = _UNITS.get(low, low)
        if word in _STOPWORDS or word in _MORE or word in _LESS:
            continue
        words.add(_stem(word))
        if word == low and word.isalpha():
            surface.add(word)
    return ClaimFeatures(
        normalised=" ".join(lowered),
        words=frozenset(words),
        surface=frozenset(surface),
        numbers=frozenset(numbers),
        names=None if all_caps else frozenset(names),
        opener=lowered[0] if tokens and not all_caps and lowered[0] in names else None,
        lower_case=frozenset(lower_case),
        negated=negated,
        direction=frozenset(direction),
    )


def compare(a: ClaimFeatures, b: ClaimFeatures) -> Comparison:
    if a.normalised == b.normalised:
        return Comparison(MatchKind.EXACT, 1.0, 1.0, "same words")
    shared = len(a.words & b.words)
    union = len(a.words | b.words) or 1
    smaller = min(len(a.words), len(b.words)) or 1
    containment, jaccard = shared / smaller, shared / union
    conflict = _conflict(a, b)
    if conflict is not None:
        return Comparison(None, containment, jaccard, conflict)
    if min(len(a.words), len(b.words)) < MIN_CONTENT_WORDS:
        return Comparison(None, containment, jaccard, "too short to compare")
    if containment == 1.0 and jaccard >= EXACT_JACCARD:
        return Comparison(MatchKind.EXACT, containment, jaccard, "same content words")
    if containment >= LIKELY_CONTAINMENT:
        return Comparison(MatchKind.LIKELY, containment, jaccard, "most content words shared")
    return Comparison(None, containment, jaccard, "different words")


def compare_texts(a: str, b: str) -> Comparison:
    return compare(features(a), features(b))


def salient_words(claim: ClaimFeatures, limit: int = 6) -> list[str]:
    """Words to find candidates by (any of them): names first, then the longest words (rare
    words are long, on average), as written: the index stems them its own way. Numbers are
    left out (the index splits "3.9" and "1,000"; the comparison checks them)."""
    names = sorted((claim.names or frozenset()) & claim.surface, key=lambda w: (-len(w), w))
    others = sorted(claim.surface - set(names), key=lambda w: (-len(w), w))
    chosen: list[str] = []
    for word in [*names, *others]:
        if word not in chosen and len(word) > 2:
            chosen.append(word)
    return chosen[:limit]


def _conflict(a: ClaimFeatures, b: ClaimFeatures) -> str | None:
    if a.negated != b.negated:
        return "one is negated"
    if _neither_contains(a.numbers, b.numbers):
        return "different numbers"
    names_known = a.names is not None and b.names is not None
    if names_known and _neither_contains(_names(a, b), _names(b, a)):
        return "different names"
    if {"more", "less"} <= (a.direction | b.direction) and a.direction != b.direction:
        return "more than / less than"
    return None


def _names(claim: ClaimFeatures, other: ClaimFeatures) -> frozenset[str]:
    assert claim.names is not None
    if claim.opener is not None and claim.opener in other.lower_case:
        return claim.names - {claim.opener}
    return claim.names


def _neither_contains(a: frozenset[object], b: frozenset[object]) -> bool:
    # A repeat may add a detail (a year, a place) but not change one.
    return bool(a) and bool(b) and not (a <= b or b <= a)


def _number_value(token: str) -> float | None:
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    if not _NUMBER.fullmatch(token):
        return None
    if "," in token and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    elif "," in token:
        token = token.replace(",", ".")  # "3,9" written the European way
    try:
        return float(token)
    except ValueError:
        return None


def _qualifier_before(lowered: list[str], index: int) -> str | None:
    before = lowered[max(0, index - 2) : index]
    if "than" in before:
        before = [w for w in before if w != "than"]
    for word in reversed(before):
        if word in _MORE:
            return "more"
        if word in _LESS:
            return "less"
    return None


def _is_name(token: str, index: int, low: str) -> bool:
    if low in _STOPWORDS or low in _NUMBER_WORDS:
        return False
    # The first word is capitalised anyway: a name only if it is not a usual opener.
    return index > 0 or low not in _SENTENCE_STARTERS


def _stem(word: str) -> str:
    """A crude suffix stripper: enough for "rose"/"rises" to stay apart but "grew"/"grows"
    not; both claims go through the same function, so only consistency matters."""
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""),
                         ("s", ""), ("ly", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word
