"""The digest's "most submitted pending" queue (issue 8): in the JSON (added, nothing
renamed), the embed (within Discord's limits, harmless) and the plain text; and from the
store through the runner's query to the built digest."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

from bot.digest import render
from bot.digest.build import build_digest
from bot.store.service import ClaimStore
from bot.store.views import DigestFacts
from tests.digest.test_render import BERLIN, GUILD, PERIOD, _claim, _facts
from tests.store.conftest import submit


def _with_demand(facts: DigestFacts, text: str = "Prices rose 5% in May.") -> DigestFacts:
    demand = tuple(_claim(n, text, times_submitted=50 - n) for n in range(40, 45))
    return dataclasses.replace(facts, most_submitted_pending=demand)


def test_the_json_gains_the_most_submitted_queue_and_keeps_its_fields() -> None:
    before = build_digest(_facts(), guild_id=GUILD, period=PERIOD, zone=BERLIN).to_json()
    digest = build_digest(_with_demand(_facts()), guild_id=GUILD, period=PERIOD, zone=BERLIN)
    data = json.loads(json.dumps(digest.to_json()))
    assert set(before) == set(data)  # top-level keys unchanged
    assert set(data["queue"]) == {"pending", "oldest", "top_scored", "most_submitted"}
    demand = data["queue"]["most_submitted"]
    assert [(item["number"], item["times_submitted"]) for item in demand] == [
        (40, 10), (41, 9), (42, 8), (43, 7), (44, 6),
    ]  # fmt: skip
    assert data["queue"]["top_scored"][0]["times_submitted"] == 1  # added to every queue item
    for key in ("number", "text", "score", "submitted_at", "jump_url"):
        assert key in data["queue"]["oldest"][0]
    assert before["queue"]["most_submitted"] == []


def test_the_embed_and_text_show_how_often_each_was_submitted() -> None:
    digest = build_digest(_with_demand(_facts()), guild_id=GUILD, period=PERIOD, zone=BERLIN)
    fields = {field["name"]: field["value"] for field in render.digest_embed(digest)["fields"]}
    demand = fields["Most submitted pending"]
    assert demand.startswith(f"[#40](https://discord.com/channels/{GUILD}/7/940) · 10× · ")
    assert "  #40 · 10× · Prices rose 5% in May." in render.digest_text(digest)


def test_five_queues_of_hostile_text_stay_within_discords_limits() -> None:
    text = "@everyone <@123> **bold** [link](https://evil.example) " + "x" * 5000
    facts = _with_demand(_facts(text, verified=50), text)
    digest = build_digest(facts, guild_id=GUILD, period=PERIOD, zone=BERLIN)
    embed = render.digest_embed(digest)
    assert len(embed["fields"]) == 5
    assert render.embed_size(embed) <= render.EMBED_TOTAL_LIMIT
    for field in embed["fields"]:
        assert len(field["value"]) <= render.FIELD_VALUE_LIMIT
        assert "@everyone" not in field["value"]
        assert "[link](" not in field["value"]


async def test_from_the_store_to_the_digest(store: ClaimStore) -> None:
    await submit(store, GUILD, "The budget grew by 12 percent.", "Crime rose by 8 percent.")
    for _ in range(3):
        await submit(store, GUILD, "Crime rose by 8 percent.")
    now = datetime.now(UTC)
    facts = await store.digest_facts(
        guild_id=GUILD,
        since=now - timedelta(days=7),
        until=now + timedelta(minutes=1),
        history=[],
        list_cap=5,
        queue_size=5,
    )
    digest = build_digest(facts, guild_id=GUILD, period=PERIOD, zone=BERLIN)
    queue = digest.to_json()["queue"]["most_submitted"]
    assert [(item["number"], item["times_submitted"]) for item in queue] == [(2, 4)]
