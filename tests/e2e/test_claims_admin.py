"""`/claims-admin mod-role` and `auto-extract` with Discord's native role and channel pickers:
the picked role or channel arrives as an id with its object resolved; a channel is accepted only
where the bot itself has what the job needs, and refused with a message naming what is missing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.client import ClaimBot
from bot.store import ClaimStore
from tests.e2e.claims_support import eventually, guild_id
from tests.e2e.conftest import BotHarness
from tests.fakediscord import FakeDiscord, Perm
from tests.fakediscord.world import (
    ANNOUNCEMENT_CHANNEL,
    PUBLIC_THREAD,
    ROLE_OVERWRITE,
    Channel,
    Overwrite,
)


def _subcommand(fake: FakeDiscord, group: str, name: str) -> dict[str, Any]:
    (admin,) = [c for c in fake.commands["global"] if c["name"] == "claims-admin"]
    (subgroup,) = [o for o in admin["options"] if o["name"] == group]
    (command,) = [o for o in subgroup["options"] if o["name"] == name]
    return dict(command)


async def test_moderator_roles_are_picked_with_the_role_picker(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    newsroom = fake.world.guild("Newsroom")
    moderators = newsroom.roles["Moderator"]
    (option,) = _subcommand(fake, "mod-role", "add")["options"]
    assert (option["type"], option["required"]) == (8, True)  # a role option, no autocomplete
    assert "autocomplete" not in option or not option["autocomplete"]

    added = await fake.slash("claims-admin mod-role add", user="admin", role="Moderator")
    assert added.ephemeral
    assert added.content.startswith(f"<@&{moderators.id}> is a moderator role.")
    settings = await store.get_guild_settings(guild_id=guild_id(fake))
    assert settings.moderator_role_ids == (int(moderators.id),)

    everyone = await fake.slash("claims-admin mod-role add", user="admin", role="@everyone")
    assert "@everyone cannot be a moderator role" in everyone.content

    removed = await fake.slash("claims-admin mod-role remove", user="admin", role=moderators.id)
    assert f"<@&{moderators.id}> is no longer a moderator role" in removed.content
    again = await fake.slash("claims-admin mod-role remove", user="admin", role="Admin")
    assert "was not a moderator role" in again.content
    assert (await store.get_guild_settings(guild_id=guild_id(fake))).moderator_role_ids == ()


async def test_auto_extract_channels_are_picked_or_default_to_the_current_one(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    newsroom = fake.world.guild("Newsroom")
    general, quiet = newsroom.channel("general"), newsroom.channel("quiet")
    (option,) = _subcommand(fake, "auto-extract", "add")["options"]
    assert option["type"] == 7
    assert option["channel_types"] == [0, 5]
    assert not option.get("required")

    here = await fake.slash("claims-admin auto-extract add", user="admin", channel="general")
    assert f"Long messages posted in <#{general.id}>" in here.content
    # Picked from another channel: the picked one is added, not the current one.
    picked = await fake.slash(
        "claims-admin auto-extract add",
        user="admin",
        channel="general",
        options={"channel": "quiet"},
    )
    assert f"Long messages posted in <#{quiet.id}>" in picked.content
    settings = await store.get_guild_settings(guild_id=guild_id(fake))
    assert settings.auto_extract_channel_ids == (int(general.id), int(quiet.id))

    removed = await fake.slash(
        "claims-admin auto-extract remove", user="admin", options={"channel": quiet.id}
    )
    assert f"<#{quiet.id}> is not read automatically" in removed.content
    listed = await fake.slash("claims-admin auto-extract list", user="admin")
    assert listed.content == f"Auto-extract channels: <#{general.id}>"


async def test_auto_extract_refuses_channels_where_the_bot_cannot_open_threads(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    newsroom = fake.world.guild("Newsroom")
    bot_role = newsroom.roles["ClaimBot"].id
    no_threads = fake.world.add_channel(
        newsroom,
        "no-threads",
        Overwrite(bot_role, ROLE_OVERWRITE, deny=Perm.CREATE_PUBLIC_THREADS),
    )
    await harness.start()
    refused = await fake.slash(
        "claims-admin auto-extract add", user="admin", options={"channel": "no-threads"}
    )
    assert refused.ephemeral
    assert refused.content == (
        f"I can't answer articles in threads in <#{no_threads.id}>: I am missing Create Public "
        "Threads there. Grant ClaimBot that permission in the channel's settings, or pick "
        "another channel. Nothing was changed."
    )
    hidden = await fake.slash(
        "claims-admin auto-extract add", user="admin", options={"channel": "mod-room"}
    )
    assert "I am missing View Channel there" in hidden.content
    settings = await store.get_guild_settings(guild_id=guild_id(fake))
    assert settings.auto_extract_channel_ids == ()

    # Removing never needs the bot's permissions (it may have lost them since).
    await store.update_guild_settings(
        guild_id=guild_id(fake), auto_extract_channel_ids=[int(no_threads.id)]
    )
    removed = await fake.slash(
        "claims-admin auto-extract remove", user="admin", channel="no-threads"
    )
    assert f"<#{no_threads.id}> is not read automatically" in removed.content
    assert (await store.get_guild_settings(guild_id=guild_id(fake))).auto_extract_channel_ids == ()


async def test_run_in_a_thread_without_a_channel_it_asks_for_one(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    newsroom = fake.world.guild("Newsroom")
    general = newsroom.channel("general")
    thread = Channel(
        fake.world.ids.next(),
        newsroom.id,
        "talk",
        type=PUBLIC_THREAD,
        parent_id=general.id,
        owner_id=fake.world.user("admin").id,
    )
    newsroom.channels[f"thread:{thread.id}"] = thread
    for command in ("claims-admin auto-extract add", "claims-admin digest channel"):
        answer = await fake.slash(command, user="admin", channel=thread.id)
        assert "This is a thread: pick its channel with the `channel` option" in answer.content
    # The picker does not offer threads at all.
    with pytest.raises(ValueError, match="type-11 channel"):
        await fake.invoke_slash(
            "claims-admin auto-extract add", user="admin", options={"channel": thread.id}
        )
    settings = await store.get_guild_settings(guild_id=guild_id(fake))
    assert settings.auto_extract_channel_ids == ()
    assert settings.digest_channel_id is None


async def test_an_announcement_channel_is_accepted_for_both_jobs(
    fake: FakeDiscord, harness: BotHarness, store: ClaimStore
) -> None:
    newsroom = fake.world.guild("Newsroom")
    press = fake.world.add_channel(newsroom, "press", kind=ANNOUNCEMENT_CHANNEL)
    await harness.start()
    digest = await fake.slash(
        "claims-admin digest channel", user="admin", options={"channel": "press"}
    )
    assert f"posted in <#{press.id}>" in digest.content
    extract = await fake.slash("claims-admin auto-extract add", user="admin", channel="press")
    assert f"Long messages posted in <#{press.id}>" in extract.content
    settings = await store.get_guild_settings(guild_id=guild_id(fake))
    assert settings.digest_channel_id == int(press.id)
    assert settings.auto_extract_channel_ids == (int(press.id),)


async def test_a_deleted_auto_extract_channel_is_forgotten(
    fake: FakeDiscord, claimbot: ClaimBot, store: ClaimStore
) -> None:
    newsroom = fake.world.guild("Newsroom")
    general, quiet = newsroom.channel("general"), newsroom.channel("quiet")
    for name in ("general", "quiet"):
        await fake.slash("claims-admin auto-extract add", user="admin", channel=name)
    gid = guild_id(fake)
    assert (await store.get_guild_settings(guild_id=gid)).auto_extract_channel_ids == (
        int(general.id),
        int(quiet.id),
    )

    # The picker can no longer offer a deleted channel for `remove`: the bot forgets it.
    await fake.delete_channel("quiet")
    await eventually(lambda: claimbot.get_channel(int(quiet.id)) is None)
    for _ in range(100):
        settings = await store.get_guild_settings(guild_id=gid)
        if settings.auto_extract_channel_ids == (int(general.id),):
            break
        await asyncio.sleep(0.02)
    assert settings.auto_extract_channel_ids == (int(general.id),)
