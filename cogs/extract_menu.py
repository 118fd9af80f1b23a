"""The "Extract claims" message menu: someone pasted an article, anyone runs the menu on it."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import ClaimBot
from bot.errors import InvalidInput
from bot.submission import check_text
from cogs._access import claim_bot
from cogs._embeds import jump_url
from cogs._submitting import answer_interaction


@app_commands.context_menu(name="Extract claims")
@app_commands.guild_only()
async def extract_claims(interaction: discord.Interaction, message: discord.Message) -> None:
    if not message.content.strip():
        raise InvalidInput(
            "That message has no text to read (attachments and embeds are not read: use "
            "/claims submit with the file)."
        )
    check_text(message.content, max_chars=claim_bot(interaction).store.max_article_chars)
    guild_id = interaction.guild_id or 0
    await answer_interaction(
        interaction,
        text=message.content,
        source="message",
        source_label=f"a message by {message.author.display_name}",
        jump=jump_url(guild_id, message.channel.id, message.id),
    )


class ExtractMenu(commands.Cog):
    """Holds the menu so that unloading the extension removes it."""

    def __init__(self, client: ClaimBot) -> None:
        self.bot = client

    async def cog_load(self) -> None:
        self.bot.tree.add_command(extract_claims)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(extract_claims.name, type=extract_claims.type)


async def setup(client: ClaimBot) -> None:
    await client.add_cog(ExtractMenu(client))
