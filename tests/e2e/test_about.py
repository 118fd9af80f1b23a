"""`/claimbot about`: the whole path, from a user's command to the bot's ephemeral embed."""

from __future__ import annotations

import bot
from bot.client import ClaimBot
from tests.fakediscord import FakeDiscord


async def test_about_shows_version_source_and_what_is_stored(
    fake: FakeDiscord, claimbot: ClaimBot
) -> None:
    answer = await fake.slash("claimbot about", user="reader")
    assert answer.callback_type == 4
    assert answer.ephemeral
    fields = {f["name"]: f["value"] for f in answer.embed["fields"]}
    assert fields["Version"] == bot.__version__
    assert fields["Source"] == bot.SOURCE_URL
    stored = fields["What it stores"]
    assert "articles you submit" in stored
    assert "claims" in stored
    assert "notes" in stored
    assert "Nothing else" in stored


async def test_about_works_in_every_guild_and_for_everyone(
    fake: FakeDiscord, claimbot: ClaimBot
) -> None:
    for guild, user in (
        ("Newsroom", "moderator"),
        ("Book Club", "outsider"),
        ("Book Club", "owner"),
    ):
        answer = await fake.slash("claimbot about", user=user, guild=guild)
        assert answer.embed["title"] == "ClaimBot"
    assert fake.channel_messages("Newsroom", "general") == []  # ephemeral: no one else saw it


async def test_claimbot_is_a_group_with_described_subcommands(
    fake: FakeDiscord, claimbot: ClaimBot
) -> None:
    (group,) = [c for c in fake.commands["global"] if c["name"] == "claimbot"]
    assert group["description"]
    about = next(o for o in group["options"] if o["name"] == "about")
    assert about["type"] == 1
    assert about["description"]
