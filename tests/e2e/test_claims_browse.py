"""Browsing claims end to end: list with its pager, show, search, stats, autocomplete; and the
display rules: nobody is pinged, and every message stays within Discord's limits."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.client import ClaimBot
from bot.store import ClaimStore
from cogs import _claim_views
from tests.e2e.claims_support import button_by_label, eventually, guild_id, seed_claims
from tests.fakediscord import FakeDiscord

ZWSP = "\u200b"


def sentences(count: int, *, length: int = 60) -> list[str]:
    return [
        f"Claim {n} says unemployment fell by {n}.{n % 10} percent"
        + " in the region" * max(0, (length - 50) // 14)
        + "."
        for n in range(1, count + 1)
    ]


def numbers_in(embed: dict[str, Any]) -> list[int]:
    return [int(n) for n in re.findall(r"^#(\d+) · ", embed["description"], re.MULTILINE)]


async def test_list_pages_newest_first_and_only_the_invoker_turns_them(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    await seed_claims(store, guild_id(fake), sentences(23))
    answer = await fake.slash("claims list", user="reader")
    assert answer.ephemeral
    assert numbers_in(answer.embed) == list(range(23, 13, -1))
    assert "Page 1 of 3" in answer.embed["footer"]["text"]
    previous = button_by_label(answer.message, "Previous")
    assert previous.get("disabled")

    nxt = button_by_label(answer.message, "Next")["custom_id"]
    other = await fake.click(answer.message, nxt, user="moderator")
    assert "Only the member who ran this command" in other.content
    assert other.ephemeral

    page2 = await fake.click(answer.message, nxt, user="reader")
    assert page2.callback_type == 7
    assert numbers_in(page2.embed) == list(range(13, 3, -1))
    page3 = await fake.click(page2.message, nxt, user="reader")
    assert numbers_in(page3.embed) == [3, 2, 1]
    assert button_by_label(page3.message, "Next").get("disabled")


async def test_list_filters_by_status(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await seed_claims(store, gid, sentences(3))
    await store.set_status(
        guild_id=gid, number=2, status="disputed", moderator_id=1, moderator_name="m"
    )
    answer = await fake.slash("claims list", status="disputed")
    assert numbers_in(answer.embed) == [2]
    assert answer.components == []  # one page: no pager


async def test_the_pager_times_out_cleanly(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_claim_views, "PAGE_TIMEOUT_S", 0.2)
    await seed_claims(store, guild_id(fake), sentences(11))
    answer = await fake.slash("claims list")
    record = answer.interaction
    await eventually(lambda: bool(record.original_edits))
    buttons = [b for row in record.original["components"] for b in row["components"]]
    assert all(b.get("disabled") for b in buttons)


async def test_show_has_status_history_and_evidence(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await seed_claims(store, gid, sentences(1), source="https://news.example/story")
    await fake.slash(
        "claims verify", user="moderator", number=1, evidence="https://stats.example/t1"
    )
    await fake.slash("claims dispute", user="admin", number=1, note="A newer release says 2.9")
    answer = await fake.slash("claims show", number=1)
    fields = {f["name"]: f["value"] for f in answer.embed["fields"]}
    assert answer.embed["title"] == "Claim #1"
    assert "disputed by Admin" in fields["Status"]
    assert "https://news.example/story" in fields["Article"]
    assert "pending → verified" in fields["History"]
    assert "verified → disputed" in fields["History"]
    assert "A newer release says 2.9" in fields["History"]
    assert "https://stats.example/t1" in fields["Evidence"]
    assert "Source sentence" in fields


async def test_search_and_stats(fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore) -> None:
    gid = guild_id(fake)
    await seed_claims(store, gid, [*sentences(2), "The bridge opened in 1932 after four years."])
    await store.set_status(
        guild_id=gid, number=3, status="verified", moderator_id=1, moderator_name="m"
    )
    found = await fake.slash("claims search", words="bridge opened")
    assert numbers_in(found.embed) == [3]
    nothing = await fake.slash("claims search", words="volcano")
    assert "No claims." in nothing.embed["description"]
    stats = await fake.slash("claims stats")
    fields = {f["name"]: f["value"] for f in stats.embed["fields"]}
    assert "verified: 1" in fields["All time"]
    assert "pending: 2" in fields["This week"]
    assert "total: 3" in fields["All time"]


async def test_number_autocomplete_offers_recent_pending_claims(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await seed_claims(store, gid, sentences(40, length=400))
    await store.set_status(
        guild_id=gid, number=40, status="verified", moderator_id=1, moderator_name="m"
    )
    choices = await fake.autocomplete("claims verify", "number", user="moderator")
    assert len(choices) == 25
    assert choices[0]["value"] == 39  # newest pending first; 40 is decided
    assert all(len(c["name"]) <= 100 for c in choices)
    typed = await fake.autocomplete("claims show", "number", number="3")
    # Numbers starting with what was typed first, then claims whose text mentions it.
    assert [c["value"] for c in typed][:11] == [39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 3]
    assert 23 in [c["value"] for c in typed][11:]


async def test_mentions_in_articles_and_notes_never_ping(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    reader = fake.world.user("reader").id
    role = fake.world.guild("Newsroom").roles["Moderator"].id
    sentence = f"@everyone the mayor <@{reader}> told <@&{role}> that taxes rose 40% in 2023 @here."
    await seed_claims(store, gid, [sentence])
    await fake.slash("claims verify", user="moderator", number=1, note=f"ask @everyone <@{reader}>")
    listed = await fake.slash("claims list")
    shown = await fake.slash("claims show", number=1)
    for text in (listed.embed["description"], str(shown.embed)):
        assert "@everyone" not in text
        assert f"<@{reader}>" not in text
        assert f"<@&{role}>" not in text
    assert f"@{ZWSP}everyone" in listed.embed["description"]
    # And the bot tells Discord to ping nobody, on every message it sends.
    sent = [
        call.body
        for call in fake.calls
        if call.method in ("POST", "PATCH") and isinstance(call.body, dict)
    ]
    for body in sent:
        data = body.get("data", body) if isinstance(body.get("data"), dict) else body
        if "content" in data or "embeds" in data:
            assert data.get("allowed_mentions", {}).get("parse") == [], data


async def test_huge_texts_stay_within_discords_limits(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    gid = guild_id(fake)
    await seed_claims(
        store, gid, sentences(30, length=3000), source="https://x.example/" + "a" * 1900
    )
    for number in (1, 2):
        for n in range(12):
            await store.set_status(
                guild_id=gid,
                number=number,
                status="disputed" if n % 2 else "verified",
                moderator_id=1,
                moderator_name="m" * 100,
                note="long note " * 100,
                evidence_url=f"https://evidence.example/{n}/" + "e" * 1900,
            )
    listed = await fake.slash("claims list")
    assert len(listed.embed["description"]) <= 4096
    assert "…" in listed.embed["description"]
    shown = await fake.slash("claims show", number=1)
    assert len(shown.embed["fields"]) <= 25
    found = await fake.slash("claims search", words="unemployment")
    assert len(found.embed["description"]) <= 4096
    # A long article whose claims fill several answer messages.
    article_text = " ".join(
        f"Official data show exports grew {n}.5 percent to {n * 7} billion euros in 2023."
        for n in range(1, 40)
    )
    answer = await fake.slash("claims submit", text=article_text)
    record = answer.interaction
    pages = int(answer.embed["footer"]["text"].removeprefix("Page 1 of "))
    assert pages >= 3
    # Further pages follow, each a message with the buttons of its claims.
    await eventually(lambda: len(record.followups) == pages - 1)
    assert "(continued)" in record.followups[0]["embeds"][0]["title"]
    assert not fake.violations  # the fixture also fails the test on any refused body
