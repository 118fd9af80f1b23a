"""Auto-extract channels (set with `/claims-admin auto-extract`): a long message posted there
is read automatically and answered in a thread on it, so the channel itself stays quiet.

Needs the message content intent (`read_messages=True` when building the bot); without it
member messages arrive blank and are ignored here. `claimbot run` asks for that intent only
when some guild has an auto-extract channel, so an admin adding one to a bot started without
it is told that it starts after a restart, and what to enable first.

What is posted while the bot is down is caught up: the store keeps, per channel, the newest
message handled there (a cursor that only moves forward), and when a shard becomes ready
(or resumes) the bot reads the newest messages of each of its auto-extract channels (at most
CATCH_UP_LIMIT) and answers, oldest first, the articles among those newer than the cursor
that have no thread yet (bot.catch_up decides which); the cursor then moves to the newest
message read. After a long downtime older unread messages may remain before those: they are
not read, and a warning says so (members can still run the "Extract claims" menu on one).
A channel seen for the first time starts from its newest message: its past is not answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.catch_up import (
    CATCH_UP_LIMIT,
    PostedMessage,
    cursor_after,
    is_article,
    messages_to_answer,
    unread_in_newest_page,
)
from bot.client import ClaimBot
from bot.moderation import Privilege, privilege_of
from cogs._access import member_rights
from cogs._submitting import answer_in_thread

log = logging.getLogger(__name__)

ADD_COMMAND = "claims-admin auto-extract add"
RESTART_NOTICE = (
    "Auto-extract is not running yet: the bot was started without the Message Content "
    "intent, which it needs to read the articles posted here. It starts after the bot "
    "restarts. Before restarting, enable Message Content Intent for the bot in the Discord "
    "Developer Portal (Bot > Privileged Gateway Intents), or Discord will refuse the login."
)


class AutoExtract(commands.Cog):
    def __init__(self, client: ClaimBot) -> None:
        self.bot = client
        # Messages this process has started answering: a catch-up and a live (or replayed)
        # MESSAGE_CREATE may see the same one before its thread exists. Never emptied: one
        # id per article is small, and an id is never answered twice.
        self._answered: set[int] = set()
        self._catching_up = asyncio.Lock()

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        # The add command (cogs/claims_admin.py) has just answered; this completes its answer.
        if command.qualified_name != ADD_COMMAND:
            return
        if not self.bot.intents.message_content:
            try:
                await interaction.followup.send(RESTART_NOTICE, ephemeral=True)
            except discord.HTTPException as error:
                log.warning("could not tell about the message content intent: %s", error)
        if interaction.guild is not None:
            # From now on nothing posted there is lost, even before the next restart.
            await self._start_new_cursors(interaction.guild)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        # A deleted channel can no longer be picked for `auto-extract remove`: forget it here.
        store = self.bot.store
        current = (
            await store.get_guild_settings(guild_id=channel.guild.id)
        ).auto_extract_channel_ids
        if channel.id in current:
            await store.update_guild_settings(
                guild_id=channel.guild.id,
                auto_extract_channel_ids=[i for i in current if i != channel.id],
            )
            log.info("auto-extract channel %s was deleted; forgotten", channel.id)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if (
            message.guild is None
            or not is_article(by_bot=message.author.bot, length=len(message.content))
            or isinstance(message.channel, discord.Thread)
        ):
            return
        settings = await self.bot.store.get_guild_settings(guild_id=message.guild.id)
        if message.channel.id not in settings.auto_extract_channel_ids:
            return
        wait = self.bot.submission_limit.try_take(message.guild.id, message.author.id)
        if wait is not None and not _is_moderator(message, settings.moderator_role_ids):
            # Quiet in a busy channel: no reply to a flood; the article is handled (refused).
            log.info(
                "auto-extract: %s posted more than %d articles a minute in #%s; %s not read",
                message.author.id,
                self.bot.submission_limit.per_minute,
                getattr(message.channel, "name", message.channel.id),
                message.id,
            )
            await self.bot.store.advance_auto_extract_cursor(
                guild_id=message.guild.id, channel_id=message.channel.id, message_id=message.id
            )
            return
        await self._answer(message)

    @commands.Cog.listener()
    async def on_shard_ready(self, shard_id: int) -> None:
        await self.catch_up(shard_id)

    @commands.Cog.listener()
    async def on_shard_resumed(self, shard_id: int) -> None:
        # Discord replays the missed events on a resume; reading the history as well costs
        # one request per channel and covers events lost anyway.
        await self.catch_up(shard_id)

    async def catch_up(self, shard_id: int) -> None:
        """Answer the articles posted in the shard's auto-extract channels while it was away."""
        if not self.bot.intents.message_content:
            return  # members' messages would read blank: the cursor must not pass them
        async with self._catching_up:
            for guild in self.bot.guilds:
                if guild.shard_id != shard_id:
                    continue
                settings = await self.bot.store.get_guild_settings(guild_id=guild.id)
                for channel_id in settings.auto_extract_channel_ids:
                    try:
                        await self._catch_up_channel(guild, channel_id)
                    except discord.HTTPException as error:
                        log.warning(
                            "auto-extract catch-up in channel %s failed: %s", channel_id, error
                        )

    async def _start_new_cursors(self, guild: discord.Guild) -> None:
        settings = await self.bot.store.get_guild_settings(guild_id=guild.id)
        for channel_id in settings.auto_extract_channel_ids:
            if await self.bot.store.auto_extract_cursor(channel_id=channel_id) is not None:
                continue
            channel = _readable_channel(guild, channel_id)
            if channel is None:
                continue
            try:
                await self._start_cursor(channel)
            except discord.HTTPException as error:
                log.warning("auto-extract could not read channel %s: %s", channel_id, error)

    async def _start_cursor(self, channel: discord.TextChannel) -> None:
        """A channel seen for the first time: its cursor starts at its newest message (0 in
        an empty channel), so its past is not answered."""
        newest = [message async for message in channel.history(limit=1)]
        await self.bot.store.advance_auto_extract_cursor(
            guild_id=channel.guild.id,
            channel_id=channel.id,
            message_id=newest[0].id if newest else 0,
        )

    async def _catch_up_channel(self, guild: discord.Guild, channel_id: int) -> None:
        channel = _readable_channel(guild, channel_id)
        if channel is None:
            return
        store = self.bot.store
        cursor = await store.auto_extract_cursor(channel_id=channel.id)
        if cursor is None:
            await self._start_cursor(channel)
            return
        # The newest page (newest first, no anchor): after a long downtime the recent
        # articles are the ones worth answering.
        fetched = {message.id: message async for message in channel.history(limit=CATCH_UP_LIMIT)}
        unread = unread_in_newest_page([_posted(message) for message in fetched.values()], cursor)
        if unread.older_not_read:
            log.warning(
                "auto-extract read the %d newest messages in #%s (%s); older messages posted "
                "there while the bot was away were not read (members can still run the "
                '"Extract claims" menu on one to check it)',
                len(unread.messages),
                channel.name,
                channel.id,
            )
        for chosen in messages_to_answer(unread.messages):
            await self._answer(fetched[chosen.id])
        newest_read = cursor_after(unread.messages, cursor)
        if newest_read is not None and newest_read != cursor:
            await store.advance_auto_extract_cursor(
                guild_id=guild.id, channel_id=channel.id, message_id=newest_read
            )

    async def _answer(self, message: discord.Message) -> None:
        """Answer the article in a thread (once per process), then move the channel's cursor
        past it: answered or refused, it is handled."""
        assert message.guild is not None
        if message.id in self._answered:
            return
        self._answered.add(message.id)
        try:
            await answer_in_thread(self.bot, message)
        except discord.HTTPException as error:
            # No thread rights, say: the article is not lost, moderators can run the menu.
            log.warning("auto-extract in channel %s failed: %s", message.channel.id, error)
        await self.bot.store.advance_auto_extract_cursor(
            guild_id=message.guild.id, channel_id=message.channel.id, message_id=message.id
        )


