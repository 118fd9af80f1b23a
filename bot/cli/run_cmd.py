"""`claimbot run`: migrate the database, then run the Discord bot until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run", help="run the Discord bot (migrates the database first)"
    )
    parser.set_defaults(handler=handle_run)


def handle_run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: discord.py and the store are slow to import, and building the
    # parser (`claimbot --help`, any other command) must not pay for them.
    from bot.app import serve, token_of

    token_of(settings)  # fail fast, before touching the database, when there is no token
    asyncio.run(serve(settings))
    return 0
