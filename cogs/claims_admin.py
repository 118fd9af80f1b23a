"""`/claims-admin`: server settings for ClaimBot (Manage Server only: hidden from others by
default permissions, and refused at run time too).

- `mod-role add|remove|list`: roles whose members count as moderators even without
  Manage Messages. Note: Discord only applies default permissions to whole top-level
  commands; `/claims verify|dispute|set-status` are checked at run time (see cogs/claims.py).
- `auto-extract add|remove|list`: run in a channel to have long messages posted there
  processed automatically (answers go to a thread on each message).

The role is a text option with autocomplete (name, id or mention) rather than Discord's role
picker, so that the command works the same in every client and in the loopback tests.

Other features attach their own subgroup: define an `app_commands.Group` subclass and either
add it as a class attribute of `ClaimsAdminGroup` (`digest = DigestGroup()`), or, from another
cog module's `setup`, call `admin_group(bot).add_command(DigestGroup())` (in `setup`, before the
commands are synced; that module must load after this one: cogs load in name order).
"""

from __future__ import annotations

import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import claim_format as fmt
from bot.client import ClaimBot
from bot.errors import InvalidInput
from bot.moderation import Privilege
from cogs._access import claim_bot, guild_id_of, require_privilege

GROUP_NAME = "claims-admin"
_ROLE_REFERENCE = re.compile(r"^(?:<@&)?(\d+)>?$")


def _mentions(ids: tuple[int, ...], mention: str) -> str:
    return ", ".join(mention.format(i) for i in ids) if ids else "none"


def find_role(interaction: discord.Interaction, reference: str) -> discord.Role:
    """The guild role named by `reference`: an id (what autocomplete sends), a mention or a
    name (case-insensitive)."""
    guild = interaction.guild
    if guild is None:
        raise InvalidInput("Roles belong to a server: use this in a server channel.")
    reference = reference.strip()
    match = _ROLE_REFERENCE.match(reference)
    role = guild.get_role(int(match.group(1))) if match else None
    if role is None:
        role = discord.utils.find(lambda r: r.name.casefold() == reference.casefold(), guild.roles)
    if role is None or role.is_default():
        raise InvalidInput(f"No role {fmt.harmless(reference[:100])} in this server.")
    return role


def role_choices(interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
    roles = interaction.guild.roles if interaction.guild else []
    typed = typed.strip().casefold()
    return [
        app_commands.Choice(name=fmt.truncate(role.name, fmt.CHOICE_NAME_LIMIT), value=str(role.id))
        for role in reversed(roles)  # highest first, as Discord lists them
        if not role.is_default() and not role.managed and typed in role.name.casefold()
    ][: fmt.CHOICES_LIMIT]


class ModRoleGroup(app_commands.Group, name="mod-role", description="Moderator roles"):
    @app_commands.command(name="add", description="Members with this role may moderate claims")
    @app_commands.describe(role="The role to make a moderator role")
    async def add(self, interaction: discord.Interaction, role: str) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        found = find_role(interaction, role)
        store = claim_bot(interaction).store
        current = (await store.get_guild_settings(guild_id=guild_id)).moderator_role_ids
        settings = await store.update_guild_settings(
            guild_id=guild_id, moderator_role_ids=[*current, found.id]
        )
        await interaction.response.send_message(
            f"<@&{found.id}> is a moderator role. Moderator roles: "
            + _mentions(settings.moderator_role_ids, "<@&{}>"),
            ephemeral=True,
        )

    @app_commands.command(name="remove", description="Members of this role stop being moderators")
    @app_commands.describe(role="The moderator role to remove")
    async def remove(self, interaction: discord.Interaction, role: str) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        found = find_role(interaction, role)
        store = claim_bot(interaction).store
        current = (await store.get_guild_settings(guild_id=guild_id)).moderator_role_ids
        settings = await store.update_guild_settings(
            guild_id=guild_id, moderator_role_ids=[i for i in current if i != found.id]
        )
        was = "is no longer" if found.id in current else "was not"
        await interaction.response.send_message(
            f"<@&{found.id}> {was} a moderator role. Moderator roles: "
            + _mentions(settings.moderator_role_ids, "<@&{}>"),
            ephemeral=True,
        )

    @add.autocomplete("role")
    @remove.autocomplete("role")
    async def role_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return role_choices(interaction, current)

    @app_commands.command(name="list", description="The roles that make their members moderators")
    async def list_(self, interaction: discord.Interaction) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        settings = await claim_bot(interaction).store.get_guild_settings(guild_id=guild_id)
        await interaction.response.send_message(
            "Moderator roles: "
            + _mentions(settings.moderator_role_ids, "<@&{}>")
            + " (members with Manage Messages are always moderators).",
            ephemeral=True,
        )


class AutoExtractGroup(
    app_commands.Group, name="auto-extract", description="Channels processed automatically"
):
    @app_commands.command(name="add", description="Read long messages posted in this channel")
    async def add(self, interaction: discord.Interaction) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        channel_id = _text_channel_id(interaction)
        store = claim_bot(interaction).store
        current = (await store.get_guild_settings(guild_id=guild_id)).auto_extract_channel_ids
        settings = await store.update_guild_settings(
            guild_id=guild_id, auto_extract_channel_ids=[*current, channel_id]
        )
        await interaction.response.send_message(
            f"Long messages posted in <#{channel_id}> will be read automatically (answers in a "
            "thread). Auto-extract channels: "
            + _mentions(settings.auto_extract_channel_ids, "<#{}>"),
            ephemeral=True,
        )

    @app_commands.command(name="remove", description="Stop reading messages of this channel")
    async def remove(self, interaction: discord.Interaction) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        channel_id = _text_channel_id(interaction)
        store = claim_bot(interaction).store
        current = (await store.get_guild_settings(guild_id=guild_id)).auto_extract_channel_ids
        settings = await store.update_guild_settings(
            guild_id=guild_id, auto_extract_channel_ids=[i for i in current if i != channel_id]
        )
        await interaction.response.send_message(
            f"<#{channel_id}> is not read automatically. Auto-extract channels: "
            + _mentions(settings.auto_extract_channel_ids, "<#{}>"),
            ephemeral=True,
        )

    @app_commands.command(name="list", description="The channels read automatically")
    async def list_(self, interaction: discord.Interaction) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        settings = await claim_bot(interaction).store.get_guild_settings(guild_id=guild_id)
        await interaction.response.send_message(
            "Auto-extract channels: " + _mentions(settings.auto_extract_channel_ids, "<#{}>"),
            ephemeral=True,
        )


def _text_channel_id(interaction: discord.Interaction) -> int:
    guild_id_of(interaction)
    if isinstance(interaction.channel, discord.Thread) or interaction.channel_id is None:
        raise InvalidInput("Run this in the channel itself, not in a thread.")
    return interaction.channel_id


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class ClaimsAdminGroup(
    app_commands.Group, name=GROUP_NAME, description="ClaimBot settings for this server"
):
    mod_role = ModRoleGroup()
    auto_extract = AutoExtractGroup()


def admin_group(client: ClaimBot) -> app_commands.Group:
    """The registered `/claims-admin` group, for other cogs to attach their subgroup to."""
    group = client.tree.get_command(GROUP_NAME)
    assert isinstance(group, app_commands.Group), "cogs.claims_admin is not loaded yet"
    return group


class ClaimsAdmin(commands.Cog):
    def __init__(self, client: ClaimBot) -> None:
        self.bot = client
        self.group = ClaimsAdminGroup()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.group)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.group.name)


async def setup(client: ClaimBot) -> None:
    await client.add_cog(ClaimsAdmin(client))
