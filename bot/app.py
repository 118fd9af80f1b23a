"""Production wiring: settings in; database, store, extractor, HTTP client and bot built once;
run until SIGINT/SIGTERM; then everything closed in reverse order.

Shutdown order matters: handlers still running finish (bounded) first, then the bot leaves
Discord, then the HTTP client closes, and the store closes last, so that no handler is cut off
in the middle of a transaction (and each store write is one transaction: all or nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

import aiohttp
import discord
import httpx

from bot.client import HTTP_TIMEOUT_S, ClaimBot, build_bot
from bot.errors import ClaimbotError, ConfigurationError
from bot.extraction import Extractor
from bot.settings import Settings
from bot.store import open_store, upgrade_database

log = logging.getLogger(__name__)

SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)
DRAIN_TIMEOUT_S = 10.0
PRIVILEGED_INTENT_REFUSED = (
    "Discord refused the Message Content intent, which the bot asks for because some server "
    "has auto-extract channels (it must read the articles posted there): enable "
    "Message Content Intent under Bot > Privileged Gateway Intents in the Discord Developer "
    "Portal, then start the bot again"
)
# Names discord.py gives the tasks that run event, command and component handlers.
_HANDLER_TASK_PREFIXES = ("discord.py: ", "CommandTree-invoker", "discord-ui-")


def token_of(settings: Settings) -> str:
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise ConfigurationError(
            "DISCORD_TOKEN is not set: put your bot token in the environment or in a .env file "
            "(copy .env.example to .env and fill it in)"
        )
    return token


async def serve(settings: Settings, *, read_messages: bool | None = None) -> None:
    """Run the bot until a shutdown signal (or a fatal error), then close everything.

    `read_messages` None: ask Discord for the message intents only when some guild has an
    auto-extract channel (Message Content is privileged; a bot without it need not be
    approved for it). An admin's first auto-extract channel takes effect after a restart.
    """
    token = token_of(settings)
    await upgrade_database(settings.database_url)
    store = await open_store(
        settings.database_url, migrate=False, max_article_chars=settings.max_article_chars
    )
    try:
        if read_messages is None:
            read_messages = await store.any_auto_extract_channels()
        log.info(
            "message content intent %s",
            "requested (auto-extract channels are set)" if read_messages else "not needed",
        )
        # Loading the model is CPU work: keep the event loop free.
        extractor = await asyncio.to_thread(
            Extractor, settings.score_threshold, max_chars=settings.max_article_chars
        )
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_S) as http:
            client = build_bot(
                settings, store=store, extractor=extractor, http=http, read_messages=read_messages
            )
            await run_until_stopped(client, token)
    finally:
        await store.close()
        log.info("store closed; bye")


async def run_until_stopped(
    client: ClaimBot, token: str, stop: asyncio.Event | None = None
) -> None:
    """Run `client` until SIGINT/SIGTERM (or until `stop` is set: tests) or until it fails.

    A refused token, a missing privileged intent or an unreachable Discord becomes one of our
    errors (one clear line on the command line), never a traceback.
    """
    if stop is None:
        stop = asyncio.Event()
    with _stop_on_signals(stop):
        running = asyncio.create_task(client.start(token), name="claimbot")
        stopping = asyncio.create_task(stop.wait(), name="claimbot-stop")
        try:
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            if not running.done():
                log.info("shutting down")
                await drain_handlers()
            await client.close()
            await _result_of(running)


async def _result_of(running: asyncio.Task[None]) -> None:
    try:
        await running
    except discord.LoginFailure as exc:
        raise ConfigurationError(
            f"Discord refused the token ({exc}); check DISCORD_TOKEN in your environment or .env"
        ) from None
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound) as exc:
        raise ClaimbotError(f"could not reach Discord ({exc}); check the network") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigurationError(PRIVILEGED_INTENT_REFUSED) from None


async def drain_handlers(grace: float = DRAIN_TIMEOUT_S) -> None:
    """Let event and command handlers that are already running finish (up to `grace` s)."""
    current = asyncio.current_task()
    running = [
        task
        for task in asyncio.all_tasks()
        if task is not current and task.get_name().startswith(_HANDLER_TASK_PREFIXES)
    ]
    if running:
        log.info("waiting for %d running handler(s)", len(running))
        _, late = await asyncio.wait(running, timeout=grace)
        if late:
            log.warning("%d handler(s) still running after %.0f s; stopping", len(late), grace)


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    installed = []
    for signum in SHUTDOWN_SIGNALS:
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            continue
        installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
