"""The seen-before notes of an answer follow the earlier claim: when a moderator changes #1
(by command or button), every answer whose note names #1 is edited in place so that the note
says what a fresh answer would say now; confirming or rejecting a suggested repeat rewords
its note. Claim lines and other notes stay as they are, nothing new is posted, nobody is
pinged. End to end through the loopback Discord; the assertions are on the PATCH bodies."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.client import ClaimBot
from bot.known.matching import MatchKind
from bot.store import ClaimStore
from bot.submission import SeenBefore
from cogs._embeds import not_a_repeat_line, seen_before_line
from tests.e2e.claims_support import eventually, guild_id, seed_claims
from tests.e2e.test_claims_repeats import (
    BUDGET,
    BUDGET_REWORDED,
    EVIDENCE,
    MEETING,
    MEETING_REWORDED,
    assert_nobody_pinged,
)
from tests.fakediscord import FakeDiscord
from tests.fakediscord.interactions import Answer


def posted(fake: FakeDiscord) -> int:
    """New messages the bot sent (interaction callbacks, the replies, are not counted)."""
    return len(fake.bodies("POST", "/channels/")) + len(fake.bodies("POST", "/webhooks/"))


def edits_of(fake: FakeDiscord, answer: Answer) -> list[dict[str, Any]]:
    """The PATCH bodies that edited the answer's message after it was sent (its own
    follow-up edit goes to the interaction webhook's @original, not to the message id)."""
    return list(fake.bodies("PATCH", f"/messages/{answer.message['id']}"))


def reads_of(fake: FakeDiscord, answer: Answer) -> list[Any]:
    return fake.bodies("GET", f"/messages/{answer.message['id']}")


async def next_edit(fake: FakeDiscord, answer: Answer, before: int) -> dict[str, Any]:
    await eventually(lambda: len(edits_of(fake, answer)) > before)
    body = edits_of(fake, answer)[-1]
    assert body.get("allowed_mentions") == {"parse": []}
    return body


def description_of(body: dict[str, Any]) -> list[str]:
    return str(body["embeds"][0]["description"]).split("\n")


async def note_now(
    store: ClaimStore, gid: int, number: int, earlier: int, kind: MatchKind | None
) -> str:
    """The note as `seen_before_line` renders it for a fresh answer, from the store."""
    claim = await store.get_claim(guild_id=gid, number=earlier)
    history = await store.claim_history(guild_id=gid, number=earlier)
    return seen_before_line(SeenBefore(number, claim, kind, history[-1] if history else None))


