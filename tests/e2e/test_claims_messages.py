"""Every answer message listing a claim shows its status changes: the pages after the first of
a long submission, and the answer to a later submission of the same sentence, are edited in
place (nothing new posted, nobody pinged), however the status was changed."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from bot.client import ClaimBot
from bot.store import ClaimStore
from bot.store.views import MessageRef
from tests.e2e.claims_support import article, eventually, guild_id
from tests.fakediscord import FakeDiscord
from tests.fakediscord.interactions import Answer

CLAIM_LINE = re.compile(r"^#(\d+) · ", re.MULTILINE)
# Two articles in one: enough claims for several answer messages (five claims each).
LONG_ARTICLE = article("economy-inflation") + "\n\n" + article("politics-budget-vote")


def numbers_in(message: dict[str, Any]) -> list[int]:
    return [int(n) for n in CLAIM_LINE.findall(message["embeds"][0]["description"])]


def line_of(message: dict[str, Any], number: int) -> str:
    description = message["embeds"][0]["description"]
    return next(line for line in description.splitlines() if line.startswith(f"#{number} · "))


async def answer_messages(
    fake: FakeDiscord, store: ClaimStore, answer: Answer
) -> list[dict[str, Any]]:
    """Every message of a submission's answer (live copies: edits show), once all are sent
    and recorded in the store."""
    footer = (answer.embed.get("footer") or {}).get("text", "Page 1 of 1")
    pages = int(footer.rsplit(" ", 1)[-1])
    record = answer.interaction
    await record.wait_for(lambda: len(record.followups) == pages - 1, 5, "send every page")
    messages = [fake.message_index[m["id"]] for m in [answer.message, *record.followups]]
    last = messages[-1]
    for _ in range(100):
        refs = await store.claim_messages(guild_id=guild_id(fake), number=numbers_in(last)[-1])
        if any(ref.message_id == int(last["id"]) for ref in refs):
            return messages
        await asyncio.sleep(0.02)
    raise AssertionError("the last answer message was not recorded")


async def test_a_claim_on_the_second_page_is_updated_by_a_command(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    answer = await fake.slash("claims submit", user="reader", text=LONG_ARTICLE)
    messages = await answer_messages(fake, store, answer)
    assert len(messages) >= 2, "the article should need more than one answer message"
    second = messages[1]
    number = numbers_in(second)[0]
    assert number not in numbers_in(messages[0])
    assert await store.claim_messages(guild_id=guild_id(fake), number=number) == [
        MessageRef(int(second["channel_id"]), int(second["id"]))
    ]

    posted_before = len(fake.bodies("POST", "/channels/")) + len(fake.bodies("POST", "/webhooks/"))
    edits_before = len(fake.bodies("PATCH", f"/messages/{second['id']}"))
    reply = await fake.slash("claims verify", user="moderator", number=number)
    assert reply.ephemeral

    await eventually(lambda: "✅ verified" in line_of(second, number))
    posted_after = len(fake.bodies("POST", "/channels/")) + len(fake.bodies("POST", "/webhooks/"))
    assert posted_after == posted_before  # the reply is the callback; nothing else posted
    edits = fake.bodies("PATCH", f"/messages/{second['id']}")[edits_before:]
    assert edits
    assert all(body.get("allowed_mentions") == {"parse": []} for body in edits)  # no pings
    others = [n for n in numbers_in(second) if n != number]
    assert all("verified" not in line_of(second, n) for n in others)  # only that claim changed


async def test_a_button_elsewhere_updates_every_message_listing_the_claim(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    first = await fake.slash("claims submit", user="reader", text=LONG_ARTICLE)
    second_page = (await answer_messages(fake, store, first))[1]
    number = numbers_in(second_page)[0]
    # The same article again, by someone else: its answer lists the claim as a repeat.
    again = await fake.slash("claims submit", user="moderator", text=LONG_ARTICLE)
    repeats = await answer_messages(fake, store, again)
    repeat_page = next(message for message in repeats if number in numbers_in(message))
    assert repeat_page["id"] != second_page["id"]
    assert len(await store.claim_messages(guild_id=guild_id(fake), number=number)) == 2

    opened = await fake.click(
        second_page, f"claim:dispute:{guild_id(fake)}:{number}", user="moderator"
    )
    done = await fake.submit_modal(opened, {"note": "the figure is from 2019"})
    assert done.callback_type == 7  # the pressed message itself is updated
    assert "disputed" in line_of(second_page, number)
    await eventually(lambda: "disputed" in line_of(repeat_page, number))
