"""Find the lines of a pasted page that are article prose, and drop the page furniture.

Works on normalised text, line by line: a scraped page puts each piece of furniture (byline,
caption, share row, cookie banner, "Read more" link) on a line of its own. A few artefacts sit
INSIDE a prose line instead (a dateline prefix, a "More" glued to a headline); those are
trimmed off the line's span rather than dropping it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# Lines starting like this are links, calls to action or labels, whatever follows. (Short
# unpunctuated furniture is dropped as a headline anyway; these catch the rest.)
_CALL_TO_ACTION = re.compile(
    r"^\W*(read more|read next|read also|also read|related( articles?| stories| coverage| content|"
    r" topics| news)?|more (from|on|about|stories|news)|more:|recommended( for you| stories)?|"
    r"see also|share( this| on| via|:|$)|sign (up|in)|subscribe|follow us|follow our|"
    r"advertisement|sponsored( content|:|$)|click here|tap here|continue reading|keep reading|"
    r"watch( now| live| more|:|$)|listen( now| to|:|$)|most (read|popular|viewed|shared)|"
    r"trending( now|:|$)|top stories|latest (news|stories|videos)|newsletter(:|$| sign)|log ?in|"
    r"register( now|:|$)|"
    r"skip to|back to top|jump to|download (the|our) app|get the app|get our|join (us|our)|"
    r"story continues|article continues|this article (was|is|has been)|copyright\s*(©|\(c\)|\d)|©|"
    r"all rights "
    r"reserved|terms of (use|service)|privacy policy|contact us|about us|editor'?s picks?|"
    r"photos?:|video:|image:|gallery:|caption:|credit:|source:|file photo|tags?:|topics?:|"
    r"filed under:|comments?( \(\d+\))?:?$|show comments|leave a comment|"
    r"reporting by|additional reporting|writing by|editing by|compiled by|produced by)(?!\w)",
    re.IGNORECASE,
)
# "Click here" and friends inside a short line mark it as a link too.
_LINK_PHRASE = re.compile(
    r"\b(click here|tap here|read more|sign up for|subscribe to our|follow us on|"
    r"download our app|share this (article|story|page))\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    # Possessive name words (*+): a hyphen inside a name is never retried as a separator,
    # which keeps matching linear.
    r"^\W*(?i:by|written by|words by|story by|from)\s+[A-Z][\w.'’-]*+(\s+[A-Z][\w.'’-]*+){0,3}"
    r"(\s*(,|and|&|\||-|—|–)\s*[A-Z][\w.'’-]*+(\s+[A-Z][\w.'’-]*+){0,4})*+\W*$",
)
_AUTHOR_ROLE = re.compile(
    r"^[A-Z][\w.'’-]*+(\s+[A-Z][\w.'’-]*+){0,3}\s*[,|-]\s*(staff writer|senior (writer|reporter|"
    r"correspondent)|reporter|correspondent|editor|contributor|columnist|health reporter|"
    r"political reporter)\b",
    re.IGNORECASE,
)
_MONTH = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?)\.?"
)
_TIMESTAMP = re.compile(
    r"^\W*((published|updated|posted|last updated|first published|modified|date)\b|"
    r"\d+\s+(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\b|"
    r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+\d|"
    rf"{_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|"
    r"\d{1,2}:\d{2}\s*([ap]\.?m\.?)?\b)",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(
    r"(\((AP|AFP|Reuters|Getty|EPA|Bloomberg)[^)]{0,60}(photo|images?|/)[^)]{0,60}\)|"
    r"\b(getty images|shutterstock|afp via getty|ap photo|reuters/|epa-efe|"
    r"photo(graph)? (by|credit|courtesy)|image (credit|source|courtesy)|pictured( above| here)?:|"
    r"file photo|\(photo:|\(image:|\(credit:)|^\W*(photo|image|picture|credit)\s*[:|/])",
    re.IGNORECASE,
)
_COOKIE = re.compile(
    r"\b(cookies?|consent|gdpr|your privacy|privacy (settings|preferences|choices))\b", re.I
)
_COOKIE_ACTION = re.compile(
    r"\b(accept|agree|reject|manage|use|uses|preferences|settings|personalis|personaliz|"
    r"partners|consent)\w*",
    re.IGNORECASE,
)
_COUNTER = re.compile(
    r"^\W*(\d[\d,.]*\s*[kKmM]?\s*)?(shares?|comments?|likes?|views?|reactions?|retweets?|"
    r"replies|reposts?|claps|votes?)\W*(\d[\d,.]*\s*[kKmM]?)?\W*$",
    re.IGNORECASE,
)
_SHARE_ROW = re.compile(
    r"^\W*+((facebook|twitter|x|linkedin|whatsapp|email|e-mail|print|copy link|reddit|"
    r"pinterest|telegram|messenger|share|tweet|save|comment|flipboard)\b\W*+){2,}$",
    re.IGNORECASE,
)
# Section footers of non-English sites that end up in scrapes of syndicated articles.
_FOREIGN_FOOTER = re.compile(
    r"^\W*(últimas noticias|noticias relacionadas|lo más (leído|visto)|te puede interesar|"
    r"leia (mais|também)|últimas notícias|lire aussi|à lire aussi|les plus lus|"
    r"mehr zum thema|weitere nachrichten|das könnte sie auch interessieren|ultime notizie|"
    r"leggi anche|meest gelezen|lees ook)\b",
    re.IGNORECASE,
)
_NAV_SEPARATORS = re.compile(r"\s*[|•·›»/>]\s*|\s{2,}")
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]+(\s+[A-Z][A-Z.'’-]+){0,3}(,\s+[\w.]+(\s+[\w.]+){0,2})?"
    r"(\s*\([A-Za-z .&]+\))?\s*[-—–]{1,2}\s+(?=\S)"
)
_BULLET = re.compile(r"^(?:[•*·▪‣◦►–—-]|\d{1,2}[.)])\s+(?=\S)")
# Scrapers glue a link label onto the end of the headline before it ("…makes no senseMore").
_GLUED_LINK = re.compile(
    r"(?<=[a-z0-9.!?’'\")\]])(More|Read more|Read More|Continue reading|Show more|See more)\W*$"
)
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_DANGLING_END = re.compile(
    r"(?:[,;(\[“\"‘-]|\b(?:the|a|an|of|to|in|on|at|by|for|with|and|or|but|from|that|as|"
    r"his|her|their|its|is|are|was|were|has|have|had|will|would|than|into|said|says|since|"
    r"about|over|under|after|before|between|during|until|nearly|almost|only))$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d[\d,.]*")

HEADLINE_MAX_WORDS = 20
# Furniture is short: longer lines are prose (or a cookie banner, the one long furniture), and
# the costlier patterns only ever see short lines, so a 200,000-character line stays cheap.
_LONGEST_FURNITURE = 600
_SHORT_LINE = 200
_LONGEST_TIMESTAMP_WORDS = 14
_SHORTEST_PROSE_WORDS = 6
_LONGEST_LINK_WORDS = 15
_GLUED_TAIL = 40
_DATELINE_HEAD = 120
_WRAPPED_MIN_LINES = 3
_WRAP_MIN_WIDTH = 50
_WRAP_MAX_WIDTH = 100
_WRAP_SLACK = 20  # a wrapped line falls short of the width by at most a long word or so


@dataclass(frozen=True, slots=True)
class ContentBlock:
    """A span [start, end) of the normalised text that holds article prose."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class BoilerplateReport:
    blocks: list[ContentBlock]
    dropped_lines: int