async def test_a_command_on_the_earlier_claim_rewords_the_note_of_a_repeat(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await fake.slash("claims submit", user="reader", text=BUDGET)
    again = await fake.slash("claims submit", user="reader", text=BUDGET_REWORDED)
    shown = description_of(again.data)
    assert "#2 repeats #1, still ⏳ pending review." in shown
    before, sent = len(edits_of(fake, again)), posted(fake)

    await fake.slash("claims dispute", user="moderator", number=1, evidence=EVIDENCE)

    lines = description_of(await next_edit(fake, again, before))
    expected = await note_now(store, gid, 2, 1, MatchKind.EXACT)
    assert expected.startswith("#2 repeats #1: already ❌ disputed on <t:")
    assert expected.endswith(f": <{EVIDENCE}>.")
    assert lines == [expected if line.startswith("#2 repeats #1") else line for line in shown]
    assert posted(fake) == sent
    assert_nobody_pinged(fake)


async def test_a_button_on_the_first_answer_rewords_the_note_in_the_second(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    first = await fake.slash("claims submit", user="reader", text=BUDGET)
    again = await fake.slash("claims submit", user="reader", text=BUDGET_REWORDED)
    shown = description_of(again.data)
    before = len(edits_of(fake, again))

    opened = await fake.click(first.message, f"claim:verify:{gid}:1", user="moderator")
    done = await fake.submit_modal(opened, {"note": "official figures", "evidence": EVIDENCE})
    assert done.callback_type == 7  # the pressed message itself shows #1 verified

    lines = description_of(await next_edit(fake, again, before))
    expected = await note_now(store, gid, 2, 1, MatchKind.EXACT)
    assert "already ✅ verified on <t:" in expected
    assert lines == [expected if line.startswith("#2 repeats #1") else line for line in shown]
    assert_nobody_pinged(fake)


async def test_the_note_on_a_sentence_submitted_before_follows_a_later_change(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await fake.slash("claims submit", user="reader", text=BUDGET)
    await fake.slash("claims verify", user="moderator", number=1)
    again = await fake.slash("claims submit", user="reader", text=BUDGET)
    assert "#1 was submitted before: already ✅ verified on <t:" in again.embed["description"]
    before = len(edits_of(fake, again))

    await fake.slash("claims dispute", user="moderator", number=1, evidence=EVIDENCE)

    lines = description_of(await next_edit(fake, again, before))
    expected = await note_now(store, gid, 1, 1, None)
    assert expected.startswith("#1 was submitted before: already ❌ disputed on <t:")
    assert expected in lines
    assert any(line.endswith("— already #1, ❌ disputed") for line in lines)  # its line too


async def test_only_the_note_naming_the_changed_claim_is_reworded(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await seed_claims(store, gid, [BUDGET])
    await seed_claims(store, gid, [MEETING])
    answer = await fake.slash(
        "claims submit", user="reader", text=f"{BUDGET_REWORDED} {MEETING_REWORDED}"
    )
    shown = description_of(answer.data)
    assert "#3 repeats #1, still ⏳ pending review." in shown
    meeting_note = next(line for line in shown if line.startswith("#4 may repeat #2 "))
    before = len(edits_of(fake, answer))

    await fake.slash("claims verify", user="moderator", number=1, evidence=EVIDENCE)

    lines = description_of(await next_edit(fake, answer, before))
    expected = await note_now(store, gid, 3, 1, MatchKind.EXACT)
    assert lines == [expected if line.startswith("#3 repeats #1") else line for line in shown]
    assert meeting_note in lines


async def test_confirming_a_suggestion_turns_its_note_into_a_repeat_note(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await fake.slash("claims submit", user="reader", text=MEETING)
    await fake.slash("claims dispute", user="moderator", number=1, evidence=EVIDENCE)
    answer = await fake.slash("claims submit", user="reader", text=MEETING_REWORDED)
    shown = description_of(answer.data)
    assert any(line.startswith("#2 may repeat #1 (❌ disputed)") for line in shown)
    before, sent = len(edits_of(fake, answer)), posted(fake)

    await fake.slash("claims repeat confirm", user="moderator", number=2)

    lines = description_of(await next_edit(fake, answer, before))
    expected = await note_now(store, gid, 2, 1, MatchKind.EXACT)
    assert expected.startswith("#2 repeats #1: already ❌ disputed on <t:")
    assert expected in lines
    assert not any("may repeat" in line or "/claims repeat" in line for line in lines)
    claim_line = next(line for line in lines if line.startswith("#2 · "))
    assert claim_line.endswith("— ❌ disputed")  # it took the earlier verdict
    assert posted(fake) == sent
    assert_nobody_pinged(fake)


async def test_rejecting_a_suggestion_says_it_is_a_claim_of_its_own(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    await fake.slash("claims submit", user="reader", text=MEETING)
    answer = await fake.slash("claims submit", user="reader", text=MEETING_REWORDED)
    shown = description_of(answer.data)
    before = len(edits_of(fake, answer))

    reply = await fake.slash("claims repeat reject", user="moderator", number=2)
    assert reply.ephemeral

    lines = description_of(await next_edit(fake, answer, before))
    rejected = not_a_repeat_line(2, 1)
    assert lines == [rejected if line.startswith("#2 may repeat #1") else line for line in shown]
    # The note no longer names #1's status: a later change of #1 reads this answer (it is
    # recorded for #1) and leaves it alone.
    edits, reads = len(edits_of(fake, answer)), len(reads_of(fake, answer))
    await fake.slash("claims verify", user="moderator", number=1)
    await eventually(lambda: len(reads_of(fake, answer)) > reads)
    await asyncio.sleep(0.3)  # time enough for an edit that should not come
    assert len(edits_of(fake, answer)) == edits
    assert_nobody_pinged(fake)
