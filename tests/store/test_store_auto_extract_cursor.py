"""The auto-extract catch-up cursor: per channel, the newest message handled there. It only
ever moves forward, also when two writers race. On SQLite and, with TEST_DATABASE_URL, on
PostgreSQL."""

from __future__ import annotations

import asyncio

from bot.store import ClaimStore

GUILD = 1111
CHANNEL = 1_234_567_890_123_456_789  # Discord ids need 64 bits
OTHER_CHANNEL = 1_234_567_890_123_456_790
FIRST = 1_300_000_000_000_000_001


async def test_a_channel_without_a_cursor_has_none(store: ClaimStore) -> None:
    assert await store.auto_extract_cursor(channel_id=CHANNEL) is None


async def test_the_cursor_moves_forward_per_channel(store: ClaimStore) -> None:
    assert await store.advance_auto_extract_cursor(
        guild_id=GUILD, channel_id=CHANNEL, message_id=FIRST
    )
    assert await store.auto_extract_cursor(channel_id=CHANNEL) == FIRST
    assert await store.advance_auto_extract_cursor(
        guild_id=GUILD, channel_id=CHANNEL, message_id=FIRST + 5
    )
    assert await store.auto_extract_cursor(channel_id=CHANNEL) == FIRST + 5
    assert await store.auto_extract_cursor(channel_id=OTHER_CHANNEL) is None


async def test_the_cursor_never_moves_back(store: ClaimStore) -> None:
    await store.advance_auto_extract_cursor(guild_id=GUILD, channel_id=CHANNEL, message_id=FIRST)
    # A late event (an older message answered after a newer one) changes nothing.
    assert not await store.advance_auto_extract_cursor(
        guild_id=GUILD, channel_id=CHANNEL, message_id=FIRST - 1
    )
    assert not await store.advance_auto_extract_cursor(
        guild_id=GUILD, channel_id=CHANNEL, message_id=FIRST
    )
    assert await store.auto_extract_cursor(channel_id=CHANNEL) == FIRST


async def test_racing_writers_leave_the_newest(store: ClaimStore) -> None:
    ids = [FIRST + n for n in range(12)]
    await asyncio.gather(
        *(
            store.advance_auto_extract_cursor(guild_id=GUILD, channel_id=CHANNEL, message_id=i)
            for i in reversed(ids)
        )
    )
    assert await store.auto_extract_cursor(channel_id=CHANNEL) == ids[-1]
