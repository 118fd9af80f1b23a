"""Turn a kept sentence into what a reader sees: display text, who said it, what kind of claim.

All rules, no model: they are cheap, explainable, and good enough for labels that only help
moderators sort and read claims.
"""

from __future__ import annotations

import re

from bot.extraction._words import word_set
from bot.extraction.types import ClaimKind

_SPACES = re.compile(r"\s+")
# "Ratcliffe-on-\nSoar": a hyphenated word wrapped at its hyphen, in a hard-wrapped paste.
_WRAPPED_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")
_LEADING_CONJUNCTION = re.compile(r"^(?:but|yet|and|or|so)\b,?\s+(?=\S)", re.IGNORECASE)
_GLUED_LINK = re.compile(r"(?<=[a-z.!?\"”])(?:More|Read more|Read More|Continue reading)$")
_DOUBLE_QUOTES = '"“”'

# A proper name: capitalised words, with the small words of institutions' names between them
# ("Office for National Statistics", "Centers for Disease Control and Prevention").
_CAPITALISED = r"[A-Z][\w'’.&-]*"
_JOINER = r"(?:of|for|and|on|the|de|van|von|bin|al)"
_NAME = rf"{_CAPITALISED}(?:\s+(?:{_JOINER}\s+){{0,2}}{_CAPITALISED}){{0,5}}"
_REPORTING_VERB = (
    r"(?:said|says|say|tweeted|tweets|told|wrote|writes|added|stated|claimed|claims|"
    r"announced|noted|argued|insisted|posted|testified|warned|explained|confirmed|"
    r"denied|acknowledged|admitted|reported|reports|declared|asserted|estimated|"
    r"estimates|found|concluded|said in a statement|posted on \w+)"
)
_GROUP = (
    # Capitalised words, then up to two lowercase ones ("the Dutch telecoms regulator", "city
    # officials"), but not the "than" or "what" that make the group the object of a
    # comparison or of a clause ("higher than officials said").
    r"(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,4}(?:\b(?!(?:than|what|whatever)\b)[a-z]+\s+){0,2}"
    r"(?:officials?|police|spokes(?:man|woman|person)|authorities|researchers|scientists|"
    r"experts|investigators|prosecutors|analysts|economists|doctors|minister|secretary|"
    r"mayor|governor|president|chairman|chairwoman|chair|chief executive|regulator|"
    r"ministry|agency|department|committee|court|judge|coroner|union)"
)
# "Police in Carlisle said": a group placed by "in/of/at" a name.
_PLACED = rf"(?:\s+(?:in|of|at|for|from)\s+(?:the\s+)?{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}})?"
_SUBJECT_VERB = re.compile(
    rf"(?P<who>(?:{_NAME}|{_GROUP}){_PLACED})(?:\s*\([^)]*\))?\s+{_REPORTING_VERB}\b"
)
_CLAIMANT_PATTERNS = (
    # "..., RIA Novosti quoted Konstantin Kosachev, chairman of ..., as saying."
    re.compile(rf"\bquoted\s+(?P<who>{_NAME})(?:\s*\([^)]*\))?(?:,[^.]*?)?\s+as saying"),
    # "Marco Rubio (R-Fla.), who competed with Trump ..., tweeted."
    re.compile(
        rf"(?P<who>{_NAME})(?:\s*\([^)]*\))?,\s+(?:who|the|a|an|whose)\b[^\"“”]*?,\s+"
        rf"{_REPORTING_VERB}\b"
    ),
    re.compile(
        rf"\b[Aa]ccording to\s+(?:the\s+)?"
        rf"(?P<who>{_NAME}|{_GROUP}|[a-z]+(?:\s+[A-Za-z][\w-]*){{0,3}}?)"
        r"(?=[,.;]|\s+(?:who|which|that|when|in|on|at)\b|$)"
    ),
    _SUBJECT_VERB,
    # Inverted attribution after a quote: '..., said Jane Doe.', '..., said manager Ana Ferreira.'
    re.compile(rf"[,\"”]\s+{_REPORTING_VERB}\s+(?:[a-z]+\s+){{0,2}}(?P<who>{_NAME})"),
)
_NOT_A_NAME = word_set(
    "but yet and so or the a an in on at he she it they we i you his her their this that "
    "these those there then when while after before however meanwhile also last earlier "
    "later on monday tuesday wednesday thursday friday saturday sunday january february "
    "march april may june july august september october november december"
)

# Words before "X said" that make X not the speaker of the sentence: a preposition ("a post on
# Facebook claims": the post claims), or "what/than" ("in contrast to what Mr Trump said": the
# sentence is about X's words, not X's claim).
_NOT_THE_SPEAKER_AFTER = re.compile(
    r"\b(?:on|in|at|from|with|to|of|into|onto|via|what|whatever|than)\s+$", re.I
)

