"""Known-claims fixtures: the e2e ones (fake Discord, store, harness), plus a bot whose httpx
client answers through an `httpx.MockTransport` (no test reaches the internet)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from bot.client import ClaimBot, build_bot, discover_cogs
from bot.extraction import Extractor
from bot.store import ClaimStore
from tests.e2e import conftest as e2e
from tests.fakediscord import FakeDiscord

# The e2e fixtures, made available to this package's tests.
database_url = e2e.database_url
error_records = e2e.error_records
extractor = e2e.extractor
fake = e2e.fake
store = e2e.store

Handler = Callable[[httpx.Request], httpx.Response]
StartBot = Callable[..., Awaitable[ClaimBot]]


@pytest.fixture
async def start_bot(
    fake: FakeDiscord,
    store: ClaimStore,
    extractor: Extractor,
    database_url: str,
) -> AsyncIterator[StartBot]:
    """`await start_bot(handler, **settings)`: a running bot whose web requests `handler`
    answers."""
    running: list[tuple[ClaimBot, asyncio.Task[None], httpx.AsyncClient]] = []

    async def start(handler: Handler, **overrides: Any) -> ClaimBot:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = build_bot(
            e2e.make_settings(fake.token, database_url, **overrides),
            store=store,
            extractor=extractor,
            http=http,
            guild_ready_timeout=e2e.GUILD_READY_TIMEOUT_S,
            identify_interval=0,
            cog_modules=discover_cogs(),
        )
        task = asyncio.create_task(client.start(fake.token))
        running.append((client, task, http))
        await asyncio.wait_for(client.wait_until_ready(), e2e.READY_TIMEOUT_S)
        return client

    yield start
    for client, task, http in running:
        await client.close()
        await asyncio.wait_for(task, 10)
        await http.aclose()