def _is_navigation(line: str, words: list[str]) -> bool:
    parts = [part for part in _NAV_SEPARATORS.split(line) if part]
    if len(parts) >= 3 and all(len(part.split()) <= 3 for part in parts):
        return True
    # "Home News World Politics Business Tech Sport": a row of capitalised single words.
    capitalised = [word for word in words if word[0].isupper()]
    return len(words) >= 5 and len(capitalised) == len(words) and not _TERMINAL.search(line)


def _is_headline(line: str, words: list[str]) -> bool:
    """Short lines that do not end like a sentence are headlines, labels or link titles."""
    return len(words) <= HEADLINE_MAX_WORDS and not _TERMINAL.search(line)


def _is_timestamp(line: str, words: list[str]) -> bool:
    """A timestamp line ("Updated 2 hours ago"), not prose that opens with a date or "Posted"
    ("Posted in 2019, the video was viewed 3 million times.")."""
    if len(words) > _LONGEST_TIMESTAMP_WORDS:
        return False
    reads_like_prose = len(words) > _SHORTEST_PROSE_WORDS and _TERMINAL.search(line)
    return not reads_like_prose and bool(_TIMESTAMP.match(line))


def _is_cookie_banner(line: str) -> bool:
    return bool(_COOKIE.search(line)) and bool(_COOKIE_ACTION.search(line))


