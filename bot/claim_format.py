"""Pure text formatting for claims shown in Discord: limits, harmless mentions, claim lines.

No discord import: these are plain strings and numbers, unit-tested on their own. The cogs
build embeds from them (cogs/_embeds.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

# What the store accepts for a status change (the modal's inputs are limited to the same).
from bot.store._validation import MAX_NOTE_CHARS as MAX_NOTE_CHARS
from bot.store._validation import MAX_URL_CHARS as MAX_URL_CHARS
from bot.store.models import ClaimStatus
from bot.store.views import ClaimView

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-limits).
CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
EMBED_FIELDS_LIMIT = 25
CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100

ELLIPSIS = "…"
ZERO_WIDTH_SPACE = "\u200b"
CLAIM_TEXT_CHARS = 280  # a claim line shows this much of the claim: ten lines fit an embed
LINES_PER_PAGE = 10
STATUS_MARKS = {
    ClaimStatus.PENDING: "⏳",
    ClaimStatus.VERIFIED: "✅",
    ClaimStatus.DISPUTED: "❌",
    ClaimStatus.INCONCLUSIVE: "❔",
    ClaimStatus.DISMISSED: "🗑️",
}
# Characters that would restyle the bot's message (bold, code, spoilers, masked links).
_MARKDOWN_SPECIALS = re.compile(r"([\\*_~`|\[\]])")


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending with an ellipsis if it was cut."""
    if limit < 1:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def harmless(text: str) -> str:
    """User text made safe to display: `@everyone`, `<@123>` and `<@&1>` cannot ping or render
    as mentions (a zero-width space after each @), and markdown cannot restyle the bot's
    message. The bot also sends allowed_mentions none: this is what the reader sees."""
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return text.replace("@", "@" + ZERO_WIDTH_SPACE)


def one_line(text: str) -> str:
    return " ".join(text.split())


def status_label(status: ClaimStatus) -> str:
    return f"{STATUS_MARKS[status]} {status.value}"


def claim_line(claim: ClaimView, *, repeat: bool = False) -> str:
    """`#12 · 0.91 · text…`, with the status when a moderator decided (or it was seen before)."""
    line = f"#{claim.number} · {claim.score:.2f} · " + harmless(
        truncate(one_line(claim.text), CLAIM_TEXT_CHARS)
    )
    if repeat:
        return f"{line} — already #{claim.number}, {status_label(claim.status)}"
    if claim.status is not ClaimStatus.PENDING:
        return f"{line} — {status_label(claim.status)}"
    return line


def _line_number(line: str) -> int | None:
    match = re.match(r"#(\d+) · ", line)
    return int(match.group(1)) if match else None


def listed_numbers(description: str) -> list[int]:
    """The claim numbers a description lists, one `#12 · …` line each."""
    return [n for n in map(_line_number, description.split("\n")) if n is not None]


def rerender_lines(description: str, claims: Mapping[int, ClaimView]) -> str | None:
    """The description with the lines of `claims` rendered anew (their status may have
    changed); None if it lists none of them. Other lines are left as they are."""
    lines = description.split("\n")
    found = False
    for index, line in enumerate(lines):
        number = _line_number(line)
        if number is not None and number in claims:
            lines[index] = claim_line(claims[number], repeat="— already #" in line)
            found = True
    if not found:
        return None
    return truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT)


def paginate(
    lines: Sequence[str], *, per_page: int = LINES_PER_PAGE, header: str = ""
) -> list[str]:
    """Descriptions holding at most `per_page` lines each, within Discord's description limit
    (the header, e.g. a summary, on the first page only). Always at least one page."""
    pages: list[str] = []
    current: list[str] = [header] if header else []
    count = 0
    for line in lines:
        candidate = "\n".join([*current, line])
        if count == per_page or (count and len(candidate) > EMBED_DESCRIPTION_LIMIT):
            pages.append("\n".join(current))
            current, count = [], 0
        current.append(truncate(line, EMBED_DESCRIPTION_LIMIT))
        count += 1
    pages.append(truncate("\n".join(current), EMBED_DESCRIPTION_LIMIT))
    return pages


def summary(claims_found: int, sentences_read: int, repeats: int = 0) -> str:
    """`7 claims from 23 sentences` (and how many were already known)."""
    text = f"{_plural(claims_found, 'claim')} from {_plural(sentences_read, 'sentence')}"
    if repeats:
        text += f" ({repeats} already submitted before)"
    return text


def no_claims_message(sentences_read: int, threshold: float, notes: Iterable[str] = ()) -> str:
    text = (
        f"No checkable claims found: read {_plural(sentences_read, 'sentence')}, and none "
        f"scored at or above the threshold {threshold:.2f}. Claims are specific factual "
        "statements (numbers, events, quotes) that could be checked."
    )
    extra = "; ".join(notes)
    return truncate(f"{text} Note: {extra}." if extra else text, CONTENT_LIMIT)


def when(moment: datetime) -> str:
    """A Discord timestamp: every reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:f>"


def choice_name(claim: ClaimView) -> str:
    """An autocomplete choice: `#12 · text…` within Discord's 100 characters (no markdown
    there, so the text is shown as is; choices cannot ping)."""
    return truncate(f"#{claim.number} · {one_line(claim.text)}", CHOICE_NAME_LIMIT)


def embed_size(
    title: str, description: str, fields: Iterable[tuple[str, str]] = (), footer: str = ""
) -> int:
    """Characters that count towards Discord's 6000 per embed."""
    return len(title) + len(description) + len(footer) + sum(len(n) + len(v) for n, v in fields)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
