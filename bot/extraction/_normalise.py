"""Normalise pasted text for reading while remembering where every character came from.

Scrapes arrive with HTML entities, zero-width characters, non-breaking spaces, Windows line
ends and decomposed accents. The later stages read the cleaned text, but a claim must point
back into what the member pasted (`input[start:end] == sentence`), so every normalised
character records the span of ORIGINAL characters it was made from.
"""

from __future__ import annotations

import html
import re
import unicodedata
from array import array
from dataclasses import dataclass

# One pass finds everything that is not copied as is: an entity, or a run of whitespace and
# invisible characters (which collapses to one space or one/two line breaks, or vanishes).
_INVISIBLE = "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_CONTROL = "\x00-\x08\x0e-\x1f\x7f-\x9f"
_ODD = rf"[\s{_INVISIBLE}{_CONTROL}]"
# A lone plain space or line feed is already normal: left to the bulk copy, as most matches
# would be those.
_SPECIAL = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    rf"|{_ODD}{{2,}}|[^\S \n]|[{_INVISIBLE}{_CONTROL}]"
)
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_VISIBLE_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """`text` plus, for each of its characters, the ORIGINAL span `[starts[i], ends[i])`."""

    text: str
    starts: array[int]
    ends: array[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty span of `text` to the span of the original input it came from."""
        return self.starts[start], self.ends[end - 1]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: array[int] = array("q")
        self.ends: array[int] = array("q")
        self.last = ""

    def _after_space(self, piece: str) -> bool:
        # "a&nbsp; b" must read "a b": a space never follows a space across two pieces.
        return piece.startswith(" ") and self.last == " "

    def copy(self, piece: str, origin: int) -> None:
        """Append characters that map one to one onto the original."""
        if self._after_space(piece):
            piece, origin = piece[1:], origin + 1
        if piece:
            self.parts.append(piece)
            self.starts.extend(range(origin, origin + len(piece)))
            self.ends.extend(range(origin + 1, origin + len(piece) + 1))
            self.last = piece[-1]

    def replace(self, piece: str, start: int, end: int) -> None:
        """Append characters that together stand for the original span [start, end)."""
        if self._after_space(piece):
            piece = piece[1:]
        if piece:
            self.parts.append(piece)
            self.starts.extend([start] * len(piece))
            self.ends.extend([end] * len(piece))
            self.last = piece[-1]


def _copy_nfc(builder: _Builder, run: str, origin: int) -> None:
    if unicodedata.is_normalized("NFC", run):
        builder.copy(run, origin)
        return
    # Rare: compose cluster by cluster (a base character and the combining marks after it),
    # so that each composed character maps to exactly the characters it replaced.
    cluster_start = 0
    for index in range(1, len(run) + 1):
        if index < len(run) and unicodedata.combining(run[index]):
            continue
        cluster = run[cluster_start:index]
        composed = unicodedata.normalize("NFC", cluster)
        if composed == cluster:
            builder.copy(cluster, origin + cluster_start)
        else:
            builder.replace(composed, origin + cluster_start, origin + index)
        cluster_start = index


def _collapse_whitespace(run: str) -> str:
    breaks = len(_LINE_BREAKS.findall(run))
    if breaks:
        return "\n\n" if breaks > 1 else "\n"
    return " " if _VISIBLE_SPACE.search(run) else ""


def normalise(text: str) -> NormalisedText:
    """NFC, entities decoded, invisible/control characters dropped, whitespace collapsed."""
    builder = _Builder()
    copied_to = 0
    for match in _SPECIAL.finditer(text):
        if match.start() > copied_to:
            _copy_nfc(builder, text[copied_to : match.start()], copied_to)
        token = match.group()
        if token.startswith("&"):
            decoded = html.unescape(token)
            if decoded == token:
                builder.copy(token, match.start())
            else:
                # An entity may decode to a non-breaking space or a control character.
                cleaned = _collapse_whitespace(decoded) if _SPECIAL.fullmatch(decoded) else decoded
                builder.replace(unicodedata.normalize("NFC", cleaned), *match.span())
        else:
            builder.replace(_collapse_whitespace(token), *match.span())
        copied_to = match.end()
    if copied_to < len(text):
        _copy_nfc(builder, text[copied_to:], copied_to)
    return NormalisedText("".join(builder.parts), builder.starts, builder.ends)
