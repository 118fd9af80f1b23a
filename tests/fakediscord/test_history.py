"""The channel history (GET /channels/{id}/messages): pages as Discord does, needs the bot's
Read Message History (an empty list without it), carries the thread started on a message,
and blanks members' content without the MESSAGE_CONTENT intent; members can post while the
bot is offline."""

from __future__ import annotations

import asyncio

import discord
import pytest

from tests.fakediscord import FakeDiscord, Perm
from tests.fakediscord.probe_bot import start_probe
from tests.fakediscord.world import ROLE_OVERWRITE, Overwrite


async def _history(
    fake: FakeDiscord, channel_name: str, *, message_content: bool = True, **kwargs: object
) -> list[discord.Message]:
    bot, runner = await start_probe(fake, message_content=message_content)
    try:
        guild = discord.utils.get(bot.guilds, name="Newsroom")
        assert guild is not None
        channel = discord.utils.get(guild.text_channels, name=channel_name)
        assert channel is not None
        return [message async for message in channel.history(**kwargs)]  # type: ignore[arg-type]
    finally:
        await bot.close()
        await asyncio.wait_for(runner, 5)


async def test_posts_made_offline_are_in_the_history_oldest_first_after_an_id(
    fake: FakeDiscord,
) -> None:
    posted = [fake.post_while_offline(f"news {n}", user="reader") for n in range(5)]
    after = discord.Object(id=int(posted[0]["id"]))
    read = await _history(fake, "general", after=after, limit=3, oldest_first=True)
    assert [m.content for m in read] == ["news 1", "news 2", "news 3"]
    newest = await _history(fake, "general", limit=2)
    assert [m.content for m in newest] == ["news 4", "news 3"]
    assert ("GET", f"/channels/{posted[0]['channel_id']}/messages") in [
        (c.method, c.path) for c in fake.calls
    ]


async def test_posting_offline_while_the_bot_is_connected_is_a_test_mistake(
    fake: FakeDiscord,
) -> None:
    bot, runner = await start_probe(fake)
    try:
        with pytest.raises(RuntimeError):
            fake.post_while_offline("news")
    finally:
        await bot.close()
        await asyncio.wait_for(runner, 5)


async def test_a_message_with_a_thread_says_so(fake: FakeDiscord) -> None:
    fake.post_while_offline("news", user="reader")
    bot, runner = await start_probe(fake)
    try:
        guild = discord.utils.get(bot.guilds, name="Newsroom")
        assert guild is not None
        channel = discord.utils.get(guild.text_channels, name="general")
        assert channel is not None
        (message,) = [m async for m in channel.history(limit=5)]
        assert message.thread is None
        assert not message.flags.has_thread
        await message.create_thread(name="talk")
        (again,) = [m async for m in channel.history(limit=5)]
        assert again.flags.has_thread
        assert again.thread is not None
        assert again.thread.id == message.id
    finally:
        await bot.close()
        await asyncio.wait_for(runner, 5)


async def test_without_read_message_history_the_history_is_empty(fake: FakeDiscord) -> None:
    newsroom = fake.world.guild("Newsroom")
    bot_role = newsroom.roles["ClaimBot"].id
    fake.world.add_channel(
        newsroom,
        "no-history",
        Overwrite(bot_role, ROLE_OVERWRITE, deny=Perm.READ_MESSAGE_HISTORY),
    )
    fake.post_while_offline("news", user="reader", channel="no-history")
    assert await _history(fake, "no-history", limit=5) == []


async def test_without_message_content_members_messages_read_blank(fake: FakeDiscord) -> None:
    fake.post_while_offline("secret", user="reader")
    (message,) = await _history(fake, "general", message_content=False, limit=5)
    assert message.content == ""
