"""Checks on what users give the store; each refusal is an InvalidInput with a clear message."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InvalidInput
from bot.store.models import STATUS_VALUES, ClaimStatus

MAX_NOTE_CHARS = 1000
MAX_URL_CHARS = 2000
MAX_NAME_CHARS = 100
_LOCAL_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_status(value: str | ClaimStatus) -> ClaimStatus:
    try:
        return ClaimStatus(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(
            f"Unknown status {str(value)!r}: use one of {', '.join(STATUS_VALUES)}."
        ) from None


def check_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    note = note.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(
            f"The note is {len(note)} characters long; the limit is {MAX_NOTE_CHARS}."
        )
    return note


def check_evidence_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(char.isspace() for char in url)
    ):
        raise InvalidInput(f"Evidence must be an http(s) link, not {url[:80]!r}.")
    if len(url) > MAX_URL_CHARS:
        raise InvalidInput(f"The evidence link is longer than {MAX_URL_CHARS} characters.")
    return url


def check_name(name: str, *, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(f"The {what} name must not be empty.")
    return name[:MAX_NAME_CHARS]


def check_article_text(text: str, *, max_chars: int) -> str:
    if not text.strip():
        raise InvalidInput("The article is empty.")
    if len(text) > max_chars:
        raise InvalidInput(
            f"The article is {len(text):,} characters long; the limit is {max_chars:,}."
        )
    return text


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin."
        ) from None
    return name


def check_local_time(value: time | str) -> str:
    text = value.strftime("%H:%M") if isinstance(value, time) else value.strip()
    if not _LOCAL_TIME.match(text):
        raise InvalidInput(f"Time {text!r} is not HH:MM (24-hour clock).")
    return text


def check_weekday(day: int) -> int:
    if not 0 <= day <= 6:
        raise InvalidInput("The weekday must be 0 (Monday) to 6 (Sunday).")
    return day


def check_threshold(value: float | None) -> float | None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise InvalidInput("The score threshold must be between 0 and 1.")
    return value


def normalised_sentence(sentence: str) -> str:
    """What makes two sentences "the same claim": case, width and spacing do not count."""
    return " ".join(unicodedata.normalize("NFKC", sentence).casefold().split())


def sentence_hash(sentence: str) -> str:
    return hashlib.sha256(normalised_sentence(sentence).encode("utf-8")).hexdigest()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