def classify_line(line: str) -> str | None:
    """The kind of furniture `line` (stripped, normalised) is, or None for prose."""
    words = _WORD.findall(line)
    if not words:
        return "no words"
    if len(line) > _LONGEST_FURNITURE:
        return "cookie banner" if _is_cookie_banner(line) else None
    short = len(line) <= _SHORT_LINE
    kind = None
    if _CALL_TO_ACTION.search(line):
        kind = "call to action"
    elif _FOREIGN_FOOTER.search(line):
        kind = "foreign footer"
    elif short and (_BYLINE.match(line) or _AUTHOR_ROLE.match(line)):
        kind = "byline"
    elif _is_timestamp(line, words):
        kind = "timestamp"
    elif _PHOTO_CREDIT.search(line):
        kind = "photo credit"
    elif _is_cookie_banner(line):
        kind = "cookie banner"
    elif short and (_COUNTER.match(line) or _SHARE_ROW.match(line)):
        kind = "counter"
    elif len(words) <= _LONGEST_LINK_WORDS and _LINK_PHRASE.search(line):
        kind = "link"
    elif _is_navigation(line, words):
        kind = "navigation"
    elif _is_headline(line, words):
        kind = "headline"
    return kind


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a prose line's span past a bullet or dateline prefix and a glued link label."""
    tail_start = max(start, end - _GLUED_TAIL)
    glued = _GLUED_LINK.search(text, tail_start, end)
    if glued:
        end = glued.start()
    head = text[start : min(end, start + _DATELINE_HEAD)]
    prefix = _BULLET.match(head) or _DATELINE.match(head)
    if prefix:
        start += prefix.end()
    return start, end


def _stripped_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of `text`, without their surrounding spaces."""
    spans = []
    position = 0
    for raw_line in text.split("\n"):
        stripped = raw_line.strip()
        if stripped:
            start = position + (len(raw_line) - len(raw_line.lstrip()))
            spans.append((start, start + len(stripped)))
        position += len(raw_line) + 1
    return spans


def _wrap_width(text: str, lines: list[tuple[int, int]]) -> int | None:
    """The column a hard-wrapped paste was wrapped at, or None if it was not wrapped.

    In wrapped text (from e-mail, terminals) every line that a paragraph goes on after falls
    just short of one width, ~50-100; the last line of a paragraph can be any length.
    """
    lengths = sorted(
        end - start
        for (start, end), (next_start, _) in itertools.pairwise(lines)
        if text.count("\n", end, next_start) == 1
    )
    if len(lengths) < _WRAPPED_MIN_LINES:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    full = sum(width - _WRAP_SLACK <= length <= width for length in lengths)
    wrapped = _WRAP_MIN_WIDTH <= width <= _WRAP_MAX_WIDTH and full >= 0.75 * len(lengths)
    return width if wrapped else None


def _continues(
    text: str, line: tuple[int, int], following: tuple[int, int], wrap_width: int | None
) -> bool:
    """Is `following` the rest of a paragraph hard-wrapped at the end of `line`?

    In a wrapped paste, a full line continues on the next. Elsewhere, a line that does not end
    like a sentence continues when the next starts in lower case, or when the line itself
    stops on a word that cannot end a sentence ("of", "the", a comma).
    """
    between = text[line[1] : following[0]]
    if between.count("\n") != 1:  # a blank line ends a paragraph
        return False
    last_line = text[text.rfind("\n", line[0], line[1]) + 1 : line[1]]
    if wrap_width is not None and len(last_line) >= wrap_width - _WRAP_SLACK:
        return True
    tail = last_line[-_GLUED_TAIL:]
    if _TERMINAL.search(tail) or _GLUED_LINK.search(tail):
        return False
    first = text[following[0]]
    return first.islower() or bool(_DANGLING_END.search(tail))


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines, with hard-wrapped prose lines joined back into one span."""
    lines = _stripped_lines(text)
    wrap_width = _wrap_width(text, lines)
    joined: list[tuple[int, int]] = []
    for span in lines:
        if joined and _continues(text, joined[-1], span, wrap_width):
            joined[-1] = (joined[-1][0], span[1])
        else:
            joined.append(span)
    return joined


def find_content(text: str) -> BoilerplateReport:
    """The prose blocks of normalised `text`, in order, and how many lines were dropped."""
    blocks: list[ContentBlock] = []
    dropped = 0
    for line_start, line_end in _logical_lines(text):
        start, end = _trim(text, line_start, line_end)
        line = text[start:end].replace("\n", " ").strip()
        if not line or classify_line(line) is not None:
            dropped += 1
            continue
        blocks.append(ContentBlock(start, end))
    return BoilerplateReport(blocks, dropped)
