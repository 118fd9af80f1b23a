"""Fixtures for the fake's own tests: the fake, and a small probe bot logged in to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.probe_bot import ProbeBot, start_probe


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
    assert not server.violations, "the bot or the fake broke Discord's rules:\n" + "\n".join(
        server.violations
    )


@pytest.fixture
async def probe(fake: FakeDiscord) -> AsyncIterator[ProbeBot]:
    bot, runner = await start_probe(fake)
    try:
        yield bot
    finally:
        await bot.close()
        await asyncio.wait_for(runner, 5)
