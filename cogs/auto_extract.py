"""Auto-extract channels (set with `/claims-admin auto-extract`): a long message posted there
is read automatically and answered in a thread on it, so the channel itself stays quiet.

Needs the message content intent (`read_messages=True` when building the bot); without it
member messages arrive blank and are ignored here.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.client import ClaimBot
from bot.submission import AUTO_EXTRACT_MIN_CHARS
from cogs._submitting import answer_in_thread

log = logging.getLogger(__name__)


class AutoExtract(commands.Cog):
    def __init__(self, client: ClaimBot) -> None:
        self.bot = client

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
