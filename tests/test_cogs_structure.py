"""Structure of the cogs, checked without Discord: each module can be loaded, and the commands
it adds are ones Discord accepts (unique names, descriptions, a valid sync payload)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import AsyncIterator
from typing import Any

import pytest
from discord import app_commands

from bot.client import ClaimBot, build_bot, discover_cogs
from bot.settings import Settings
from tests.fakediscord import rules
from tests.fakediscord.spec import load_spec

COG_MODULES = discover_cogs()


def test_the_cogs_package_has_cogs() -> None:
    assert "cogs.about" in COG_MODULES


@pytest.mark.parametrize("name", COG_MODULES)
def test_every_cog_module_has_an_async_setup(name: str) -> None:
    module = importlib.import_module(name)
    setup = getattr(module, "setup", None)
    assert inspect.iscoroutinefunction(setup), f"{name} needs async setup(bot)"


@pytest.fixture
async def loaded_bot() -> AsyncIterator[ClaimBot]:
    # Loading cogs needs no store or model: they are only passed through.
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    client = build_bot(settings, store=object(), extractor=object())  # type: ignore[arg-type]
    for name in COG_MODULES:
        await client.load_extension(name)
    try:
        yield client
    finally:
        await client.http_client.aclose()  # never logged in: nothing else to close


def _sync_payload(client: ClaimBot) -> list[dict[str, Any]]:
    return [command.to_dict(client.tree) for command in client.tree.get_commands()]


async def test_command_names_are_unique(loaded_bot: ClaimBot) -> None:
    keys = [(c["type"], c["name"]) for c in _sync_payload(loaded_bot)]
    assert len(keys) == len(set(keys)), keys


async def test_every_command_and_option_has_a_description(loaded_bot: ClaimBot) -> None:
    for command in loaded_bot.tree.walk_commands():
        if isinstance(command, app_commands.ContextMenu):
            continue  # context menus have no description in Discord
        # "…" is what discord.py fills in when a command was given no description.
        assert command.description not in ("", "…"), command.qualified_name
        assert len(command.description) <= 100, command.qualified_name
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                where = f"/{command.qualified_name} {parameter.name}"
                assert parameter.description not in ("", "…"), where


async def test_the_sync_payload_is_one_discord_accepts(loaded_bot: ClaimBot) -> None:
    payload = _sync_payload(loaded_bot)
    assert rules.command_problems(payload) == {}
    assert load_spec().request_errors("PUT", "/applications/1/commands", payload) == []
