"""The `claimbot` command line: run the bot, and use the store and extraction without Discord.

Each command group lives in its own module with a `register(subparsers)` function that adds
its parsers and sets `handler(args, settings) -> int` as the parser's default.

Building the parser imports only argparse-level code, so `claimbot --help`, `claimbot X --help`
and a refused argument answer at once: each command module imports its heavy dependencies
(the store, discord.py, the model, the fetchers; pydantic in main below) inside the function
that runs the command. Scripts that call `claimbot extract` or `claimbot claims` in a loop
pay only for what that command uses. tests/cli/test_cli_startup.py keeps it so.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.cli import claims_cmd, digest_cmd, eval_cmd, extract_cmd, run_cmd
from bot.errors import ClaimbotError

if TYPE_CHECKING:
    from bot.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimbot",
        description="Extract the checkable claims of articles and review them, in Discord.",
    )
    parser.add_argument(
        "--database-url",
        help="database to use (default: DATABASE_URL, else sqlite+aiosqlite:///claimbot.db)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run_cmd.register(subparsers)
    extract_cmd.register(subparsers)
    eval_cmd.register(subparsers)
    claims_cmd.register(subparsers)
    digest_cmd.register(subparsers)
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    from bot.settings import Settings  # pydantic: only once the arguments are good

    overrides: dict[str, object] = {}
    if getattr(args, "database_url", None):
        overrides["database_url"] = args.database_url
    return Settings(**overrides)  # type: ignore[arg-type]


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic announces its built-in plugins at INFO when it is first imported. The commands
    # import the store only once they run, after this; when the parser imported it, logging was
    # not set up yet and those lines were never shown. Keep them hidden, at any LOG_LEVEL.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def fail(message: str) -> int:
    """Print one clear line on stderr; the caller returns the exit status."""
    print(f"claimbot: error: {message}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from pydantic import ValidationError  # not needed for --help or a refused argument

    try:
        settings = load_settings(args)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        return fail(f"invalid setting ({problems}); see .env.example")
    configure_logging(settings.log_level)
    try:
        status: int = args.handler(args, settings)
    except ClaimbotError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    return status
