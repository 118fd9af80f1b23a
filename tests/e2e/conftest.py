"""End-to-end fixtures: the fake Discord, and the real bot (built by `build_bot`, as in
production) on a temporary SQLite store.

- `fake`: the server, with discord.py pointed at it (and restored afterwards). Its user-side
  helpers are the way tests act: `await fake.slash("claimbot about", user="reader")`,
  `fake.click(...)`, `fake.submit_modal(...)`, `fake.message_menu(...)`, `fake.user_says(...)`;
  each returns what the bot answered. At teardown, anything Discord would have refused fails
  the test.
- `claimbot`: a running ClaimBot. `harness` starts, stops and restarts bots on the same store
  and fake (for persistence across a restart), with extra test-only cogs if needed.
- `error_records`: every ERROR logged by discord.py or our code fails the test, unless the test
  asserts on these records and clears the list.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.app import drain_handlers
from bot.client import ClaimBot, build_bot, discover_cogs
from bot.extraction import Extractor
from bot.settings import Settings
from bot.store import ClaimStore, open_store
from tests.fakediscord import FakeDiscord

READY_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 5.0
GUILD_READY_TIMEOUT_S = 0.01  # production waits 2 s after the last GUILD_CREATE
WATCHED_LOGGERS = ("discord", "bot", "cogs")


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in WATCHED_LOGGERS:
            self.records.append(record)


@pytest.fixture(autouse=True)
def error_records() -> Iterator[list[logging.LogRecord]]:
    collector = _ErrorCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector.records
    finally:
        root.removeHandler(collector)
    assert not collector.records, "ERROR logged during the test:\n" + "\n".join(
        f"{r.name}: {r.getMessage()}" for r in collector.records
    )


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
    assert not server.violations, "Discord would have refused:\n" + "\n".join(server.violations)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'claims.db'}"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[ClaimStore]:
    opened = await open_store(database_url)
    try:
        yield opened
    finally:
        await opened.close()


def make_settings(token: str, database_url: str, **overrides: Any) -> Settings:
    """Settings as the bot would read them, ignoring any .env file of the developer."""
    values: dict[str, Any] = {
        "discord_token": SecretStr(token),
        "database_url": database_url,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class BotHarness:
    """Starts real bots against the fake; stops whatever it started."""

    fake: FakeDiscord
    store: ClaimStore
    extractor: Extractor
    database_url: str
    running: list[tuple[ClaimBot, asyncio.Task[None]]] = field(default_factory=list)

    async def start(
        self,
        *,
        extra_cogs: Sequence[str] = (),
        read_messages: bool = False,
        **setting_overrides: Any,
    ) -> ClaimBot:
        settings = make_settings(self.fake.token, self.database_url, **setting_overrides)
        client = build_bot(
            settings,
            store=self.store,
            extractor=self.extractor,
            read_messages=read_messages,
            guild_ready_timeout=GUILD_READY_TIMEOUT_S,
            identify_interval=0,
            cog_modules=[*discover_cogs(), *extra_cogs],
        )
        runner = asyncio.create_task(client.start(self.fake.token), name="test-bot")
        self.running.append((client, runner))
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait(
            {runner, ready}, timeout=READY_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if runner.done():
                runner.result()  # raise the real start-up error
            raise TimeoutError(f"the bot was not ready within {READY_TIMEOUT_S} s")
        return client

    async def stop(self, client: ClaimBot) -> None:
        for entry in list(self.running):
            if entry[0] is client:
                self.running.remove(entry)
                # As in production (bot.app.serve): let running handlers finish first.
                await drain_handlers()
                await client.close()
                await asyncio.wait_for(entry[1], STOP_TIMEOUT_S)

    async def restart(self, client: ClaimBot, **kwargs: Any) -> ClaimBot:
        """Stop `client` and start a new bot on the same store and fake."""
        await self.stop(client)
        return await self.start(**kwargs)

    async def stop_all(self) -> None:
        for client, _ in list(self.running):
            await self.stop(client)


@pytest.fixture
async def harness(
    fake: FakeDiscord, store: ClaimStore, extractor: Extractor, database_url: str
) -> AsyncIterator[BotHarness]:
    bots = BotHarness(fake, store, extractor, database_url)
    try:
        yield bots
    finally:
        await bots.stop_all()


@pytest.fixture
async def claimbot(harness: BotHarness) -> ClaimBot:
    return await harness.start()
