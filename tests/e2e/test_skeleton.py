"""The bot's skeleton: dependencies, error handling, intents, mentions, sharding, shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import discord
import pytest

import bot.app
from bot.app import run_until_stopped, serve
from bot.client import GENERIC_APOLOGY, ClaimBot, build_bot, discover_cogs, intents_for
from bot.errors import ClaimbotError, ConfigurationError
from bot.extraction import Extractor
from bot.store import ClaimStore
from tests.e2e.conftest import BotHarness, make_settings
from tests.fakediscord import FakeDiscord
from tests.fakediscord.gateway import INTENT_GUILD_MESSAGES, INTENT_MESSAGE_CONTENT

FAILING_COG = "tests.e2e.failing_cog"
REPO_ROOT = Path(__file__).resolve().parents[2]


async def test_the_bot_holds_its_injected_dependencies(
    claimbot: ClaimBot, store: ClaimStore, extractor: Extractor
) -> None:
    assert claimbot.store is store
    assert claimbot.extractor is extractor
    assert claimbot.clock().tzinfo is not None
    assert "cogs.about" in claimbot.extensions


async def test_a_restarted_bot_serves_from_the_same_store_and_fake(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    first = await harness.start()
    second = await harness.restart(first)
    assert first.is_closed()
    assert second.store is store
    assert len(fake.gateway.identifies) == 2
    assert (await fake.slash("claimbot about")).embed["title"] == "ClaimBot"


async def test_our_errors_become_a_short_ephemeral_message(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    await harness.start(extra_cogs=[FAILING_COG])
    answer = await fake.slash("fail-clearly", user="reader")
    assert answer.callback_type == 4
    assert answer.ephemeral
    assert answer.content == "That is not a link to an article."


async def test_after_a_defer_the_error_arrives_as_a_follow_up(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    await harness.start(extra_cogs=[FAILING_COG])
    answer = await fake.slash("fail-after-defer")
    assert answer.callback_type == 5
    assert answer.content == "There is no claim #7 here."
    assert answer.ephemeral


async def test_errors_in_buttons_and_modals_reach_the_same_handler(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    await harness.start(extra_cogs=[FAILING_COG])
    shown = await fake.slash("refusing-button")
    answer = await fake.click(shown.message, "failing:refuse", user="reader")
    assert answer.ephemeral
    assert answer.content == "Only moderators can change a claim's status."
    form = await fake.slash("refusing-form")
    submitted = await fake.submit_modal(form, {"failing:link": "ftp://x"})
    assert submitted.ephemeral
    assert submitted.content == "'ftp://x' is not an http(s) link."


async def test_a_failed_permission_check_is_explained(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    await harness.start(extra_cogs=[FAILING_COG])
    refused = await fake.slash("moderators-only", user="reader")
    assert refused.ephemeral
    assert "Manage Messages" in refused.content
    assert (await fake.slash("moderators-only", user="moderator")).content == "welcome, moderator"


async def test_a_bug_is_logged_with_its_traceback_and_the_user_gets_an_apology(
    fake: FakeDiscord, harness: BotHarness, error_records: list[logging.LogRecord]
) -> None:
    await harness.start(extra_cogs=[FAILING_COG])
    answer = await fake.slash("fail-badly")
    assert answer.content == GENERIC_APOLOGY
    assert answer.ephemeral
    (record,) = error_records
    assert record.name == "bot.client"
    assert "fail-badly" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    error_records.clear()


async def test_no_message_the_bot_sends_can_mention_anyone(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    await harness.start(extra_cogs=[FAILING_COG])
    await fake.slash("shout", user="moderator")
    await fake.slash("claimbot about")
    sent = [
        c.body
        for c in fake.calls
        if c.method in ("POST", "PATCH") and c.body and "commands" not in c.path
    ]
    messages = [body.get("data", body) for body in sent]
    assert len(messages) == 3
    assert all(m.get("allowed_mentions") == {"parse": []} for m in messages), messages


async def test_minimal_intents_and_message_intents_only_when_asked(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    first = await harness.start()
    intents = fake.gateway.identifies[-1]["intents"]
    assert intents == discord.Intents(guilds=True).value
    await harness.restart(first, read_messages=True)
    intents = fake.gateway.identifies[-1]["intents"]
    assert intents & INTENT_GUILD_MESSAGES
    assert intents & INTENT_MESSAGE_CONTENT
    assert intents_for(read_messages=False).message_content is False


async def test_shard_settings_run_the_requested_shards(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    client = await harness.start(shard_count=2)
    assert sorted(tuple(i["shard"]) for i in fake.gateway.identifies) == [(0, 2), (1, 2)]
    assert client.shard_count == 2
    assert len(client.guilds) == 2
    for guild in ("Newsroom", "Book Club"):  # each guild's interactions come in on its own shard
        assert (await fake.slash("claimbot about", guild=guild)).embed["title"] == "ClaimBot"


async def test_one_process_can_run_a_subset_of_the_shards(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    client = await harness.start(shard_count=2, shard_ids=[1])
    assert [i["shard"] for i in fake.gateway.identifies] == [[1, 2]]
    assert [g.name for g in client.guilds] == ["Book Club"]


def test_inconsistent_shard_settings_are_refused(store: ClaimStore, extractor: Extractor) -> None:
    without_count = make_settings("token", "sqlite://", shard_ids=[0])
    with pytest.raises(ConfigurationError, match="SHARD_COUNT"):
        build_bot(without_count, store=store, extractor=extractor)
    out_of_range = make_settings("token", "sqlite://", shard_count=2, shard_ids=[2])
    with pytest.raises(ConfigurationError, match="outside"):
        build_bot(out_of_range, store=store, extractor=extractor)


async def test_commands_sync_to_development_guilds_when_configured(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    newsroom = fake.world.guild("Newsroom")
    await harness.start(dev_guild_ids=[int(newsroom.id)])
    assert "global" not in fake.commands
    assert any(c["name"] == "claimbot" for c in fake.commands[newsroom.id])
    assert (await fake.slash("claimbot about")).embed["title"] == "ClaimBot"


async def test_stopping_finishes_running_handlers_then_closes_bot_http_and_store(
    fake: FakeDiscord, database_url: str, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The production path (`serve`), stopped by a real SIGTERM."""
    events: list[str] = []
    built: list[ClaimBot] = []
    real_build_bot, real_open_store = bot.app.build_bot, bot.app.open_store

    def recording_build_bot(*args: object, **kwargs: object) -> ClaimBot:
        client = real_build_bot(  # type: ignore[misc]
            *args, guild_ready_timeout=0.01, cog_modules=[*discover_cogs(), FAILING_COG], **kwargs
        )
        built.append(client)
        return client

    async def recording_open_store(url: str, **kwargs: object) -> ClaimStore:
        opened = await real_open_store(url, **kwargs)  # type: ignore[arg-type]
        real_close = opened.close

        async def close() -> None:
            client = built[0]
            bot_closed, http_closed = client.is_closed(), client.http_client.is_closed
            events.append(f"store closed (bot closed={bot_closed}, http closed={http_closed})")
            await real_close()

        monkeypatch.setattr(opened, "close", close)
        return opened

    monkeypatch.setattr(bot.app, "build_bot", recording_build_bot)
    monkeypatch.setattr(bot.app, "open_store", recording_open_store)
    monkeypatch.setattr(bot.app, "Extractor", lambda threshold, **_: extractor)
    serving = asyncio.create_task(serve(make_settings(fake.token, database_url)))
    for _ in range(500):
        if built and built[0].is_ready():
            break
        await asyncio.sleep(0.01)
    assert built
    assert built[0].is_ready()
    in_flight = await fake.invoke_slash("slow-answer")
    await in_flight.wait_for(lambda: in_flight.acknowledged, 2, "defer")
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(serving, 5)
    assert [m["content"] for m in in_flight.followups] == ["finished"]  # drained, not cut off
    assert events == ["store closed (bot closed=True, http closed=True)"]


