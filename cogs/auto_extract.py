"""Auto-extract channels (set with `/claims-admin auto-extract`): a long message posted there
is read automatically and answered in a thread on it, so the channel itself stays quiet.

Needs the message content intent (`read_messages=True` when building the bot); without it
member messages arrive blank and are ignored here. `claimbot run` asks for that intent only
when some guild has an auto-extract channel, so an admin adding one to a bot started without
it is told that it starts after a restart, and what to enable first.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import ClaimBot
from bot.submission import AUTO_EXTRACT_MIN_CHARS
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

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        # The add command (cogs/claims_admin.py) has just answered; this completes its answer.
        if command.qualified_name != ADD_COMMAND or self.bot.intents.message_content:
            return
        try:
            await interaction.followup.send(RESTART_NOTICE, ephemeral=True)
        except discord.HTTPException as error:
            log.warning("could not tell about the message content intent: %s", error)

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
            or message.author.bot
            or len(message.content) < AUTO_EXTRACT_MIN_CHARS
            or isinstance(message.channel, discord.Thread)
        ):
            return
        settings = await self.bot.store.get_guild_settings(guild_id=message.guild.id)
        if message.channel.id not in settings.auto_extract_channel_ids:
            return
        try:
            await answer_in_thread(self.bot, message)
        except discord.HTTPException as error:
            # No thread rights, say: the article is not lost, moderators can run the menu.
            log.warning("auto-extract in channel %s failed: %s", message.channel.id, error)


async def setup(client: ClaimBot) -> None:
    await client.add_cog(AutoExtract(client))
