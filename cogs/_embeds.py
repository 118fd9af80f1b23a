"""Embeds for claims, built from the pure helpers of bot.claim_format; every one stays inside
Discord's limits (titles, descriptions, fields and the 6000 total are cut with an ellipsis)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import discord

from bot import claim_format as fmt
from bot.known.matching import MatchKind
from bot.store import ClaimStatus, ClaimView, StatusChangeView
from bot.submission import SeenBefore, SubmissionResult

CLAIMS_PER_SUBMIT_PAGE = 5  # each claim of a page gets a row of buttons; a message has 5 rows
HISTORY_SHOWN = 10
SHOW_PART_CHARS = 1000  # claim text and sentence each: with the rest, under the 6000 total
EVIDENCE_LINK_CHARS = 300
# A seen-before note names the moderator and links the evidence: with five claim lines of a
# page, five notes of at most this many characters stay within the description's 4096.
SEEN_BEFORE_NOTE_CHARS = 420
MODERATOR_NAME_CHARS = 64
# How `seen_before_line` begins each note: the refresh of an answer finds its notes by these.
_REPEAT_NOTE = re.compile(r"#(?P<number>\d+) (?:repeats|may repeat) #(?P<earlier>\d+)\b")
_SAME_SENTENCE_NOTE = re.compile(r"#(?P<number>\d+) was submitted before\b")
COLOURS = {
    ClaimStatus.PENDING: discord.Colour.light_grey(),
    ClaimStatus.VERIFIED: discord.Colour.green(),
    ClaimStatus.DISPUTED: discord.Colour.red(),
    ClaimStatus.INCONCLUSIVE: discord.Colour.gold(),
    ClaimStatus.DISMISSED: discord.Colour.dark_grey(),
}


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def claims_embed(title: str, description: str, footer: str = "") -> discord.Embed:
    embed = discord.Embed(
        title=fmt.truncate(title, fmt.EMBED_TITLE_LIMIT),
        description=fmt.truncate(description, fmt.EMBED_DESCRIPTION_LIMIT),
    )
    if footer:
        embed.set_footer(text=fmt.truncate(footer, fmt.EMBED_FOOTER_LIMIT))
    return embed


def submission_pages(
    result: SubmissionResult,
    *,
    source_label: str,
    jump: str | None,
    jump_label: str = "source message",
) -> list[tuple[discord.Embed, list[ClaimView]]]:
    """The answer to a submission: embeds of at most five claims each (the first one with the
    summary and the jump link), with the claims each page's buttons are for."""
    claims = result.distinct_claims
    repeats = sum(1 for item in claims if not item.is_new)
    header = fmt.summary(len(claims), result.extraction.sentences_read, repeats)
    if jump:
        header += f" · [{jump_label}]({jump})"
    chunks = [
        claims[start : start + CLAIMS_PER_SUBMIT_PAGE]
        for start in range(0, len(claims), CLAIMS_PER_SUBMIT_PAGE)
    ]
    title = f"Claims from {fmt.harmless(fmt.one_line(source_label))}"
    notes: dict[int, SeenBefore] = {note.number: note for note in result.seen_before}
    pages = []
    for index, chunk in enumerate(chunks):
        lines = [fmt.claim_line(item.claim, repeat=not item.is_new) for item in chunk]
        # Below the claim lines (which a status change re-renders), what is known of them.
        seen = [seen_before_line(notes[i.claim.number]) for i in chunk if i.claim.number in notes]
        if seen:
            lines += ["", *seen]
        description = "\n".join([header, "", *lines] if index == 0 else lines)
        footer = f"Page {index + 1} of {len(chunks)}" if len(chunks) > 1 else ""
        embed = claims_embed(title if index == 0 else f"{title} (continued)", description, footer)
        pages.append((embed, [item.claim for item in chunk]))
    return pages


