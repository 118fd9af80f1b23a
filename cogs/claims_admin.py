"""`/claims-admin`: server settings for ClaimBot (Manage Server only: hidden from others by
default permissions, and refused at run time too).

- `mod-role add|remove|list`: roles whose members count as moderators even without
  Manage Messages. Note: Discord only applies default permissions to whole top-level
  commands; `/claims verify|dispute|set-status` are checked at run time (see cogs/claims.py).
- `auto-extract add|remove|list`: have long messages posted in a channel (picked, or the
  current one) processed automatically (answers go to a thread on each message).

Roles and channels are chosen with Discord's native pickers (role and channel options); a
channel is accepted only where the bot itself has the permissions the job needs.

Other features attach their own subgroup: define an `app_commands.Group` subclass and either
add it as a class attribute of `ClaimsAdminGroup` (`digest = DigestGroup()`), or, from another
cog module's `setup`, call `admin_group(bot).add_command(DigestGroup())` (in `setup`, before the
commands are synced; that module must load after this one: cogs load in name order).
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import claim_format as fmt
from bot.client import ClaimBot
from bot.errors import InvalidInput
from bot.moderation import Privilege
from cogs._access import (
    AUTO_EXTRACT_CHANNEL_NEEDS,
    claim_bot,
    picked_or_current_channel,
    require_bot_permissions,
    require_privilege,
)

GROUP_NAME = "claims-admin"


def _mentions(ids: tuple[int, ...], mention: str) -> str:
    return ", ".join(mention.format(i) for i in ids) if ids else "none"


def moderator_role(role: discord.Role) -> discord.Role:
    """Refuse roles that cannot sensibly make moderators: @everyone (every member) and roles
    managed by an integration (held by a bot, never by people)."""
    if role.is_default():
        raise InvalidInput(
            "@everyone cannot be a moderator role: it would let every member moderate claims."
        )
    if role.managed:
        raise InvalidInput(
            f"{fmt.harmless(role.name)} is managed by an integration (a bot's own role); "
            "pick a role people hold."
        )
    return role


class ModRoleGroup(app_commands.Group, name="mod-role", description="Moderator roles"):
    @app_commands.command(name="add", description="Members with this role may moderate claims")
    @app_commands.describe(role="The role to make a moderator role")
    async def add(self, interaction: discord.Interaction, role: discord.Role) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        found = moderator_role(role)
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
    async def remove(self, interaction: discord.Interaction, role: discord.Role) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        # Any role may be removed (no checks): removing never grants anything.
        store = claim_bot(interaction).store
        current = (await store.get_guild_settings(guild_id=guild_id)).moderator_role_ids
        settings = await store.update_guild_settings(
            guild_id=guild_id, moderator_role_ids=[i for i in current if i != role.id]
        )
        was = "is no longer" if role.id in current else "was not"
        await interaction.response.send_message(
            f"<@&{role.id}> {was} a moderator role. Moderator roles: "
            + _mentions(settings.moderator_role_ids, "<@&{}>"),
            ephemeral=True,
        )

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
    @app_commands.command(name="add", description="Read long messages posted in a channel")
    @app_commands.describe(channel="The channel to read (default: this channel)")
    async def add(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        picked = picked_or_current_channel(interaction, channel)
        require_bot_permissions(picked, AUTO_EXTRACT_CHANNEL_NEEDS, "answer articles in threads")
        channel_id = picked.id
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

    @app_commands.command(name="remove", description="Stop reading the messages of a channel")
    @app_commands.describe(channel="The channel to stop reading (default: this channel)")
    async def remove(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        # No permission check: stopping must work even where the bot lost its rights.
        channel_id = picked_or_current_channel(interaction, channel).id
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
