"""Permissions as Discord computes them, channel overwrites included."""

from __future__ import annotations

from tests.fakediscord.world import ALL_PERMISSIONS, Perm, default_world


def test_roles_add_up_and_administrators_and_owners_may_do_everything() -> None:
    world = default_world()
    newsroom = world.guild("Newsroom")
    reader, moderator = world.user("reader").id, world.user("moderator").id
    assert not newsroom.base_permissions(reader) & Perm.MANAGE_MESSAGES
    assert newsroom.base_permissions(moderator) & Perm.MANAGE_MESSAGES
    assert newsroom.base_permissions(world.user("admin").id) == ALL_PERMISSIONS
    assert newsroom.base_permissions(world.user("owner").id) == ALL_PERMISSIONS


def test_role_overwrites_deny_then_allow() -> None:
    world = default_world()
    newsroom = world.guild("Newsroom")
    announcements = newsroom.channel("announcements").id
    assert not newsroom.permissions(world.user("reader").id, announcements) & Perm.SEND_MESSAGES
    assert newsroom.permissions(world.user("moderator").id, announcements) & Perm.SEND_MESSAGES
    assert not newsroom.permissions(world.bot.id, announcements) & Perm.SEND_MESSAGES


def test_a_hidden_channel_grants_nothing() -> None:
    world = default_world()
    newsroom = world.guild("Newsroom")
    mod_room = newsroom.channel("mod-room").id
    assert newsroom.permissions(world.user("reader").id, mod_room) == 0
    assert newsroom.permissions(world.user("moderator").id, mod_room) & Perm.VIEW_CHANNEL


def test_member_overwrites_apply_last() -> None:
    world = default_world()
    newsroom = world.guild("Newsroom")
    quiet = newsroom.channel("quiet").id
    assert not newsroom.permissions(world.user("reader").id, quiet) & Perm.SEND_MESSAGES
    assert newsroom.permissions(world.user("moderator").id, quiet) & Perm.SEND_MESSAGES


def test_consecutive_guilds_land_on_different_shards() -> None:
    world = default_world()
    shards = {(int(guild.id) >> 22) % 2 for guild in world.guilds.values()}
    assert shards == {0, 1}