_QUOTED_SPAN = re.compile(r"[\"“]([^\"“”]{2,})[\"”]")
_YEAR = r"(?:1[89]\d\d|20\d\d)s?"
_DATE_WORDS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|"
    r"last (?:week|month|year|night)|this (?:week|month|year)|earlier this|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
    rf"(?:in|since|by|during|from|until) {_YEAR}\b)"
)
_STATISTIC = re.compile(
    r"(?:\d[\d,.]*+\s*(?:%|per ?cent|percent|percentage points?)|[$€£¥]\s?\d|"
    r"\d[\d,.]*+\s*(?:million|billion|trillion|thousand|hundred|bn|m|k)\b|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a) (?:in|out of) "
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b|"
    r"\b(?:rose|risen|fell|fallen|increased|decreased|dropped|climbed|grew|reached|totall?ed|"
    r"to|from|by|of)\s+(?:about |nearly |almost |around |more than |over )?"
    r"(?!(?:1[89]|20)\d\d\b)\d[\d,.]*\b(?!\s*(?:[ap]\.?m\b|st\b|nd\b|rd\b|th\b))|"
    # A count of things ("47 flood warnings", "350 homes"), but not a year ("2019 elections").
    r"\b(?!(?:1[89]|20)\d\d\b)\d+(?:,\d{3})*(?:\.\d+)?\s+(?:[a-z-]+\s+)?[a-z-]{2,}s\b|"
    r"\brate of\b)",
    re.IGNORECASE,
)
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|faster|slower|better|worse|"
    r"greater|older|younger|cheaper|[a-z]{3,}er) than\b(?!\s+(?:\d|a |an |one|two|three|four|"
    r"five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|half|dozen))|"
    r"\b(?:highest|lowest|largest|smallest|biggest|fastest|slowest|best|worst|longest|"
    r"shortest)\b|\bthe (?:most|least)\b|\brecord\b|\b(?:doubled|"
    r"tripled|halved|compared (?:with|to)|twice as|as many as|outnumber\w*|surpass\w*|"
    r"overtook|overtaken)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(rf"\b{_DATE_WORDS}", re.IGNORECASE)
_PAST_ACTION = re.compile(
    r"\b(?:met|signed|announced|launched|arrested|charged|killed|died|won|lost|voted|passed|"
    r"approved|elected|fired|resigned|struck|attacked|opened|closed|visited|held|was held|"
    r"sentenced|convicted|released|published|discovered|landed|collapsed|crashed|"
    r"was (?:the|a|an)\b)",
    re.IGNORECASE,
)


def display_text(sentence: str) -> str:
    """The sentence as shown to readers: one line, no leading conjunction or stray quote."""
    text = _SPACES.sub(" ", _WRAPPED_HYPHEN.sub("-", sentence)).strip()
    text = _GLUED_LINK.sub("", text)
    stripped = _LEADING_CONJUNCTION.sub("", text)
    if stripped != text and stripped:
        text = stripped[0].upper() + stripped[1:]
    quotes = sum(text.count(mark) for mark in _DOUBLE_QUOTES)
    if quotes % 2 == 1:
        if text[0] in _DOUBLE_QUOTES:
            text = text[1:].lstrip()
        elif text.rstrip(".!?")[-1:] in _DOUBLE_QUOTES:
            cut = len(text.rstrip(".!?")) - 1
            text = (text[:cut] + text[cut + 1 :]).rstrip()
    return text or _SPACES.sub(" ", sentence).strip()


def _clean_name(raw: str) -> str | None:
    words = raw.split()
    while words and words[0].lower() in _NOT_A_NAME:
        words.pop(0)
    name = " ".join(words).strip(" ,.;:")
    # "the Kremlin's alleged ..." is a possessive, not a speaker.
    if not name or name.lower() in _NOT_A_NAME or name.endswith(("'s", "’s")):
        return None
    return name


def find_claimant(sentence: str) -> str | None:
    """Who the sentence attributes its claim to ("X said", "according to X"), if anyone."""
    text = _SPACES.sub(" ", sentence)
    for pattern in _CLAIMANT_PATTERNS:
        for match in pattern.finditer(text):
            if pattern is _SUBJECT_VERB and _NOT_THE_SPEAKER_AFTER.search(
                text, 0, match.start("who")
            ):
                continue
            name = _clean_name(match.group("who"))
            if name:
                return name
    return None


def classify_kind(sentence: str, claimant: str | None) -> ClaimKind:
    """statistic > comparison > quote > event > other: the most specific thing to check."""
    if _STATISTIC.search(sentence):
        return "statistic"
    if _COMPARISON.search(sentence):
        return "comparison"
    if claimant is not None and _QUOTED_SPAN.search(sentence):
        return "quote"
    if _EVENT.search(sentence) or _PAST_ACTION.search(sentence):
        return "event"
    return "other"
