"""The rights of the member behind an interaction, checked on every command, press and modal
(default permissions only hide commands; they can be overridden by server admins)."""

from __future__ import annotations

import discord

from bot.client import ClaimBot
from bot.errors import InvalidInput, PermissionDenied
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
    return member_rights(interaction.permissions, interaction.user)


def member_rights(
    permissions: discord.Permissions, user: discord.User | discord.Member
) -> MemberRights:
    """A member's rights from their permissions in a channel and their roles."""
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


async def is_moderator(interaction: discord.Interaction) -> bool:
    try:
        await require_privilege(interaction, Privilege.MODERATOR)
    except PermissionDenied:
        return False
    return True


async def take_submission(interaction: discord.Interaction, *, count: bool = True) -> None:
    """Count an article the member asks to have read; refuse (RateLimited) past the
    per-minute limit, unless the member is a moderator (asked only then: a database read).
    `count` False only checks: before a form opens, so that nobody types into it in vain."""
    wait = claim_bot(interaction).submission_limit.try_take(
        guild_id_of(interaction), interaction.user.id, count=count
    )
    if wait is not None and not await is_moderator(interaction):
        raise claim_bot(interaction).submission_limit.refusal(wait)


def actor_name(interaction: discord.Interaction) -> str:
    """The name stored in the audit trail (display name, as moderators know each other)."""
    return interaction.user.display_name or interaction.user.name


# The bot's own permissions a channel needs before it is accepted for a job, with the names
# Discord's channel settings show (so an admin can find and grant them).
DIGEST_CHANNEL_NEEDS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",  # the digest's chart
}
AUTO_EXTRACT_CHANNEL_NEEDS = {
    "view_channel": "View Channel",
    "create_public_threads": "Create Public Threads",
    "send_messages_in_threads": "Send Messages in Threads",
}
# Discord withholds these while their prerequisite is missing (no View Channel: nothing at all;
# no Send Messages: no Embed Links or Attach Files), so only the prerequisite is worth naming.
_PREREQUISITE = {
    "send_messages": "view_channel",
    "embed_links": "send_messages",
    "attach_files": "send_messages",
    "create_public_threads": "view_channel",
    "send_messages_in_threads": "view_channel",
}


def picked_or_current_channel(
    interaction: discord.Interaction, picked: discord.TextChannel | None
) -> discord.TextChannel:
    """The channel an admin picked, else the one the command runs in (a text or announcement
    channel: the picker offers only those, but the current channel may be a thread or a voice
    channel's chat)."""
    guild_id_of(interaction)
    if picked is not None:
        return picked
    current = interaction.channel
    if isinstance(current, discord.Thread):
        raise InvalidInput(
            "This is a thread: pick its channel with the `channel` option, or run this there."
        )
    if not isinstance(current, discord.TextChannel):
        raise InvalidInput("Pick a text or announcement channel with the `channel` option.")
    return current


def require_bot_permissions(
    channel: discord.TextChannel, needs: dict[str, str], purpose: str
) -> None:
    """Refuse a channel where the bot lacks any of `needs` (computed from its cached roles and
    the channel's overwrites: the picked channel's resolved permissions are the admin's, not
    the bot's)."""
    granted = channel.permissions_for(channel.guild.me)
    lacking = {flag for flag in needs if not getattr(granted, flag)}
    missing = [
        label
        for flag, label in needs.items()
        if flag in lacking and not _prerequisites(flag) & lacking
    ]
    if missing:
        raise InvalidInput(
            f"I can't {purpose} in {channel.mention}: I am missing "
            + _and_join(missing)
            + " there. Grant ClaimBot "
            + ("that permission" if len(missing) == 1 else "those permissions")
            + " in the channel's settings, or pick another channel. Nothing was changed."
        )


def _prerequisites(flag: str) -> set[str]:
    found: set[str] = set()
    while flag in _PREREQUISITE:
        flag = _PREREQUISITE[flag]
        found.add(flag)
    return found


def _and_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
