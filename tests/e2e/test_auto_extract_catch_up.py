"""Auto-extract catches up on articles posted while the bot was down: on start it reads the
newest messages of each auto-extract channel (at most CATCH_UP_LIMIT) and answers, in threads
and oldest first, the long messages by people posted after the newest message it handled (the
store's cursor) that have no thread yet; older unread messages of a longer backlog are not
read, with a warning; across restarts nothing is answered twice. A channel it cannot read is a
warning, and the bot still starts."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest

from bot.catch_up import CATCH_UP_LIMIT
from bot.client import ClaimBot
from bot.store import ClaimStore
from tests.e2e.claims_support import article, eventually, guild_id
from tests.e2e.conftest import BotHarness
from tests.fakediscord import FakeDiscord, Perm
from tests.fakediscord.world import ROLE_OVERWRITE, Overwrite

THREAD_FROM_MESSAGE = re.compile(r"^/channels/(\d+)/messages/(\d+)/threads$")
GONE_CHANNEL_ID = 4242


def general_id(fake: FakeDiscord) -> int:
    return int(fake.world.guild("Newsroom").channel("general").id)


async def read_automatically(fake: FakeDiscord, store: ClaimStore, *channel_ids: int) -> None:
    await store.update_guild_settings(
        guild_id=guild_id(fake), auto_extract_channel_ids=list(channel_ids or [general_id(fake)])
    )


def threads_started(fake: FakeDiscord) -> list[str]:
    """The messages the bot started a thread on, in order (one per answered article)."""
    started = []
    for call in fake.calls:
        found = THREAD_FROM_MESSAGE.match(call.path)
        if call.method == "POST" and found and call.status == 201:
            started.append(found.group(2))
    return started


def history_reads(fake: FakeDiscord, channel_id: int) -> list[dict[str, str]]:
    return [
        c.query
        for c in fake.calls
        if c.method == "GET" and c.path == f"/channels/{channel_id}/messages"
    ]


def catch_up_reads(fake: FakeDiscord) -> list[dict[str, str]]:
    """The catch-up reads of #general: its newest page (no anchor, CATCH_UP_LIMIT messages);
    a first start reads only the newest message, to set the cursor."""
    reads = [q for q in history_reads(fake, general_id(fake)) if q["limit"] != "1"]
    assert all(not {"before", "after", "around"} & set(q) for q in reads), reads
    return reads


async def cursor_reaches(store: ClaimStore, channel_id: int, message_id: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while await store.auto_extract_cursor(channel_id=channel_id) != int(message_id):
        if loop.time() > deadline:
            raise TimeoutError(f"the cursor of {channel_id} did not reach {message_id}")
        await asyncio.sleep(0.02)


async def answer_in_thread_of(fake: FakeDiscord, message: dict[str, Any]) -> dict[str, Any]:
    """The bot's answer in the thread on `message`, once the placeholder became the answer."""
    reply = await fake.wait_for_bot_message(message["id"], wait_s=10)
    answer = fake.message_index[reply["id"]]
    await eventually(lambda: bool(answer.get("embeds")), wait_s=10)
    return answer


async def start_once_and_stop(fake: FakeDiscord, harness: BotHarness, store: ClaimStore) -> None:
    """A first start sets the channel's cursor at its newest message; then the bot goes down."""
    client = await harness.start(read_messages=True)
    await eventually(lambda: bool(history_reads(fake, general_id(fake))))
    for _ in range(250):
        if await store.auto_extract_cursor(channel_id=general_id(fake)) is not None:
            break
        await asyncio.sleep(0.02)
    await harness.stop(client)