def seen_before_line(note: SeenBefore) -> str:
    """`#15 repeats #12: already ❌ disputed on <date> by Ann: <link>.`, or for a likely
    repeat how a moderator confirms or rejects it. The moderator's name is made harmless;
    the evidence is shown as a link without a preview (a link too long is left out: a cut
    link would lead somewhere else, and `/claims show` lists it)."""
    earlier = note.earlier
    status = fmt.status_label(earlier.status)
    if note.kind is MatchKind.LIKELY:
        return (
            f"#{note.number} may repeat #{earlier.number} ({status}): moderators, "
            f"`/claims repeat confirm {note.number}` if it is the same claim, "
            f"`/claims repeat reject {note.number}` if not."
        )
    if note.kind is None:
        head = f"#{earlier.number} was submitted before"
    else:
        head = f"#{note.number} repeats #{earlier.number}"
    if earlier.status is ClaimStatus.PENDING:
        return f"{head}, still {status} review."
    if note.verdict is None:  # a verdict without a recorded change: imported data
        return f"{head}: already {status}."
    moderator = fmt.truncate(fmt.one_line(note.verdict.moderator_name), MODERATOR_NAME_CHARS)
    line = (
        f"{head}: already {status} on {fmt.when(note.verdict.changed_at)} by "
        f"{fmt.harmless(moderator)}"
    )
    url = note.verdict.evidence_url
    if url and len(line) + len(url) + 4 <= SEEN_BEFORE_NOTE_CHARS:
        # Encoded so that the link cannot close its brackets and let markdown follow.
        line += f": <{url.replace('<', '%3C').replace('>', '%3E')}>"
    return fmt.truncate(line + ".", SEEN_BEFORE_NOTE_CHARS)


def not_a_repeat_line(number: int, earlier: int) -> str:
    """What a rejected suggestion's note becomes. Said rather than removed: a member who read
    "may repeat" sees the question answered, not a note that vanished without a word (decided,
    or lost?). It names no status, so no later change edits it (`note_refs` skips it)."""
    return f"#{number} is not a repeat of #{earlier}: a moderator found it is a claim of its own."


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A seen-before note shown in an answer: about claim `number` of that submission, naming
    the `earlier` claim (the same number when the very sentence was submitted before)."""

    number: int
    earlier: int

    @property
    def same_sentence(self) -> bool:
        return self.number == self.earlier  # a repeat always names an older claim


def note_refs(description: str) -> list[NoteRef]:
    """The notes that show an earlier claim's status, in the order of the description."""
    return [ref for ref in map(_note_ref, description.split("\n")) if ref is not None]


def _note_ref(line: str) -> NoteRef | None:
    if match := _SAME_SENTENCE_NOTE.match(line):
        return NoteRef(int(match["number"]), int(match["number"]))
    if match := _REPEAT_NOTE.match(line):
        return NoteRef(int(match["number"]), int(match["earlier"]))
    return None


def rerender_notes(description: str, notes: Mapping[int, str]) -> str | None:
    """The description with the note on each claim of `notes` (keyed by the note's claim
    number) replaced by its new text; None if it has none of them. Claim lines and other
    notes are left as they are."""
    lines = description.split("\n")
    found = False
    for index, line in enumerate(lines):
        ref = _note_ref(line)
        if ref is not None and ref.number in notes:
            lines[index] = notes[ref.number]
            found = True
    if not found:
        return None
    return fmt.truncate("\n".join(lines), fmt.EMBED_DESCRIPTION_LIMIT)


def list_embed(
    title: str, claims: Sequence[ClaimView], footer: str, *, show_demand: bool = False
) -> discord.Embed:
    """Claim lines (with `show_demand`, how often each was submitted, when more than once)."""
    lines = [_list_line(claim, show_demand) for claim in claims] or ["No claims."]
    return claims_embed(title, fmt.paginate(lines, per_page=len(lines))[0], footer)


def _list_line(claim: ClaimView, show_demand: bool) -> str:
    line = fmt.claim_line(claim)
    if show_demand and claim.times_submitted > 1:
        line += f" · submitted {claim.times_submitted}×"
    return line


def show_title(number: int) -> str:
    return f"Claim #{number}"


