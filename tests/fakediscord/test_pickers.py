"""Role, channel, user and mentionable options, sent as Discord sends them (ids + data.resolved)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakediscord import FakeDiscord, load_spec
from tests.fakediscord.probe_bot import ProbeBot, start_probe
from tests.fakediscord.world import ANNOUNCEMENT_CHANNEL


def last_data(fake: FakeDiscord) -> dict[str, Any]:
    record = list(fake.interactions.values())[-1]
    data: dict[str, Any] = record.payload["data"]
    return data


async def test_a_role_is_sent_as_its_id_with_the_role_resolved(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    newsroom = fake.world.guild("Newsroom")
    moderator = newsroom.roles["Moderator"]
    assert (await fake.slash("pick", role="Moderator")).content == "role Moderator"
    data = last_data(fake)
    assert data["options"] == [{"name": "role", "type": 8, "value": moderator.id}]
    assert data["resolved"]["roles"][moderator.id]["name"] == "Moderator"
    # An id works as well as a name; a role of another guild is not offered.
    assert (await fake.slash("pick", role=moderator.id)).content == "role Moderator"
    with pytest.raises(LookupError, match="no role"):
        await fake.invoke_slash("pick", role=fake.world.guild("Book Club").roles["Moderator"].id)


async def test_a_channel_carries_the_invoking_members_permissions_there(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    announcements = fake.world.guild("Newsroom").channel("announcements")
    # `channel` is also the keyword for where the command runs: the option goes in options=.
    reader = await fake.slash("pick", user="reader", options={"channel": "announcements"})
    assert reader.content == "#announcements type=0 user_send=False bot_send=False"
    moderator = await fake.slash("pick", user="moderator", options={"channel": announcements.id})
    assert moderator.content == "#announcements type=0 user_send=True bot_send=False"
    data = last_data(fake)
    assert data["options"] == [{"name": "channel", "type": 7, "value": announcements.id}]
    resolved = data["resolved"]["channels"][announcements.id]
    assert resolved["name"] == "announcements"
    assert int(resolved["permissions"]) & (1 << 11)  # the moderator's Send Messages


async def test_the_picker_offers_only_visible_channels_of_the_allowed_types(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    synced = next(c for c in fake.commands["global"] if c["name"] == "pick")
    channel_option = next(o for o in synced["options"] if o["name"] == "channel")
    assert channel_option["channel_types"] == [0, 5]  # discord.TextChannel: text, announcement
    with pytest.raises(LookupError, match="cannot see #mod-room"):
        await fake.invoke_slash("pick", user="reader", options={"channel": "mod-room"})
    with pytest.raises(LookupError, match="no channel"):
        await fake.invoke_slash("pick", options={"channel": "nowhere"})
    thread_id = (await fake.slash("brainstorm")).content.removeprefix("thread ")
    with pytest.raises(ValueError, match="type-11 channel"):
        await fake.invoke_slash("pick", options={"channel": thread_id})


async def test_an_announcement_channel_can_be_picked(fake: FakeDiscord) -> None:
    newsroom = fake.world.guild("Newsroom")
    fake.world.add_channel(newsroom, "press", kind=ANNOUNCEMENT_CHANNEL)
    bot, runner = await start_probe(fake)
    try:
        answer = await fake.slash("pick", user="moderator", options={"channel": "press"})
        assert answer.content == "#press type=5 user_send=True bot_send=True"
    finally:
        await bot.close()
        await runner


async def test_users_come_with_their_member_when_they_belong_to_the_guild(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    moderator = fake.world.user("moderator")
    assert (await fake.slash("pick", person="moderator")).content == "Member moderator"
    resolved = last_data(fake)["resolved"]
    assert resolved["users"][moderator.id]["username"] == "moderator"
    member = resolved["members"][moderator.id]
    assert "user" not in member
    assert "deaf" not in member
    assert member["roles"] == [fake.world.guild("Newsroom").roles["Moderator"].id]
    assert int(member["permissions"]) & (1 << 13)  # Manage Messages
    # `outsider` is not in Newsroom: only the user is resolved.
    assert (await fake.slash("pick", person="outsider")).content == "User outsider"
    assert "members" not in last_data(fake)["resolved"]


async def test_a_mentionable_is_a_role_or_a_member(fake: FakeDiscord, probe: ProbeBot) -> None:
    assert (await fake.slash("pick", who="Admin")).content == "Role Admin"
    assert (await fake.slash("pick", who="reader")).content == "Member reader"
    assert last_data(fake)["options"][0]["type"] == 9
    with pytest.raises(LookupError, match="no user"):
        await fake.invoke_slash("pick", who="nobody")


async def test_an_option_given_twice_is_refused(fake: FakeDiscord, probe: ProbeBot) -> None:
    with pytest.raises(TypeError, match="twice"):
        await fake.invoke_slash("pick", options={"role": "Admin"}, role="Moderator")


def test_resolved_objects_are_checked_against_the_spec() -> None:
    spec = load_spec()
    assert spec.schema_errors("ResolvedObjectsResponse", {"roles": {}}) == []
    problems = spec.schema_errors("ResolvedObjectsResponse", {"roles": {"1": {"id": "1"}}})
    assert problems
    assert "required" in problems[0]
