"""Submitting articles: `/claims submit` (text, file, modal), the "Extract claims" menu and
auto-extract channels, end to end through the loopback Discord."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

from bot.client import ClaimBot
from bot.store import ClaimStore
from tests.e2e.claims_support import article, button_ids, eventually, guild_id
from tests.e2e.conftest import BotHarness
from tests.fakediscord import FakeDiscord

CLAIM_LINE = re.compile(r"^#(\d+) · (\d\.\d\d) · ", re.MULTILINE)


async def test_submit_text_lists_claims_with_summary_and_buttons(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    answer = await fake.slash("claims submit", user="reader", text=article())
    assert answer.callback_type == 5  # deferred: extraction runs off the event loop
    assert not answer.ephemeral
    embed = answer.embed
    assert re.search(r"\d+ claims from \d+ sentences", embed["description"])
    numbers = [int(n) for n, _ in CLAIM_LINE.findall(embed["description"])]
    assert numbers[:2] == [1, 2]
    assert f"claim:verify:{guild_id(fake)}:1" in button_ids(answer.message)
    stored = await store.list_claims(guild_id=guild_id(fake))
    assert {c.number for c in stored} >= set(numbers)


async def test_a_repeat_shows_the_existing_number_and_status(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    first = await fake.slash("claims submit", user="reader", text=article())
    count = await store.count_claims(guild_id=guild_id(fake))
    await store.set_status(
        guild_id=guild_id(fake), number=1, status="verified", moderator_id=1, moderator_name="m"
    )
    again = await fake.slash("claims submit", user="reader", text=article())
    assert await store.count_claims(guild_id=guild_id(fake)) == count  # nothing stored twice
    assert "already #1, ✅ verified" in again.embed["description"]
    assert "already submitted before" in again.embed["description"]
    assert first.embed["description"] != again.embed["description"]


async def test_no_claims_explains_sentences_and_threshold(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    answer = await fake.slash("claims submit", text="hello there. how are you? lol")
    assert "No checkable claims found" in answer.content
    assert "sentence" in answer.content
    assert "threshold" in answer.content
    assert await store.count_claims(guild_id=guild_id(fake)) == 0


async def test_submit_without_text_opens_a_modal(fake: FakeDiscord, claimbot: ClaimBot) -> None:
    opened = await fake.slash("claims submit", user="reader")
    assert opened.callback_type == 9
    answer = await fake.submit_modal(opened, {"article": article()})
    assert "claims from" in answer.embed["description"]


async def test_submit_a_file(fake: FakeDiscord, claimbot: ClaimBot) -> None:
    html = (
        "<html><head><style>p{}</style></head><body>"
        + "".join(f"<p>{para}</p>" for para in article().split("\n\n"))
        + "</body></html>"
    )
    upload = fake.user_file("story.html", html.encode(), "text/html")
    answer = await fake.slash("claims submit", file=upload)
    assert "claims from" in answer.embed["description"]
    assert "story.html" in answer.embed["title"]


async def test_bad_files_are_refused_with_a_reason(fake: FakeDiscord, claimbot: ClaimBot) -> None:
    cases = [
        (fake.user_file("photo.png", b"\x89PNG\r\n", "image/png"), "attach a .txt, .md or .html"),
        (fake.user_file("big.txt", b"a" * (1024 * 1024 + 1)), "the limit is 1 MB"),
        (fake.user_file("bin.txt", b"abc\x00def"), "binary"),
        (fake.user_file("latin.txt", "café".encode("latin-1")), "not UTF-8"),
        (fake.user_file("empty.md", b"   \n"), "empty"),
    ]
    for upload, reason in cases:
        answer = await fake.slash("claims submit", file=upload)
        assert answer.ephemeral
        assert reason in answer.content, answer.content


async def test_extract_claims_menu_links_to_the_source_message(
    fake: FakeDiscord, claimbot: ClaimBot
) -> None:
    posted = await fake.post_as_user(article(), user="reader")
    answer = await fake.message_menu("Extract claims", posted, user="moderator")
    assert posted["id"] in answer.embed["description"]  # the jump link
    assert "claims from" in answer.embed["description"]


async def test_auto_extract_answers_in_a_thread(fake: FakeDiscord, harness: BotHarness) -> None:
    await harness.start(read_messages=True)
    channel = fake.world.guild("Newsroom").channel("general")
    answer = await fake.slash("claims-admin auto-extract add", user="admin")
    assert f"<#{channel.id}>" in answer.content
    posted = await fake.post_as_user(article(), user="reader")
    # A thread started on a message takes the message's id.
    reply = await fake.wait_for_bot_message(posted["id"])
    answer = fake.message_index[reply["id"]]
    await eventually(lambda: bool(answer.get("embeds")))  # the placeholder becomes the answer
    assert "claims from" in answer["embeds"][0]["description"]
    assert posted["id"] in answer["embeds"][0]["description"]  # jump link to the article
    short = await fake.post_as_user("just chatting here", user="reader")
    await asyncio.sleep(0.2)
    bot_id = fake.world.bot.id
    in_channel = [
        m for m in fake.channel_messages("Newsroom", "general") if m["author"]["id"] == bot_id
    ]
    assert in_channel == []  # the channel stays quiet
    assert short["id"] not in fake.messages


async def test_a_bug_during_extraction_leaves_no_public_thinking_message(
    fake: FakeDiscord,
    claimbot: ClaimBot,
    monkeypatch: pytest.MonkeyPatch,
    error_records: list[logging.LogRecord],
) -> None:
    def broken(text: str, *, threshold: float | None = None) -> None:
        raise RuntimeError("model file damaged")

    monkeypatch.setattr(claimbot.extractor, "extract", broken)
    record = await fake.invoke_slash("claims submit", user="reader", text=article())
    await record.wait_for(lambda: bool(record.followups), 5, "apologise")
    assert record.original_deleted
    assert record.followups[0]["flags"] & 64  # ephemeral
    assert "Sorry, something went wrong" in record.followups[0]["content"]
    assert [r.getMessage() for r in error_records] == [
        f"unexpected error in interaction {record.id} (command claims submit)"
    ]
    error_records.clear()


async def test_a_member_submitting_too_fast_is_refused_privately_and_nothing_is_read(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    fake.world.add_member(fake.world.guild("Newsroom"), "outsider")  # a second plain member
    await harness.start(submissions_per_minute=2)
    for name in ("economy-inflation", "science-exoplanet"):
        answer = await fake.slash("claims submit", user="reader", text=article(name))
        assert "claims from" in answer.embed["description"]
    count = await store.count_claims(guild_id=guild_id(fake))

    refused = await fake.slash("claims submit", user="reader", text=article("sports-cup-final"))
    assert refused.callback_type == 4  # answered at once, not deferred: nothing public
    assert refused.ephemeral
    assert re.fullmatch(
        r"Slow down: a member can have 2 articles read a minute; try again in \d+ s\.",
        refused.content,
    )
    posted = await fake.post_as_user(article("crime-bank-fraud"), user="reader")
    menu = await fake.message_menu("Extract claims", posted, user="reader")  # same bucket
    assert menu.ephemeral
    assert "Slow down" in menu.content
    opened = await fake.slash("claims submit", user="reader")  # no form to type into in vain
    assert opened.callback_type == 4
    assert "Slow down" in opened.content
    assert await store.count_claims(guild_id=guild_id(fake)) == count  # nothing stored

    # Another member, and a moderator past the limit, are not held up.
    other = await fake.slash("claims submit", user="outsider", text=article("sports-cup-final"))
    assert "claims from" in other.embed["description"]
    for name in ("health-measles", "politics-budget-vote", "debunk-5g-birds"):
        answer = await fake.slash("claims submit", user="moderator", text=article(name))
        assert "claims from" in answer.embed["description"]


async def test_auto_extract_skips_a_flood_quietly(fake: FakeDiscord, harness: BotHarness) -> None:
    await harness.start(read_messages=True, submissions_per_minute=1)
    await fake.slash("claims-admin auto-extract add", user="admin")
    first = await fake.post_as_user(article("economy-inflation"), user="reader")
    await fake.wait_for_bot_message(first["id"])
    flood = await fake.post_as_user(article("science-exoplanet"), user="reader")
    by_moderator = await fake.post_as_user(article("health-measles"), user="moderator")
    await fake.wait_for_bot_message(by_moderator["id"])  # moderators are not limited
    await asyncio.sleep(0.2)
    assert flood["id"] not in fake.messages  # no thread, no reply: the channel stays quiet
    bot_id = fake.world.bot.id
    assert not [
        m for m in fake.channel_messages("Newsroom", "general") if m["author"]["id"] == bot_id
    ]
