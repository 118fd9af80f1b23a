"""The weekly digest end to end: the real bot's digest loop, a fake clock, the loopback
Discord. Posted once to the configured channel with its embed and PNG chart; a second tick
and a restart post nothing new; a forbidden or missing channel is logged, reported to admins
on their next digest command, and the loop keeps running."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import bot.digest.runner
from bot.client import ClaimBot
from bot.digest.periods import IsoWeek, local_instant
from bot.store import ClaimStore
from tests.e2e.conftest import BotHarness
from tests.fakediscord import FakeDiscord
from tests.store.conftest import submit

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TICK_S = 0.05
SETTLE_S = 0.4  # several ticks


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def fast_digest_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cog module is re-imported by each bot (load_extension): patch the service's.
    monkeypatch.setattr(bot.digest.runner, "TICK_SECONDS", TICK_S)
    monkeypatch.setattr(bot.digest.runner, "FIRST_TICK_DELAY_S", TICK_S)


def _this_week() -> IsoWeek:
    return IsoWeek.containing(datetime.now(UTC).date())


def _monday_after_this_week(at: time) -> datetime:
    return local_instant(_this_week().shifted(1).monday(), at, ZoneInfo("UTC"))


async def _start(harness: BotHarness, clock: FakeClock) -> ClaimBot:
    client = await harness.start()
    client.clock = clock  # before the first tick (FIRST_TICK_DELAY_S after ready)
    return client


async def _eventually(condition: Callable[[], bool], within_s: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def _guild_id(fake: FakeDiscord, name: str = "Newsroom") -> int:
    return int(fake.world.guild(name).id)


GENERAL = {"channel": "general"}  # the `channel` option (`channel=` is where a command runs)


async def test_a_channel_where_the_bot_may_not_post_is_refused(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    await _start(harness, FakeClock(_monday_after_this_week(time(8, 0))))
    newsroom = fake.world.guild("Newsroom")
    announcements = newsroom.channel("announcements")
    picked = await fake.slash(
        "claims-admin digest channel", user="admin", options={"channel": "announcements"}
    )
    assert picked.ephemeral
    assert picked.content == (
        f"I can't post the weekly digest in <#{announcements.id}>: I am missing Send Messages "
        "there. Grant ClaimBot that permission in the channel's settings, or pick another "
        "channel. Nothing was changed."
    )
    # The current channel (no option) is checked the same way; in a hidden one, the bot
    # first needs to see it (the rest depends on that).
    here = await fake.slash("claims-admin digest channel", user="admin", channel="announcements")
    assert "I am missing Send Messages there" in here.content
    hidden = await fake.slash(
        "claims-admin digest channel", user="admin", options={"channel": "mod-room"}
    )
    assert "I am missing View Channel there" in hidden.content
    settings = await store.get_guild_settings(guild_id=int(newsroom.id))
    assert settings.digest_channel_id is None  # nothing was changed

    # The picker offers text and announcement channels only.
    (group,) = [c for c in fake.commands["global"] if c["name"] == "claims-admin"]
    (digest,) = [o for o in group["options"] if o["name"] == "digest"]
    (channel_command,) = [o for o in digest["options"] if o["name"] == "channel"]
    assert channel_command["options"][0]["channel_types"] == [0, 5]


async def test_the_digest_is_posted_once_with_embed_and_png_also_across_a_restart(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    clock = FakeClock(_monday_after_this_week(time(8, 0)))
    client = await _start(harness, clock)
    # Run in #mod-room, the channel picked with Discord's channel picker: #general.
    answer = await fake.slash(
        "claims-admin digest channel", user="admin", channel="mod-room", options=GENERAL
    )
    assert answer.ephemeral
    general = fake.world.guild("Newsroom").channel("general")
    assert f"posted in <#{general.id}> every Monday at 09:00 (UTC)" in answer.content
    guild_id = _guild_id(fake)
    await submit(store, guild_id, "Prices rose 5% in May @everyone.", "Rents fell 2%.")
    await asyncio.sleep(SETTLE_S)
    assert fake.channel_messages("Newsroom", "general") == []  # not due before 09:00

    clock.now = _monday_after_this_week(time(9, 0, 30))
    await _eventually(lambda: len(fake.channel_messages("Newsroom", "general")) == 1)
    (message,) = fake.channel_messages("Newsroom", "general")
    (embed,) = message["embeds"]
    assert embed["title"] == f"Weekly digest · {_this_week().label}"
    assert "2 claim(s)" in embed["description"]
    assert embed["image"]["url"] == f"attachment://digest-{_this_week().label}.png"
    (upload,) = [f for c in fake.calls if c.method == "POST" for f in c.files]
    assert upload.filename == f"digest-{_this_week().label}.png"
    assert upload.data.startswith(PNG_MAGIC)
    assert "@everyone" not in str(message)  # shown harmlessly (and never a ping)
    assert message["mention_everyone"] is False

    await asyncio.sleep(SETTLE_S)  # more ticks in the same week: nothing new
    assert len(fake.channel_messages("Newsroom", "general")) == 1

    restarted = await harness.restart(client)
    restarted.clock = clock
    await asyncio.sleep(SETTLE_S)
    assert len(fake.channel_messages("Newsroom", "general")) == 1
    run = await store.get_digest_run(guild_id=guild_id, period=_this_week().label)
    assert run is not None
    assert run.status == "posted"
    assert run.message_id == int(message["id"])


async def test_a_forbidden_channel_is_logged_reported_to_admins_and_the_loop_goes_on(
    fake: FakeDiscord,
    harness: BotHarness,
    store: ClaimStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock(_monday_after_this_week(time(8, 0)))
    await _start(harness, clock)
    guild_id = _guild_id(fake)
    # The bot may not post in #announcements: set before it lost the right (the command now
    # refuses such a channel, see test_a_channel_where_the_bot_may_not_post_is_refused).
    announcements = fake.world.guild("Newsroom").channel("announcements")
    await store.update_guild_settings(guild_id=guild_id, digest_channel_id=int(announcements.id))
    await submit(store, guild_id, "Prices rose 5% in May.")
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        clock.now = _monday_after_this_week(time(9, 1))
        await _eventually(lambda: "not posted in channel" in caplog.text)
    assert "may not post" in caplog.text
    assert fake.channel_messages("Newsroom", "announcements") == []

    answer = await fake.slash("claims-admin digest channel", user="admin", channel="general")
    assert "could not be posted" in answer.content
    assert "may not post" in answer.content
    again = await fake.slash("claims-admin digest disable", user="admin")
    assert "could not be posted" not in again.content  # reported once
    assert "off" in again.content
    await fake.slash("claims-admin digest channel", user="admin", channel="general")

    # The loop kept running: once the retry is due, the digest reaches the new channel.
    clock.now += timedelta(minutes=6)
    await _eventually(lambda: len(fake.channel_messages("Newsroom", "general")) == 1)
    await asyncio.sleep(SETTLE_S)
    assert len(fake.channel_messages("Newsroom", "general")) == 1


async def test_a_missing_channel_is_reported_and_other_guilds_still_get_theirs(
    fake: FakeDiscord,
    harness: BotHarness,
    store: ClaimStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock(_monday_after_this_week(time(8, 0)))
    await _start(harness, clock)
    newsroom = _guild_id(fake)
    await store.update_guild_settings(guild_id=newsroom, digest_channel_id=123456789)
    await fake.slash(
        "claims-admin digest channel", user="owner", guild="Book Club", channel="general"
    )
    with caplog.at_level(logging.WARNING, logger="bot.digest"):
        clock.now = _monday_after_this_week(time(9, 1))
        await _eventually(lambda: len(fake.channel_messages("Book Club", "general")) == 1)
        await _eventually(lambda: "no longer exists" in caplog.text)
    (quiet,) = fake.channel_messages("Book Club", "general")
    assert "quiet week" in quiet["content"]
    answer = await fake.slash("claims-admin digest preview", user="admin")
    assert "no longer exists" in answer.content


async def test_admins_schedule_and_preview_the_digest(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    clock = FakeClock(_monday_after_this_week(time(8, 0)))
    await _start(harness, clock)
    answer = await fake.slash(
        "claims-admin digest schedule",
        user="admin",
        weekday="Friday",
        at="17:30",
        timezone="Europe/Berlin",
        quiet_week="nothing",
    )
    assert "every Friday at 17:30 (Europe/Berlin)" in answer.content
    assert "a quiet week gets no digest" in answer.content
    refused = await fake.slash(
        "claims-admin digest schedule", user="admin", weekday="Monday", at="25:00"
    )
    assert "is not a time" in refused.content
    unknown = await fake.slash(
        "claims-admin digest schedule", user="admin", weekday="Monday", timezone="Mars/Base"
    )
    assert "Unknown time zone" in unknown.content
    choices = await fake.autocomplete(
        "claims-admin digest schedule", "timezone", user="admin", weekday="Monday", timezone="berl"
    )
    assert [c["value"] for c in choices] == ["Europe/Berlin"]

    await submit(store, _guild_id(fake), "Prices rose 5% in May.")
    preview = await fake.slash("claims-admin digest preview", user="admin", week=_this_week().label)
    assert preview.ephemeral
    assert preview.embed["title"] == f"Weekly digest · {_this_week().label}"
    assert fake.channel_messages("Newsroom", "general") == []  # a preview posts nothing


async def test_a_bot_down_at_the_slot_posts_the_overdue_digest_late_when_back(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    clock = FakeClock(_monday_after_this_week(time(8, 0)))
    client = await _start(harness, clock)
    await fake.slash("claims-admin digest channel", user="admin", channel="general")
    await submit(store, _guild_id(fake), "Prices rose 5% in May.")
    await harness.stop(client)  # down over the 09:00 slot

    clock.now = _monday_after_this_week(time(15, 0))
    await _start(harness, clock)
    await _eventually(lambda: len(fake.channel_messages("Newsroom", "general")) == 1)
    (message,) = fake.channel_messages("Newsroom", "general")
    assert message["embeds"][0]["title"] == f"Weekly digest · {_this_week().label} (late)"
