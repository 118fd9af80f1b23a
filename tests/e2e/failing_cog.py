"""Test-only commands that fail in each way the error handler must cover."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import ClaimBot
from bot.errors import InvalidInput, NotFound, PermissionDenied
from cogs._ui import ClaimModal, ClaimView


class Refusing(ClaimView):
    @discord.ui.button(label="Refuse", custom_id="failing:refuse")
    async def refuse(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        raise PermissionDenied("Only moderators can change a claim's status.")


class RefusingForm(ClaimModal, title="Evidence"):
    link: discord.ui.TextInput[RefusingForm] = discord.ui.TextInput(
        label="Link", custom_id="failing:link"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        raise InvalidInput(f"{self.link.value!r} is not an http(s) link.")


class Failing(commands.Cog):
    @app_commands.command(name="refusing-form", description="A form that refuses")
    async def refusing_form(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(RefusingForm())

    @app_commands.command(name="refusing-button", description="A button that refuses")
    async def refusing_button(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("press it", view=Refusing())

    @app_commands.command(name="fail-clearly", description="Raise one of our own errors")
    async def fail_clearly(self, interaction: discord.Interaction) -> None:
        raise InvalidInput("That is not a link to an article.")

    @app_commands.command(name="fail-badly", description="Raise a bug")
    async def fail_badly(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("a bug in a handler")

    @app_commands.command(name="fail-after-defer", description="Fail once acknowledged")
    async def fail_after_defer(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        raise NotFound("There is no claim #7 here.")

    @app_commands.command(name="moderators-only", description="Checked at run time")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def moderators_only(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("welcome, moderator", ephemeral=True)

    @app_commands.command(name="slow-answer", description="Answer after a while")
    async def slow_answer(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.3)
        await interaction.followup.send("finished")

    @app_commands.command(name="shout", description="Post a message that mentions everyone")
    async def shout(self, interaction: discord.Interaction) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        await interaction.channel.send("@everyone <@&1> look")  # the client default applies
        await interaction.response.send_message("@everyone done")


async def setup(client: ClaimBot) -> None:
    await client.add_cog(Failing())
