"""`claimbot digest --guild ID [--week YYYY-Www] [--format text|json]`: the weekly digest of
a guild, offline, exactly as the bot would build it (default: the last complete week in the
guild's time zone). Prints only; records nothing, so it never stops the bot's own post.

bot.digest is imported inside the functions that use it: its package imports the store
(SQLAlchemy), and building the parser (`claimbot --help`, other commands) must not pay for it.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.cli._arguments import discord_id
from bot.cli.claims_cmd import run_with_store
from bot.errors import InvalidInput

if TYPE_CHECKING:
    from bot.digest import IsoWeek
    from bot.settings import Settings
    from bot.store import ClaimStore


def register(subparsers: Any) -> None:
    digest = subparsers.add_parser(
        "digest",
        help="print a guild's weekly digest",
        description="Print the weekly digest of a guild (what came in, what was settled, "
        "what still waits), as the bot would post it.",
    )
    digest.add_argument("--guild", type=discord_id, required=True, metavar="ID", help="guild id")
    digest.add_argument(
        "--week",
        type=_week,
        metavar="YYYY-Www",
        help="ISO week, e.g. 2026-W47 (default: last week in the guild's time zone)",
    )
    digest.add_argument("--format", choices=("text", "json"), default="text")
    digest.set_defaults(handler=handle_digest)


def handle_digest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.digest import DigestService
    from bot.digest.periods import last_complete_week, zone_named
    from bot.digest.render import digest_text

    async def show(store: ClaimStore) -> int:
        guild_settings = await store.get_guild_settings(guild_id=args.guild)
        week: IsoWeek = args.week or last_complete_week(
            datetime.now(UTC), zone_named(guild_settings.timezone)
        )
        digest = await DigestService(store).build(
            guild_id=args.guild, period=week, timezone=guild_settings.timezone
        )
        if args.format == "json":
            print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
        else:
            print(digest_text(digest))
        return 0

    return run_with_store(settings, show)


def _week(text: str) -> IsoWeek:
    # Runs only when --week is given, so only then does the import cost anything.
    from bot.digest.periods import IsoWeek

    try:
        return IsoWeek.parse(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
