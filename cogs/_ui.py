"""Base classes for the cogs' views and modals: their errors go to the bot's one error handler
(discord.py would only log them, and the user would see "This interaction failed")."""

from __future__ import annotations

from typing import Any

import discord

from bot.client import report_interaction_error


class ClaimView(discord.ui.View):
    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report_interaction_error(interaction, error)


class ClaimModal(discord.ui.Modal):
    # discord.py's own Modal.on_error drops the `item` argument of BaseView.on_error.
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await report_interaction_error(interaction, error)