def _is_moderator(message: discord.Message, moderator_role_ids: Iterable[int]) -> bool:
    channel, author = message.channel, message.author
    if not isinstance(channel, discord.TextChannel) or not isinstance(author, discord.Member):
        return False
    rights = member_rights(channel.permissions_for(author), author)
    return privilege_of(rights, moderator_role_ids) >= Privilege.MODERATOR


def _readable_channel(guild: discord.Guild, channel_id: int) -> discord.TextChannel | None:
    """The auto-extract channel if the bot can read its history; else None, with a warning
    (Discord would answer an empty history without Read Message History)."""
    channel = guild.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel):
        log.warning(
            "auto-extract channel %s of guild %s is gone; not caught up", channel_id, guild.id
        )
        return None
    if not channel.permissions_for(guild.me).read_message_history:
        log.warning(
            "auto-extract cannot catch up in #%s (%s): missing Read Message History",
            channel.name,
            channel.id,
        )
        return None
    return channel


def _posted(message: discord.Message) -> PostedMessage:
    return PostedMessage(
        id=message.id,
        by_bot=message.author.bot,
        length=len(message.content),
        has_thread=message.thread is not None or message.flags.has_thread,
    )


async def setup(client: ClaimBot) -> None:
    await client.add_cog(AutoExtract(client))
