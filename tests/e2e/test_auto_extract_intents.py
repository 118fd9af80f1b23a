"""The message content intent: asked for at start-up only when some guild has an auto-extract
channel; an admin adding one to a bot without it is told what to do; Discord refusing it at
login (close code 4014) is one clear line from `claimbot run`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import bot.app
from bot.app import PRIVILEGED_INTENT_REFUSED, serve
from bot.cli import main
from bot.client import ClaimBot
from bot.errors import ConfigurationError
from bot.extraction import Extractor
from bot.store import ClaimStore
from cogs.auto_extract import RESTART_NOTICE
from tests.e2e.claims_support import guild_id
from tests.e2e.conftest import BotHarness, make_settings
from tests.fakediscord import FakeDiscord
from tests.fakediscord.gateway import INTENT_MESSAGE_CONTENT

DISALLOWED_INTENTS = 4014  # Discord's close code for a privileged intent the app may not use


def refuse_message_content(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the fake behave like an application whose Message Content intent is off in the
    Developer Portal: an IDENTIFY asking for it is closed with 4014."""
    gateway = fake.gateway
    identify = gateway._identify

    async def refusing(ws: web.WebSocketResponse, payload: dict[str, Any]) -> Any:
        if int(payload.get("intents", 0)) & INTENT_MESSAGE_CONTENT:
            gateway.identifies.append(payload)
            await ws.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return None
        return await identify(ws, payload)

    monkeypatch.setattr(gateway, "_identify", refusing)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, extractor: Extractor) -> list[ClaimBot]:
    """The bots `serve` builds, never started: only how they were built matters here."""
    built: list[ClaimBot] = []

    async def record(client: ClaimBot, token: str, stop: asyncio.Event | None = None) -> None:
        built.append(client)

    monkeypatch.setattr(bot.app, "run_until_stopped", record)
    monkeypatch.setattr(bot.app, "Extractor", lambda threshold, **_: extractor)
    return built


async def test_run_asks_for_message_content_only_with_auto_extract_channels(
    fake: FakeDiscord, store: ClaimStore, database_url: str, started: list[ClaimBot]
) -> None:
    settings = make_settings(fake.token, database_url)
    await serve(settings)
    assert not started[-1].intents.message_content
    assert not started[-1].intents.guild_messages
    await store.update_guild_settings(guild_id=guild_id(fake), auto_extract_channel_ids=[5])
    await serve(settings)
    assert started[-1].intents.message_content
    assert started[-1].intents.guild_messages


async def test_adding_a_channel_without_the_intent_says_to_enable_it_and_restart(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    await harness.start(read_messages=False)
    answer = await fake.slash("claims-admin auto-extract add", user="admin")
    assert answer.ephemeral
    record = answer.interaction
    await record.wait_for(lambda: bool(record.followups), 5, "explain the intent")
    notice = record.followups[0]
    assert notice["flags"] & 64  # ephemeral
    assert notice["content"] == RESTART_NOTICE
    assert "after the bot restarts" in notice["content"]
    assert "Message Content" in notice["content"]
    assert "Developer Portal" in notice["content"]
    settings = await store.get_guild_settings(guild_id=guild_id(fake))
    assert settings.auto_extract_channel_ids  # the channel is kept for the next start
    assert await store.any_auto_extract_channels()


async def test_adding_a_channel_with_the_intent_says_nothing_more(
    fake: FakeDiscord, harness: BotHarness
) -> None:
    await harness.start(read_messages=True)
    answer = await fake.slash("claims-admin auto-extract add", user="admin")
    await asyncio.sleep(0.2)
    assert answer.interaction.followups == []


async def test_a_refused_intent_is_one_clear_error(
    fake: FakeDiscord,
    store: ClaimStore,
    database_url: str,
    extractor: Extractor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refuse_message_content(fake, monkeypatch)
    monkeypatch.setattr(bot.app, "Extractor", lambda threshold, **_: extractor)
    await store.update_guild_settings(guild_id=guild_id(fake), auto_extract_channel_ids=[5])
    with pytest.raises(ConfigurationError) as refused:
        await asyncio.wait_for(serve(make_settings(fake.token, database_url)), 10)
    assert str(refused.value) == PRIVILEGED_INTENT_REFUSED
    assert refused.value.__cause__ is None  # `from None`: no chained traceback
    assert fake.gateway.identifies  # it did try to log in


async def test_claimbot_run_prints_one_line_when_the_intent_is_refused(
    fake: FakeDiscord,
    store: ClaimStore,
    database_url: str,
    extractor: Extractor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    refuse_message_content(fake, monkeypatch)
    monkeypatch.setattr(bot.app, "Extractor", lambda threshold, **_: extractor)
    monkeypatch.setenv("DISCORD_TOKEN", fake.token)
    monkeypatch.chdir(tmp_path)  # no developer .env file
    await store.update_guild_settings(guild_id=guild_id(fake), auto_extract_channel_ids=[5])
    # The command line runs its own event loop: in a thread, while the fake serves here.
    status = await asyncio.wait_for(
        asyncio.to_thread(main, ["--database-url", database_url, "run"]), 20
    )
    assert status == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"claimbot: error: {PRIVILEGED_INTENT_REFUSED}"]
    assert "Traceback" not in err
