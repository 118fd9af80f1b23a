"""A loopback fake of Discord (REST + gateway) for end-to-end tests of the real discord.py."""

from tests.fakediscord.interactions import Answer, InteractionRecord
from tests.fakediscord.server import FakeDiscord, RateLimitRule
from tests.fakediscord.spec import load_spec
from tests.fakediscord.users import CommandNotVisible
from tests.fakediscord.world import BOT_NAME, Perm, World, default_world

__all__ = [
    "BOT_NAME",
    "Answer",
    "CommandNotVisible",
    "FakeDiscord",
    "InteractionRecord",
    "Perm",
    "RateLimitRule",
    "World",
    "default_world",
    "load_spec",
]
