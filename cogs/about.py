"""`/claimbot about`: what the bot is, where its source lives, and what it stores."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

import bot
from bot.client import ClaimBot

WHAT_IT_DOES = (
    "Extracts the checkable factual claims of news articles and lets moderators mark each one "
    "verified, disputed, inconclusive or dismissed, with an audit trail."
)
WHAT_IT_STORES = (
    "The articles you submit, the claims found in them, their statuses, and moderators' notes "
    "(with who changed what, and when). Nothing else: no message history, no member lists."
)


def about_embed() -> discord.Embed:
    embed = discord.Embed(title="ClaimBot", description=WHAT_IT_DOES)
    embed.add_field(name="Version", value=bot.__version__, inline=True)
    embed.add_field(name="Source", value=bot.SOURCE_URL, inline=True)
    embed.add_field(name="What it stores", value=WHAT_IT_STORES, inline=False)
    return embed


class About(commands.GroupCog, group_name="claimbot", group_description="About ClaimBot"):
    @app_commands.command(name="about", description="What this bot does and what it stores")
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=about_embed(), ephemeral=True)


async def setup(client: ClaimBot) -> None:
    await client.add_cog(About())