def show_embed(claim: ClaimView, history: Sequence[StatusChangeView]) -> discord.Embed:
    """One claim in full: text, source sentence and article, status, history and evidence."""
    embed = discord.Embed(
        title=show_title(claim.number),
        description=fmt.truncate(fmt.harmless(claim.text), SHOW_PART_CHARS),
        colour=COLOURS[claim.status],
    )
    status = fmt.status_label(claim.status)
    if claim.status_changed_by_name and history:
        status += (
            f" by {fmt.harmless(claim.status_changed_by_name)}, {fmt.when(history[-1].changed_at)}"
        )
    fields: list[tuple[str, str]] = [
        ("Status", status),
        ("Score", f"{claim.score:.2f} ({claim.kind})"),
        ("Source sentence", fmt.truncate(fmt.harmless(claim.sentence), SHOW_PART_CHARS)),
        ("Article", fmt.truncate(fmt.harmless(claim.source), 300) + f" (#{claim.article_id})"),
    ]
    if claim.claimant:
        fields.append(("Claimant", fmt.truncate(fmt.harmless(claim.claimant), 200)))
    if claim.times_submitted > 1:
        fields.append(("Submitted", f"{claim.times_submitted} times"))
    fields.append(("History", _history_text(history)))
    evidence = [change.evidence_url for change in history if change.evidence_url]
    if evidence:
        fields.append(("Evidence", _evidence_text(evidence)))
    for name, value in fields:
        embed.add_field(
            name=name,
            value=fmt.truncate(value, fmt.EMBED_FIELD_VALUE_LIMIT),
            inline=name in ("Status", "Score"),
        )
    embed.set_footer(text=f"Added {claim.created_at:%Y-%m-%d %H:%M} UTC")
    return fit_embed(embed)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Shorten the longest field until the whole embed is within Discord's 6000 characters."""
    while len(embed) > fmt.EMBED_TOTAL_LIMIT and embed.fields:
        longest = max(range(len(embed.fields)), key=lambda i: len(embed.fields[i].value or ""))
        value = embed.fields[longest].value or ""
        excess = len(embed) - fmt.EMBED_TOTAL_LIMIT
        embed.set_field_at(
            longest,
            name=embed.fields[longest].name or "",
            value=fmt.truncate(value, max(1, len(value) - excess - 1)),
            inline=bool(embed.fields[longest].inline),
        )
    return embed


def _evidence_text(urls: Sequence[str]) -> str:
    """Newest evidence first; a link too long to show whole is shortened and not clickable
    (a cut link would lead somewhere else)."""
    lines = []
    for url in reversed(dict.fromkeys(urls)):
        lines.append(f"<{url}>" if len(url) <= EVIDENCE_LINK_CHARS else fmt.truncate(url, 120))
    return fmt.truncate("\n".join(lines), fmt.EMBED_FIELD_VALUE_LIMIT)


def _history_text(history: Sequence[StatusChangeView]) -> str:
    if not history:
        return "No decisions yet."
    shown = history[-HISTORY_SHOWN:]
    lines = [] if len(shown) == len(history) else [f"({len(history) - len(shown)} earlier)"]
    for change in shown:
        line = (
            f"{fmt.when(change.changed_at)} {fmt.harmless(change.moderator_name)}: "
            f"{change.from_status.value} → {change.to_status.value}"
        )
        if change.note:
            line += f" — {fmt.harmless(fmt.truncate(fmt.one_line(change.note), 120))}"
        lines.append(line)
    # Keep the newest when the field is full: cut from the front.
    text = "\n".join(lines)
    while len(text) > fmt.EMBED_FIELD_VALUE_LIMIT and len(lines) > 1:
        lines.pop(0)
        text = "\n".join(lines)
    return text


def stats_embed(
    all_time: dict[ClaimStatus, int], this_week: dict[ClaimStatus, int]
) -> discord.Embed:
    embed = discord.Embed(title="Claims by status")
    for heading, counts in (("This week", this_week), ("All time", all_time)):
        lines = [f"{fmt.status_label(status)}: {counts.get(status, 0):,}" for status in ClaimStatus]
        lines.append(f"**total: {sum(counts.values()):,}**")
        embed.add_field(name=heading, value="\n".join(lines), inline=True)
    return embed


def refreshed_embeds(
    embeds: Sequence[discord.Embed],
    claims: Mapping[int, ClaimView],
    show: discord.Embed | None = None,
    notes: Mapping[int, str] | None = None,
) -> list[discord.Embed] | None:
    """The message's embeds with the lines of `claims` showing their current status, the
    seen-before notes on the claims of `notes` replaced by their text (`rerender_notes`) and a
    `/claims show` embed replaced by `show`; None if the message shows none of them."""
    changed = False
    result = []
    for embed in embeds:
        if show is not None and embed.title == show.title:
            result.append(show)
            changed = True
            continue
        description = embed.description or ""
        lines = fmt.rerender_lines(description, claims)
        updated = rerender_notes(lines or description, notes or {})
        if lines is not None or updated is not None:
            embed = embed.copy()
            embed.description = updated or lines
            changed = True
        result.append(embed)
    return result if changed else None
