"""Submitting an article: check what the user gave, extract its claims off the event loop,
store them, and hand back what the cog shows (the claims, new or already known, and counts).

Discord-free: the cogs turn interactions into calls here and results into embeds.
"""

from __future__ import annotations

import asyncio
import html.parser
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.errors import InvalidInput
from bot.extraction import Extractor
from bot.extraction.types import ExtractionResult
from bot.ingest import SourceText, read_link_for_guild
from bot.known.matching import MatchKind
from bot.known.repeats import record_repeats
from bot.settings import Settings
from bot.store import ClaimStatus, ClaimStore, ClaimView, StatusChangeView
from bot.store.views import SubmitOutcome, SubmittedClaim

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 1024 * 1024
ACCEPTED_SUFFIXES = (".txt", ".md", ".html", ".htm")
# Below this many characters a message in an auto-extract channel is chat, not an article.
AUTO_EXTRACT_MIN_CHARS = 400
# Tags that end a paragraph: their text must not run into the next block's.
_BLOCK_TAGS = frozenset(
    """p div br hr li ul ol h1 h2 h3 h4 h5 h6 table tr td th
    section article header footer blockquote""".split()  # noqa: SIM905 (a word list)
)
_SKIPPED_TAGS = frozenset(("script", "style", "noscript", "template", "head"))


@dataclass(frozen=True, slots=True)
class Submitter:
    """Who submitted, and where (for the jump link and the audit trail)."""

    guild_id: int
    user_id: int | None
    name: str
    channel_id: int | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class SeenBefore:
    """A claim of the submission the guild has seen before: a new claim `number` that
    repeats `earlier` (matched by bot.known.repeats, `kind` exact or likely), or the very same
    sentence stored earlier (`kind` None, `number` == earlier.number). `verdict` is the change
    that gave the earlier claim its current status (None while it is pending)."""

    number: int
    earlier: ClaimView
    kind: MatchKind | None
    verdict: StatusChangeView | None


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    extraction: ExtractionResult
    outcome: SubmitOutcome | None  # None when no claim was found (nothing is stored then)
    seen_before: tuple[SeenBefore, ...] = ()  # in the order of the claims

    @property
    def claims(self) -> tuple[SubmittedClaim, ...]:
        return self.outcome.claims if self.outcome else ()

    @property
    def distinct_claims(self) -> list[SubmittedClaim]:
        """Each claim once (an article may repeat a sentence that is already stored)."""
        seen: set[int] = set()
        distinct = []
        for item in self.claims:
            if item.claim.number not in seen:
                seen.add(item.claim.number)
                distinct.append(item)
        return distinct


def check_upload(filename: str, size: int) -> None:
    """Refuse a file by its name and size, before downloading it."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix not in ACCEPTED_SUFFIXES:
        raise InvalidInput(
            f"Cannot read {suffix or 'files without an extension'}: attach a .txt, .md or "
            ".html file."
        )
    if size > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"The file is {size / 1024 / 1024:.1f} MB; the limit is 1 MB.")


def text_from_upload(filename: str, data: bytes) -> str:
    """The article text of an uploaded file (.txt, .md or .html, at most 1 MB, UTF-8)."""
    check_upload(filename, len(data))
    suffix = PurePosixPath(filename.lower()).suffix
    if b"\x00" in data:
        raise InvalidInput("This file looks binary, not like the text of an article.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("This file is not UTF-8 text.") from None
    if suffix in (".html", ".htm"):
        text = text_from_html(text)
    return text


class _TextOfHtml(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def text_from_html(markup: str) -> str:
    """The readable text of an HTML page: paragraphs kept apart, scripts and styles dropped."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    paragraphs = (" ".join(block.split()) for block in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def check_text(text: str, *, max_chars: int) -> str:
    """Refuse an empty, too large or binary paste before any work is done."""
    if not text.strip():
        raise InvalidInput("The article is empty: paste its text or attach a file.")
    if len(text) > max_chars:
        raise InvalidInput(
            f"The article is {len(text):,} characters long; the limit is {max_chars:,}."
        )
    if "\x00" in text:
        raise InvalidInput("This looks like binary data, not the text of an article.")
    return text


async def read_article_link(
    store: ClaimStore, settings: Settings, *, guild_id: int, link: str
) -> SourceText:
    """The article behind a member's link: the guild's stored copy of that link if it has one
    (no second fetch), else fetched through the guard. A refusal is a FetchRefused."""
    # client=None: the guard then opens its own connections, pinned to the addresses it
    # checked; a shared client would connect wherever DNS says next (a rebinding window).
    return await read_link_for_guild(
        link, guild_id=guild_id, store=store, settings=settings, client=None
    )


async def submit_article(
    store: ClaimStore,
    extractor: Extractor,
    submitter: Submitter,
    *,
    text: str,
    source: str,
    title: str | None = None,
) -> SubmissionResult:
    """Extract (in a worker thread: it is CPU work) and store the claims of one article."""
    check_text(text, max_chars=store.max_article_chars)
    settings = await store.get_guild_settings(guild_id=submitter.guild_id)
    extraction = await asyncio.to_thread(
        extractor.extract, text, threshold=settings.score_threshold
    )
    if not extraction.candidates:
        return SubmissionResult(extraction, None)
    outcome = await store.submit_article(
        guild_id=submitter.guild_id,
        source=source,
        title=title,
        text=text,
        submitter_id=submitter.user_id,
        submitter_name=submitter.name,
        channel_id=submitter.channel_id,
        message_id=submitter.message_id,
        candidates=extraction.candidates,
    )
    return SubmissionResult(extraction, outcome, await seen_before(store, outcome))


async def seen_before(store: ClaimStore, outcome: SubmitOutcome) -> tuple[SeenBefore, ...]:
    """Record which new claims repeat earlier ones (also reworded), and collect them with the
    already stored sentences that have a verdict, each with that verdict's change."""
    try:
        repeats = await record_repeats(store, outcome.new_claims)
    except Exception:
        # The article and its claims are stored: answering without the repeat notes beats
        # losing the answer (and its buttons). The traceback is logged for the operator.
        log.exception("Matching repeats failed for article %s", outcome.article.id)
        repeats = []
    found: list[tuple[int, ClaimView, MatchKind | None]] = [
        (r.claim.number, r.earlier, r.kind) for r in repeats
    ]
    seen: set[int] = set()
    for claim in outcome.existing_claims:
        if claim.status is not ClaimStatus.PENDING and claim.number not in seen:
            seen.add(claim.number)
            found.append((claim.number, claim, None))
    order = {item.claim.number: index for index, item in enumerate(outcome.claims)}
    found.sort(key=lambda item: order.get(item[0], len(order)))
    return tuple(
        [await seen_before_note(store, number, earlier, kind) for number, earlier, kind in found]
    )


async def seen_before_note(
    store: ClaimStore, number: int, earlier: ClaimView, kind: MatchKind | None
) -> SeenBefore:
    """The note on claim `number` with the earlier claim as it stands now, and the change that
    gave it that status: shared by a fresh answer and the refresh of an answer already shown,
    so that both word the note alike."""
    return SeenBefore(number, earlier, kind, await _verdict(store, earlier))


async def _verdict(store: ClaimStore, claim: ClaimView) -> StatusChangeView | None:
    if claim.status is ClaimStatus.PENDING:
        return None
    history = await store.claim_history(guild_id=claim.guild_id, number=claim.number)
    return history[-1] if history else None
