"""Seen-before notes of an answer re-rendered when a claim they name changes (pure helpers of
cogs/_embeds.py): every note form is found again in the text it was rendered to, only the
notes given are replaced, and claim lines and other notes stay as they are."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import discord
import pytest

from bot import claim_format as fmt
from bot.known.matching import MatchKind
from bot.store import ClaimStatus, StatusChangeView
from bot.submission import SeenBefore
from cogs._embeds import (
    NoteRef,
    not_a_repeat_line,
    note_refs,
    refreshed_embeds,
    rerender_notes,
    seen_before_line,
)
from tests.test_claim_format import CLAIM

AT = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
EARLIER = replace(CLAIM, number=12)
NEW = replace(CLAIM, number=15, text="Prices grew 3.5% in March.")
OTHER = replace(CLAIM, number=16, text="Exports doubled.")


def verdict(status: ClaimStatus, name: str = "Ann", url: str | None = None) -> StatusChangeView:
    return StatusChangeView(
        claim_number=12, from_status=ClaimStatus.PENDING, to_status=status, moderator_id=1,
        moderator_name=name, note=None, evidence_url=url, changed_at=AT,
    )  # fmt: skip


def disputed_note(number: int, kind: MatchKind | None) -> SeenBefore:
    earlier = replace(EARLIER, status=ClaimStatus.DISPUTED)
    return SeenBefore(number, earlier, kind, verdict(ClaimStatus.DISPUTED))


NOTES = [
    SeenBefore(15, EARLIER, MatchKind.EXACT, None),
    SeenBefore(15, EARLIER, MatchKind.LIKELY, None),
    SeenBefore(12, EARLIER, None, None),
    disputed_note(15, MatchKind.EXACT),
    disputed_note(15, MatchKind.LIKELY),
    disputed_note(12, None),
    # A hostile name that itself reads like a note must not be taken for one.
    SeenBefore(
        15,
        replace(EARLIER, status=ClaimStatus.VERIFIED),
        MatchKind.EXACT,
        verdict(ClaimStatus.VERIFIED, name="#3 repeats #2 @everyone", url="https://e.example/"),
    ),
]


@pytest.mark.parametrize("note", NOTES)
def test_every_note_form_is_found_in_its_rendering(note: SeenBefore) -> None:
    assert note_refs(seen_before_line(note)) == [NoteRef(note.number, note.earlier.number)]


def test_claim_lines_and_a_decided_suggestion_are_not_notes() -> None:
    description = "\n".join(
        [
            "3 claims from 4 sentences (1 already submitted before)",
            fmt.claim_line(NEW),
            fmt.claim_line(EARLIER, repeat=True),
            not_a_repeat_line(15, 12),
        ]
    )
    assert note_refs(description) == []
    assert NoteRef(12, 12).same_sentence
    assert not NoteRef(15, 12).same_sentence


def answer_description(*notes: SeenBefore) -> str:
    lines = [fmt.claim_line(NEW), fmt.claim_line(OTHER)]
    return "\n".join(["2 claims from 2 sentences", "", *lines, "", *map(seen_before_line, notes)])


def test_only_the_notes_given_are_replaced() -> None:
    pending = SeenBefore(15, EARLIER, MatchKind.EXACT, None)
    other = SeenBefore(16, replace(EARLIER, number=9), MatchKind.LIKELY, None)
    description = answer_description(pending, other)
    assert "#15 repeats #12, still ⏳ pending review." in description

    now = seen_before_line(disputed_note(15, MatchKind.EXACT))
    updated = rerender_notes(description, {15: now})

    assert updated is not None
    before, after = description.split("\n"), updated.split("\n")
    assert after[-2] == now
    assert now.startswith("#15 repeats #12: already ❌ disputed on <t:")
    assert after[:-2] == before[:-2]  # header and claim lines as they were
    assert after[-1] == before[-1]  # the note on #16 too
    assert rerender_notes(description, {99: now}) is None
    assert rerender_notes("no notes here", {15: now}) is None


def test_a_rejected_suggestion_says_so() -> None:
    likely = SeenBefore(15, EARLIER, MatchKind.LIKELY, None)
    description = answer_description(likely)
    updated = rerender_notes(description, {15: not_a_repeat_line(15, 12)})
    assert updated is not None
    assert updated.split("\n")[-1] == (
        "#15 is not a repeat of #12: a moderator found it is a claim of its own."
    )
    assert "/claims repeat" not in updated


def test_refreshed_embeds_replace_notes_and_lines_together() -> None:
    description = answer_description(SeenBefore(15, EARLIER, MatchKind.EXACT, None))
    embed = discord.Embed(title="Claims from a paste", description=description)
    now = seen_before_line(disputed_note(15, MatchKind.EXACT))
    verified_other = replace(OTHER, status=ClaimStatus.VERIFIED)

    only_note = refreshed_embeds([embed], {15: NEW}, notes={15: now})
    both = refreshed_embeds([embed], {16: verified_other}, notes={15: now})

    assert only_note is not None
    assert both is not None
    assert (only_note[0].description or "").split("\n")[-1] == now
    lines = (both[0].description or "").split("\n")
    assert lines[-1] == now
    assert lines[3] == fmt.claim_line(verified_other)
    assert embed.description == description  # the given embed is not changed in place
    # A message that neither lists nor notes the claims is not edited.
    assert refreshed_embeds([embed], {99: replace(NEW, number=99)}, notes={99: now}) is None