async def test_a_refused_token_is_one_clear_error(fake: FakeDiscord, harness: BotHarness) -> None:
    client = build_bot(
        make_settings(fake.token, harness.database_url),
        store=harness.store,
        extractor=harness.extractor,
    )
    with pytest.raises(ConfigurationError, match="DISCORD_TOKEN"):
        await run_until_stopped(client, "not-the-token")
    assert client.is_closed()


async def test_an_unreachable_discord_is_one_clear_error(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    client = build_bot(
        make_settings(fake.token, harness.database_url),
        store=harness.store,
        extractor=harness.extractor,
    )
    await fake.stop()  # nothing listens on its port any more
    with pytest.raises(ClaimbotError, match="could not reach Discord"):
        await run_until_stopped(client, fake.token)


async def test_claimbot_run_with_a_wrong_token_exits_with_one_line(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    """The real command line, in a subprocess whose discord.py is pointed at the fake."""
    launcher = (
        "import sys, discord.http; discord.http.Route.BASE = sys.argv[1]; "
        "from bot.cli import main; raise SystemExit(main(['run']))"
    )
    env = {
        **os.environ,
        "DISCORD_TOKEN": "wrong-token",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        launcher,
        fake.base_url + "/api/v10",
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO_ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    assert process.returncode == 1
    assert [line for line in lines if "claimbot: error:" in line] == lines[-1:]
    assert "DISCORD_TOKEN" in lines[-1]
    assert "Traceback" not in stderr.decode()
    assert (tmp_path / "run.db").exists()  # the database was migrated before logging in
    assert fake.calls[-1].status == 401
