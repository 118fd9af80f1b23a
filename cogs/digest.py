"""The weekly digest loop: every minute, post the digests that are due (bot/digest decides
what and when from `bot.clock`; this cog only delivers to Discord), and the
`/claims-admin digest ...` commands' home cog (see cogs/_digest_commands.py)."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

import discord
from discord.ext import commands, tasks

from bot.client import ClaimBot
from bot.digest import DeliveryError, DigestMessage, DigestService, runner
from cogs._digest_commands import DigestCommands
from cogs.claims_admin import admin_group

log = logging.getLogger(__name__)
UNLOAD_TIMEOUT_S = 10.0


def discord_message(message: DigestMessage) -> dict[str, Any]:
    """`channel.send` keyword arguments for a digest message."""
    # discord.py sends `enforce_nonce: true` with any nonce given: a repeated send of the
    # same digest (a retry after an answer that never came) returns the first message.
    kwargs: dict[str, Any] = {"nonce": message.nonce}
    if message.content is not None:
        kwargs["content"] = message.content
    if message.embed is not None:
        kwargs["embed"] = discord.Embed.from_dict(message.embed)
    if message.chart_png is not None and message.chart_filename is not None:
        kwargs["file"] = discord.File(io.BytesIO(message.chart_png), message.chart_filename)
    return kwargs


class DigestLoop(commands.Cog):
    def __init__(self, bot: ClaimBot) -> None:
        self.bot = bot
        self.service = DigestService(bot.store)
        self.loop = tasks.loop(seconds=runner.TICK_SECONDS)(self.tick)
        self.loop.before_loop(self._before_first_tick)

    async def cog_load(self) -> None:
        # A bot that never logged in (a structure test loading the cogs) has no gateway to
        # wait for; a real start loads the cogs in setup_hook, after login.
        if self.bot.user is not None:
            self.loop.start()

    async def cog_unload(self) -> None:
        # Let a tick cut off mid-way unwind (roll back, return its connection) before
        # going on: bot.close() unloads the cogs and the store is closed right after.
        self.loop.cancel()
        tick = self.loop.get_task()
        if tick is not None and not tick.done():
            await asyncio.wait({tick}, timeout=UNLOAD_TIMEOUT_S)

    async def _before_first_tick(self) -> None:
        await self.bot.wait_until_ready()
        await asyncio.sleep(runner.FIRST_TICK_DELAY_S)

    async def tick(self) -> None:
        """One pass; never raises, so the loop keeps running whatever one guild does."""
        try:
            guilds = {guild.id for guild in self.bot.guilds}
            await self.service.tick(self.bot.clock(), self.send, guilds=guilds)
        except Exception:
            log.exception("digest tick failed; the loop goes on")

    async def send(self, channel_id: int, message: DigestMessage) -> int:
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden):
                raise DeliveryError(
                    f"the digest channel <#{channel_id}> no longer exists"
                ) from None
        if not isinstance(channel, discord.abc.Messageable):
            raise DeliveryError(f"<#{channel_id}> is not a channel the bot can post in")
        try:
            sent = await channel.send(**discord_message(message))
        except discord.Forbidden:
            raise DeliveryError(
                f"the bot may not post in <#{channel_id}> (it needs View Channel, Send "
                "Messages, Embed Links and Attach Files there)"
            ) from None
        except discord.NotFound:
            raise DeliveryError(f"the digest channel <#{channel_id}> no longer exists") from None
        except discord.HTTPException as exc:  # after discord.py's own retries of 5xx
            raise DeliveryError(f"Discord refused the digest ({exc.status}: {exc.text})") from None
        message_id: int = sent.id
        return message_id


async def setup(client: ClaimBot) -> None:
    # `/claims-admin digest ...`: cogs load in name order, so the group exists by now.
    admin_group(client).add_command(DigestCommands())
    await client.add_cog(DigestLoop(client))
