"""The discord.py bot: dependencies passed in, cogs discovered and loaded, one error handler.

`build_bot` is the only way to make one, used by `claimbot run` and by the tests alike, so the
tests exercise exactly the production wiring.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
import httpx
from discord import app_commands
from discord.ext import commands

from bot.errors import ClaimbotError, ConfigurationError
from bot.rate_limit import SubmissionRateLimit
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.extraction import Extractor
    from bot.store import ClaimStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware in UTC (injected so tests can fix the time)."""

COGS_PACKAGE = "cogs"
MAX_MESSAGE_CHARS = 2000  # Discord's limit for a bot's message content
GENERIC_APOLOGY = "Sorry, something went wrong on our side. It has been logged."
# Discord allows one IDENTIFY per 5 s per bucket: pause between shards of one process.
IDENTIFY_INTERVAL_S = 5.0
HTTP_TIMEOUT_S = 15.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def discover_cogs(package: str = COGS_PACKAGE) -> list[str]:
    """The cog modules of `package` (each defines `async def setup(bot)`), sorted by name."""
    module = importlib.import_module(package)
    return sorted(
        f"{package}.{info.name}"
        for info in pkgutil.iter_modules(module.__path__)
        if not info.name.startswith("_")
    )


def intents_for(*, read_messages: bool) -> discord.Intents:
    """The least the bot needs: guilds (for commands and channels); guild messages and their
    content only when it must read articles posted in auto-extract channels."""
    intents = discord.Intents.none()
    intents.guilds = True
    if read_messages:
        intents.guild_messages = True
        intents.message_content = True
    return intents


def unwrap(error: BaseException) -> BaseException:
    """The exception a command raised, not discord.py's wrapper around it."""
    if isinstance(error, app_commands.CommandInvokeError | commands.CommandInvokeError):
        return error.original
    return error


def user_message(error: BaseException) -> str | None:
    """The short text to show for an expected failure, or None for a bug."""
    error = unwrap(error)
    if isinstance(error, ClaimbotError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions | app_commands.BotMissingPermissions):
        return str(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You are not allowed to do that here."
    return None


async def report_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one place where a failed interaction becomes a reply: our own errors become their
    short message, anything else is logged with its traceback and answered with an apology.
    Always ephemeral; a reply if the interaction is not answered yet, else a follow-up."""
    message = user_message(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else None
        # log.exception's traceback, outside an `except` block: exc_info names the exception.
        log.error(
            "unexpected error in interaction %s (command %s)",
            interaction.id,
            command,
            exc_info=unwrap(error),
        )
        message = GENERIC_APOLOGY
    message = message[:MAX_MESSAGE_CHARS]
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        # Too late (the 3-second window or the 15-minute token): the user sees Discord's
        # "interaction failed" instead; the cause is already logged above if it was a bug.
        log.warning("could not report an error to the user of interaction %s", interaction.id)


class ClaimTree(app_commands.CommandTree["ClaimBot"]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_interaction_error(interaction, error)


class ClaimBot(commands.AutoShardedBot):
    """The bot. Cogs reach the application through its attributes (store, extractor, http,
    clock, settings), never through globals."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: ClaimStore,
        extractor: Extractor,
        clock: Clock,
        http: httpx.AsyncClient,
        owns_http: bool,
        intents: discord.Intents,
        guild_ready_timeout: float,
        identify_interval: float,
        cog_modules: Iterable[str],
    ) -> None:
        sharding: dict[str, Any] = {"shard_count": settings.shard_count}
        if settings.shard_ids is not None:
            sharding["shard_ids"] = settings.shard_ids
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=ClaimTree,
            **sharding,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.settings = settings
        self.store = store
        self.extractor = extractor
        self.clock = clock
        self.submission_limit = SubmissionRateLimit(settings.submissions_per_minute)
        self.http_client = http  # `http` is discord.py's own REST client
        self._owns_http = owns_http
        self._identify_interval = identify_interval
        self._cog_modules = list(cog_modules)

    async def setup_hook(self) -> None:
        for name in self._cog_modules:
            await self.load_extension(name)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Development guilds get the commands at once; otherwise they are synced globally
        (Discord may take a while to show global changes)."""
        if not self.settings.dev_guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
            return
        for guild_id in self.settings.dev_guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild_id)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial and self._identify_interval > 0:
            await asyncio.sleep(self._identify_interval)

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guilds (shards %s)", self.user, len(self.guilds), self.shards)

    async def close(self) -> None:
        await super().close()
        if self._owns_http:
            await self.http_client.aclose()


def check_sharding(settings: Settings) -> None:
    if settings.shard_ids is not None and settings.shard_count is None:
        raise ConfigurationError("SHARD_IDS needs SHARD_COUNT (the total number of shards)")
    if settings.shard_ids is not None and settings.shard_count is not None:
        outside = [i for i in settings.shard_ids if not 0 <= i < settings.shard_count]
        if outside:
            raise ConfigurationError(
                f"SHARD_IDS {outside} are outside 0..{settings.shard_count - 1} (SHARD_COUNT)"
            )


def build_bot(
    settings: Settings,
    *,
    store: ClaimStore,
    extractor: Extractor,
    clock: Clock = utc_now,
    http: httpx.AsyncClient | None = None,
    read_messages: bool = False,
    guild_ready_timeout: float = 2.0,
    identify_interval: float = IDENTIFY_INTERVAL_S,
    cog_modules: Iterable[str] | None = None,
) -> ClaimBot:
    """The production bot from its settings and dependencies.

    `http` is closed by the bot only if the bot made it. `read_messages` turns on the message
    intents (for auto-extract channels). `cog_modules` defaults to every module of `cogs`.
    """
    check_sharding(settings)
    return ClaimBot(
        settings,
        store=store,
        extractor=extractor,
        clock=clock,
        http=http if http is not None else httpx.AsyncClient(timeout=HTTP_TIMEOUT_S),
        owns_http=http is None,
        intents=intents_for(read_messages=read_messages),
        guild_ready_timeout=guild_ready_timeout,
        identify_interval=identify_interval,
        cog_modules=discover_cogs() if cog_modules is None else cog_modules,
    )
