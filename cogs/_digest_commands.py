"""`/claims-admin digest channel|schedule|disable|preview`: the weekly digest's settings.

Admins (Manage Server) change the settings; moderators may preview (note: the whole
`/claims-admin` group is hidden by default from members without Manage Server; a server
admin can allow it for a moderator role under Server Settings → Integrations). Every answer
to an admin also reports digests that could not be posted since the last time they looked.
"""

from __future__ import annotations

import io
from datetime import time
from typing import Any, Literal
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.digest import DigestService, IsoWeek
from bot.digest.periods import last_complete_week, zone_named
from bot.digest.runner import digest_message
from bot.errors import InvalidInput
from bot.moderation import Privilege
from bot.store import GuildSettingsView
from cogs._access import (
    DIGEST_CHANNEL_NEEDS,
    claim_bot,
    picked_or_current_channel,
    require_bot_permissions,
    require_privilege,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_CHOICES = 25
QUIET_CHOICES = {"one line": True, "nothing": False}


def settings_summary(settings: GuildSettingsView) -> str:
    quiet = "a one-line digest" if settings.digest_quiet_line else "no digest"
    when = (
        f"every {WEEKDAYS[settings.digest_weekday]} at {settings.digest_local_time:%H:%M} "
        f"({settings.timezone}), covering the week before; a quiet week gets {quiet}."
    )
    if settings.digest_channel_id is None:
        return (
            "The weekly digest is off (turn it on with `/claims-admin digest channel`). "
            f"Schedule: {when}"
        )
    return f"The weekly digest is posted in <#{settings.digest_channel_id}> {when}"


def parse_local_time(text: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a time such as 09:00 (24-hour clock).") from None


async def _problems_notice(interaction: discord.Interaction, guild_id: int) -> str:
    """Digests that failed since admins last looked (shown once each)."""
    store = claim_bot(interaction).store
    problems = await store.take_digest_problems(
        guild_id=guild_id, now=claim_bot(interaction).clock()
    )
    if not problems:
        return ""
    lines = [
        f"⚠️ The digest {run.period} could not be posted: {run.last_error}"
        + (" (retrying)" if run.status == "failed" else f" ({run.status})")
        for run in problems[-5:]
    ]
    return "\n\n" + "\n".join(lines)


async def _answer_admin(interaction: discord.Interaction, guild_id: int, text: str) -> None:
    notice = await _problems_notice(interaction, guild_id)
    await interaction.response.send_message((text + notice)[:2000], ephemeral=True)


class DigestCommands(app_commands.Group, name="digest", description="The weekly digest"):
    @app_commands.command(name="channel", description="Post the weekly digest in a channel")
    @app_commands.describe(channel="Where to post it (default: this channel)")
    async def channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        picked = picked_or_current_channel(interaction, channel)
        require_bot_permissions(picked, DIGEST_CHANNEL_NEEDS, "post the weekly digest")
        settings = await claim_bot(interaction).store.update_guild_settings(
            guild_id=guild_id, digest_channel_id=picked.id
        )
        await _answer_admin(interaction, guild_id, settings_summary(settings))

    @app_commands.command(name="schedule", description="When the weekly digest is posted")
    @app_commands.describe(
        weekday="The day to post on",
        at="Local time, HH:MM (24-hour clock)",
        timezone="IANA time zone, e.g. Europe/Berlin",
        quiet_week="What a week without news gets",
    )
    async def schedule(
        self,
        interaction: discord.Interaction,
        weekday: Literal[
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
        ],
        at: app_commands.Range[str, 4, 5] = "09:00",
        timezone: app_commands.Range[str, 1, 64] | None = None,
        quiet_week: Literal["one line", "nothing"] | None = None,
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        local_time = parse_local_time(at)
        if timezone is not None:
            zone_named(timezone)  # refuses an unknown zone with a clear message
        changes: dict[str, Any] = {
            "digest_weekday": WEEKDAYS.index(weekday),
            "digest_local_time": local_time,
        }
        if timezone is not None:
            changes["timezone"] = timezone
        if quiet_week is not None:
            changes["digest_quiet_line"] = QUIET_CHOICES[quiet_week]
        settings = await claim_bot(interaction).store.update_guild_settings(
            guild_id=guild_id, **changes
        )
        await _answer_admin(interaction, guild_id, settings_summary(settings))

    @schedule.autocomplete("timezone")
    async def _timezones(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        needle = typed.strip().lower().replace(" ", "_")
        names = sorted(name for name in available_timezones() if needle in name.lower())
        return [app_commands.Choice(name=name, value=name) for name in names[:MAX_CHOICES]]

    @app_commands.command(name="disable", description="Stop posting the weekly digest")
    async def disable(self, interaction: discord.Interaction) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        settings = await claim_bot(interaction).store.update_guild_settings(
            guild_id=guild_id, digest_channel_id=None
        )
        await _answer_admin(interaction, guild_id, settings_summary(settings))

    @app_commands.command(name="preview", description="Show the digest of a week, only to you")
    @app_commands.describe(week="ISO week such as 2026-W47 (default: last week)")
    async def preview(
        self, interaction: discord.Interaction, week: app_commands.Range[str, 8, 8] | None = None
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MODERATOR)
        bot = claim_bot(interaction)
        settings = await bot.store.get_guild_settings(guild_id=guild_id)
        period = (
            IsoWeek.parse(week)
            if week is not None
            else last_complete_week(bot.clock(), zone_named(settings.timezone))
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await DigestService(bot.store).build(
            guild_id=guild_id, period=period, timezone=settings.timezone
        )
        message = digest_message(digest, quiet_line=True)
        assert message is not None  # a one-line digest at least, when asked for
        notice = ""
        if interaction.permissions.manage_guild or interaction.permissions.administrator:
            notice = await _problems_notice(interaction, guild_id)
        content = settings_summary(settings) + notice
        if message.content is not None:
            content = message.content + "\n\n" + content
        kwargs: dict[str, Any] = {}
        if message.embed is not None:
            kwargs["embed"] = discord.Embed.from_dict(message.embed)
        if message.chart_png is not None and message.chart_filename is not None:
            kwargs["file"] = discord.File(io.BytesIO(message.chart_png), message.chart_filename)
        await interaction.followup.send(content[:2000], ephemeral=True, **kwargs)
