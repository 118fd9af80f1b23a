"""Repeats in the answer to a submission (issue 8): a reworded claim the guild has seen
before shows the earlier number, its verdict, who gave it, when, and the evidence; a likely
repeat is a suggestion a moderator confirms or rejects. End to end through the loopback
Discord (every body validated against the OpenAPI spec), nobody pinged."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.client import ClaimBot
from bot.known.matching import MatchKind
from bot.store import ClaimStatus, ClaimStore, StatusChangeView
from bot.submission import SeenBefore
from cogs._embeds import SEEN_BEFORE_NOTE_CHARS, seen_before_line
from tests.e2e.claims_support import eventually, guild_id, seed_claims
from tests.fakediscord import FakeDiscord
from tests.test_claim_format import CLAIM

ZWSP = "\u200b"
CLAIM_NUMBER = re.compile(r"^#(\d+) · ", re.MULTILINE)
BUDGET = "The city budget grew by 12 percent in 2025."
BUDGET_REWORDED = "In 2025 the city's budget grew 12%."
MEETING = "Trump and Putin met for over two hours on Friday in Hamburg."
MEETING_REWORDED = (
    "Putin and Trump met for more than two hours Friday on the sidelines of the G20 summit in "
    "Hamburg, Germany."
)
EVIDENCE = "https://evidence.example/budget_2025?page=1"


def assert_nobody_pinged(fake: FakeDiscord) -> None:
    """Every message the bot sent or edited tells Discord to ping nobody."""
    for call in fake.calls:
        if call.method not in ("POST", "PATCH") or not isinstance(call.body, dict):
            continue
        body: dict[str, Any] = call.body
        data = body["data"] if isinstance(body.get("data"), dict) else body
        if "content" in data or "embeds" in data:
            assert data.get("allowed_mentions", {}).get("parse") == [], data


async def test_a_reworded_repeat_shows_the_earlier_verdict_harmlessly(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    first = await fake.slash("claims submit", user="reader", text=BUDGET)
    assert first.embed["description"].count("repeats") == 0
    # A moderator whose display name tries to ping and restyle.
    await store.set_status(
        guild_id=gid, number=1, status="disputed", moderator_id=1,
        moderator_name="@everyone *Ann*", evidence_url=EVIDENCE,
    )  # fmt: skip

    again = await fake.slash("claims submit", user="reader", text=BUDGET_REWORDED)

    description = again.embed["description"]
    assert description.startswith("1 claim from 1 sentence")
    assert "#2 · " in description  # the new claim keeps its own number and buttons
    note = next(line for line in description.split("\n") if line.startswith("#2 repeats #1"))
    assert "already ❌ disputed on <t:" in note
    assert f"by @{ZWSP}everyone \\*Ann\\*" in note
    assert f"<{EVIDENCE}>" in note  # the link whole, without a preview
    assert "@everyone" not in description
    claim = await store.get_claim(guild_id=gid, number=2)
    assert (claim.match_number, claim.match_kind) == (1, "exact")
    assert_nobody_pinged(fake)


async def test_a_likely_repeat_is_a_suggestion_a_moderator_confirms(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await fake.slash("claims submit", user="reader", text=MEETING)
    await fake.slash("claims dispute", user="moderator", number=1, evidence=EVIDENCE)

    answer = await fake.slash("claims submit", user="reader", text=MEETING_REWORDED)

    description = answer.embed["description"]
    assert "#2 may repeat #1 (❌ disputed)" in description
    assert "`/claims repeat confirm 2`" in description
    assert "`/claims repeat reject 2`" in description
    confirmed = await fake.slash("claims repeat confirm", user="moderator", number=2)
    assert "now ❌ disputed" in confirmed.text
    assert (await store.get_claim(guild_id=gid, number=2)).status is ClaimStatus.DISPUTED
    # The answer that listed #2 as pending is edited to show the shared verdict.
    shown = fake.message_index[answer.message["id"]]
    await eventually(
        lambda: any(
            line.startswith("#2 · ") and "disputed" in line
            for line in shown["embeds"][0]["description"].split("\n")
        )
    )
    assert_nobody_pinged(fake)


async def test_the_same_sentence_again_shows_its_verdict_and_evidence(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    await fake.slash("claims submit", user="reader", text=BUDGET)
    await fake.slash("claims verify", user="moderator", number=1, evidence=EVIDENCE)

    again = await fake.slash("claims submit", user="reader", text=BUDGET)

    description = again.embed["description"]
    assert "already #1, ✅ verified" in description
    assert "#1 was submitted before: already ✅ verified on <t:" in description
    assert f"<{EVIDENCE}>" in description
    assert (await store.get_claim(guild_id=guild_id(fake), number=1)).times_submitted == 2


async def test_a_pending_repeat_says_it_is_still_pending(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    await fake.slash("claims submit", user="reader", text=BUDGET)
    again = await fake.slash("claims submit", user="reader", text=BUDGET_REWORDED)
    assert "#2 repeats #1, still ⏳ pending review." in again.embed["description"]


async def test_claims_list_sorts_by_how_often_a_claim_was_submitted(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await seed_claims(store, gid, [BUDGET, MEETING, "Exports doubled in 2025."])
    for _ in range(2):
        await seed_claims(store, gid, [MEETING])
    await seed_claims(store, gid, [BUDGET])

    newest = await fake.slash("claims list")
    assert [int(n) for n in CLAIM_NUMBER.findall(newest.embed["description"])] == [3, 2, 1]
    demand = await fake.slash("claims list", sort="most_submitted")
    lines = demand.embed["description"].split("\n")
    assert [int(n) for n in CLAIM_NUMBER.findall(demand.embed["description"])] == [2, 1, 3]
    assert lines[0].endswith("· submitted 3×")
    assert lines[1].endswith("· submitted 2×")
    assert "submitted" not in lines[2]
    assert demand.embed["title"] == "Claims, most submitted first"


def test_a_note_keeps_hostile_links_and_names_inert() -> None:
    at = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    earlier = replace(CLAIM, number=1, status=ClaimStatus.DISPUTED)
    verdict = StatusChangeView(
        claim_number=1, from_status=ClaimStatus.PENDING, to_status=ClaimStatus.DISPUTED,
        moderator_id=1, moderator_name="<@123> __Bob__ " + "b" * 200, note=None,
        evidence_url="https://evil.example/a>**@everyone**", changed_at=at,
    )  # fmt: skip
    line = seen_before_line(SeenBefore(2, earlier, MatchKind.EXACT, verdict))
    assert line.startswith(f"#2 repeats #1: already ❌ disputed on <t:{int(at.timestamp())}:f> by ")
    assert f"<@{ZWSP}123> \\_\\_Bob\\_\\_" in line
    assert "<https://evil.example/a%3E**@everyone**>" in line
    long_link = replace(verdict, evidence_url="https://x.example/" + "a" * 1000)
    too_long = seen_before_line(SeenBefore(2, earlier, MatchKind.EXACT, long_link))
    assert "x.example" not in too_long  # left out rather than cut: /claims show lists it
    assert len(too_long) <= SEEN_BEFORE_NOTE_CHARS
