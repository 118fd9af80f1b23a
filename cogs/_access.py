"""The rights of the member behind an interaction, checked on every command, press and modal
(default permissions only hide commands; they can be overridden by server admins)."""

from __future__ import annotations

import discord

from bot.client import ClaimBot
from bot.errors import InvalidInput
from bot.moderation import MemberRights, Privilege, require


def claim_bot(interaction: discord.Interaction) -> ClaimBot:
    client = interaction.client
    assert isinstance(client, ClaimBot)
    return client


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise InvalidInput("Claims belong to a server: use this in a server channel.")
    return interaction.guild_id


def rights_of(interaction: discord.Interaction) -> MemberRights:
    permissions = interaction.permissions
    user = interaction.user
    roles = user.roles if isinstance(user, discord.Member) else []
    return MemberRights(
        manage_messages=permissions.manage_messages,
        manage_guild=permissions.manage_guild,
        administrator=permissions.administrator,
        role_ids=frozenset(role.id for role in roles),
    )


async def require_privilege(interaction: discord.Interaction, needed: Privilege) -> int:
    """Refuse unless the user has `needed` in this guild; returns the guild id."""
    guild_id = guild_id_of(interaction)
    rights = rights_of(interaction)
    moderator_roles: tuple[int, ...] = ()
    if needed is Privilege.MODERATOR and not (
        rights.manage_messages or rights.manage_guild or rights.administrator
    ):
        # Only members without the permission need the guild's role list (a database read).
        settings = await claim_bot(interaction).store.get_guild_settings(guild_id=guild_id)
        moderator_roles = settings.moderator_role_ids
    require(rights, moderator_roles, needed)
    return guild_id


def actor_name(interaction: discord.Interaction) -> str:
    """The name stored in the audit trail (display name, as moderators know each other)."""
    return interaction.user.display_name or interaction.user.name