async def test_articles_posted_while_down_are_answered_in_threads_after_start(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    await read_automatically(fake, store)
    await start_once_and_stop(fake, harness, store)
    channel = fake.world.guild("Newsroom").channel("general")

    first = fake.post_while_offline(article(), user="reader")
    short = fake.post_while_offline("back in five minutes", user="reader")
    by_bot = fake.new_message(
        channel, {"content": article("health-measles")}, author=fake.world.bot.payload()
    )
    second = fake.post_while_offline(article("crime-bank-fraud"), user="moderator")

    await harness.start(read_messages=True)
    for posted in (first, second):
        answer = await answer_in_thread_of(fake, posted)
        assert "claims from" in answer["embeds"][0]["description"]
        assert posted["id"] in answer["embeds"][0]["description"]  # jump link to the article
    await cursor_reaches(store, general_id(fake), second["id"])
    assert threads_started(fake) == [first["id"], second["id"]]  # oldest first
    names = [body["name"] for body in fake.bodies("POST", f"/messages/{first['id']}/threads")]
    assert names
    assert names[0].startswith("Claims: ")
    assert short["id"] not in threads_started(fake)
    assert by_bot["id"] not in threads_started(fake)
    (read,) = catch_up_reads(fake)
    assert int(read["limit"]) == CATCH_UP_LIMIT
    bot_id = fake.world.bot.id
    in_channel = [
        m for m in fake.channel_messages("Newsroom", "general") if m["author"]["id"] == bot_id
    ]
    assert in_channel == [by_bot]  # the answers are in threads: the channel stays quiet


async def test_a_first_start_does_not_answer_the_channels_past(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    await read_automatically(fake, store)
    old = fake.post_while_offline(article(), user="reader")
    await harness.start(read_messages=True)
    await cursor_reaches(store, general_id(fake), old["id"])
    await asyncio.sleep(0.2)
    assert threads_started(fake) == []


async def test_an_article_answered_before_a_crash_is_not_answered_again(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await read_automatically(fake, store)
    await store.advance_auto_extract_cursor(
        guild_id=guild_id(fake), channel_id=general_id(fake), message_id=0
    )
    # The bot dies after answering, before it could record the message as handled.
    real_advance = store.advance_auto_extract_cursor

    async def crashed_before_recording(**kwargs: Any) -> bool:
        return False

    monkeypatch.setattr(store, "advance_auto_extract_cursor", crashed_before_recording)
    client = await harness.start(read_messages=True)
    answered = await fake.post_as_user(article(), user="reader")
    await answer_in_thread_of(fake, answered)
    await harness.stop(client)
    assert await store.auto_extract_cursor(channel_id=general_id(fake)) == 0
    monkeypatch.setattr(store, "advance_auto_extract_cursor", real_advance)

    later = fake.post_while_offline(article("health-measles"), user="reader")
    await harness.start(read_messages=True)
    await answer_in_thread_of(fake, later)
    await cursor_reaches(store, general_id(fake), later["id"])
    assert threads_started(fake) == [answered["id"], later["id"]]  # the first one only once


async def test_the_cursor_survives_restarts_so_nothing_is_answered_twice(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    await read_automatically(fake, store)
    await start_once_and_stop(fake, harness, store)

    offline = fake.post_while_offline(article(), user="reader")
    client = await harness.start(read_messages=True)
    await answer_in_thread_of(fake, offline)
    live = await fake.post_as_user(article("health-measles"), user="reader")
    await answer_in_thread_of(fake, live)
    await cursor_reaches(store, general_id(fake), live["id"])  # on_message moves it too

    reads = len(history_reads(fake, general_id(fake)))
    client = await harness.restart(client, read_messages=True)
    await eventually(lambda: len(history_reads(fake, general_id(fake))) > reads)
    await asyncio.sleep(0.3)
    client = await harness.restart(client, read_messages=True)
    await asyncio.sleep(0.3)
    assert threads_started(fake) == [offline["id"], live["id"]]


async def test_a_channel_without_history_permission_is_a_warning_and_the_rest_go_on(
    fake: FakeDiscord,
    harness: BotHarness,
    store: ClaimStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    newsroom = fake.world.guild("Newsroom")
    no_history = fake.world.add_channel(
        newsroom,
        "no-history",
        Overwrite(newsroom.roles["ClaimBot"].id, ROLE_OVERWRITE, deny=Perm.READ_MESSAGE_HISTORY),
    )
    await read_automatically(fake, store, int(no_history.id), GONE_CHANNEL_ID, general_id(fake))
    for channel_id in (int(no_history.id), general_id(fake)):
        await store.advance_auto_extract_cursor(
            guild_id=guild_id(fake), channel_id=channel_id, message_id=0
        )
    fake.post_while_offline(article(), user="reader", channel="no-history")
    posted = fake.post_while_offline(article(), user="reader")

    def warned(*words: str) -> bool:
        return any(
            all(word in record.getMessage() for word in words)
            for record in caplog.records
            if record.name == "cogs.auto_extract" and record.levelno == logging.WARNING
        )

    with caplog.at_level(logging.WARNING, logger="cogs.auto_extract"):
        client: ClaimBot = await harness.start(read_messages=True)
        await answer_in_thread_of(fake, posted)
        await eventually(lambda: warned("#no-history", "missing Read Message History"))
        await eventually(lambda: warned(str(GONE_CHANNEL_ID), "is gone"))
    assert history_reads(fake, int(no_history.id)) == []  # not read at all
    assert threads_started(fake) == [posted["id"]]
    assert not client.is_closed()


async def test_without_the_message_content_intent_nothing_is_read_or_passed(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    await read_automatically(fake, store)
    await store.advance_auto_extract_cursor(
        guild_id=guild_id(fake), channel_id=general_id(fake), message_id=0
    )
    fake.post_while_offline(article(), user="reader")
    await harness.start(read_messages=False)
    await asyncio.sleep(0.3)
    # Members' messages would read blank: the cursor stays for a start with the intent.
    assert history_reads(fake, general_id(fake)) == []
    assert await store.auto_extract_cursor(channel_id=general_id(fake)) == 0


async def test_a_channel_added_by_command_is_caught_up_from_then_on(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    before = fake.post_while_offline("an old article " * 40, user="reader")
    client = await harness.start(read_messages=True)
    await fake.slash("claims-admin auto-extract add", user="admin")
    await cursor_reaches(store, general_id(fake), before["id"])  # its past is not answered
    await harness.stop(client)
    during = fake.post_while_offline(article(), user="reader")
    await harness.start(read_messages=True)
    await answer_in_thread_of(fake, during)
    await cursor_reaches(store, general_id(fake), during["id"])
    assert threads_started(fake) == [during["id"]]


async def test_after_a_long_downtime_the_newest_articles_are_answered_and_older_ones_never(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore, caplog: pytest.LogCaptureFixture
) -> None:
    await read_automatically(fake, store)
    await start_once_and_stop(fake, harness, store)

    # More than CATCH_UP_LIMIT messages while the bot is down: 3 older articles, then the
    # CATCH_UP_LIMIT newest messages, 3 of them articles (the first one the oldest read).
    older = [
        fake.post_while_offline(article(name), user="reader")
        for name in ("economy-inflation", "science-exoplanet", "sports-cup-final")
    ]
    chat = CATCH_UP_LIMIT - 3
    first = fake.post_while_offline(article("crime-bank-fraud"), user="moderator")
    for n in range(chat // 2):
        fake.post_while_offline(f"chat {n}", user="reader")
    middle = fake.post_while_offline(article("politics-budget-vote"), user="reader")
    for n in range(chat // 2, chat):
        fake.post_while_offline(f"chat {n}", user="moderator")
    last = fake.post_while_offline(article("health-measles"), user="reader")
    newest = fake.channel_messages("Newsroom", "general")[-CATCH_UP_LIMIT:]
    assert newest[0]["id"] == first["id"]  # the oldest read message is an article
    assert newest[-1]["id"] == last["id"]

    def warned_of_older_messages() -> bool:
        return any(
            "#general" in record.getMessage() and "were not read" in record.getMessage()
            for record in caplog.records
            if record.name == "cogs.auto_extract" and record.levelno == logging.WARNING
        )

    with caplog.at_level(logging.WARNING, logger="cogs.auto_extract"):
        client = await harness.start(read_messages=True)
        for posted in (first, middle, last):
            await answer_in_thread_of(fake, posted)
        await cursor_reaches(store, general_id(fake), last["id"])
        await eventually(warned_of_older_messages)
    assert threads_started(fake) == [first["id"], middle["id"], last["id"]]  # oldest first
    (read,) = catch_up_reads(fake)
    assert int(read["limit"]) == CATCH_UP_LIMIT

    # Consistent afterwards: a live article is answered, and the older ones never are, not
    # even after another restart.
    live = await fake.post_as_user(article("debunk-5g-birds"), user="reader")
    await answer_in_thread_of(fake, live)
    await cursor_reaches(store, general_id(fake), live["id"])
    client = await harness.restart(client, read_messages=True)
    await eventually(lambda: len(catch_up_reads(fake)) == 2)
    await asyncio.sleep(0.3)
    assert threads_started(fake) == [first["id"], middle["id"], last["id"], live["id"]]
    assert not {m["id"] for m in older} & set(threads_started(fake))
