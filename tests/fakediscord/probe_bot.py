"""A tiny discord.py bot whose commands poke at each feature of the fake (tests of the fake
itself must not depend on claimbot's own cogs)."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from tests.fakediscord.server import FakeDiscord

START_TIMEOUT_S = 5.0


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="What?", custom_id="feedback_text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class Counter(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:up")
    async def up(
        self, interaction: discord.Interaction, button: discord.ui.Button[Counter]
    ) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count: {self.count}", view=self)

    @discord.ui.button(label="Reset", custom_id="counter:reset")
    async def reset(
        self, interaction: discord.Interaction, button: discord.ui.Button[Counter]
    ) -> None:
        await interaction.response.defer()  # a deferred update (callback type 6)
        self.count = 0
        await interaction.edit_original_response(content="count: 0 (reset)", view=self)

    @discord.ui.select(
        custom_id="counter:pick", options=[discord.SelectOption(label=x) for x in "abc"]
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[Counter]
    ) -> None:
        await interaction.response.send_message(f"picked {select.values}", ephemeral=True)


FRUITS = ["apple", "apricot", "banana", "cherry"]


class Probe(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(description="Say this text back")
    @app_commands.describe(text="what to say")
    async def echo(
        self, interaction: discord.Interaction, text: str, times: app_commands.Range[int, 1, 3] = 1
    ) -> None:
        await interaction.response.send_message(
            text * times, allowed_mentions=discord.AllowedMentions.none()
        )

    @app_commands.command(description="An embed with n fields")
    async def fields(
        self, interaction: discord.Interaction, n: int, title_length: int = 10
    ) -> None:
        embed = discord.Embed(title="t" * title_length)
        for i in range(n):
            embed.add_field(name=f"f{i}", value="v")
        await interaction.response.send_message(embed=embed)

    @app_commands.command(description="Answer after a pause")
    async def slow(self, interaction: discord.Interaction, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await interaction.response.send_message("late")

    @app_commands.command(description="Answer twice (a bug)")
    async def twice(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        await interaction._state.http.request(  # the second callback, bypassing the library's guard
            discord.http.Route(
                "POST",
                "/interactions/{iid}/{token}/callback",
                iid=interaction.id,
                token=interaction.token,
            ),
            json={"type": 4, "data": {"content": "two"}},
        )

    @app_commands.command(description="Defer, then follow up")
    async def later(self, interaction: discord.Interaction, ephemeral: bool = False) -> None:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("done later", ephemeral=ephemeral)

    @app_commands.command(description="Defer, then edit the original")
    async def edited(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="edited")
        original = await interaction.original_response()
        assert original.content == "edited"

    @app_commands.command(description="A counter with a button and a menu")
    async def counter(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("count: 0", view=Counter())

    @app_commands.command(description="Open a modal")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    @app_commands.command(description="Upload a file")
    async def upload(self, interaction: discord.Interaction) -> None:
        file = discord.File(io.BytesIO(b"\x89PNG fake bytes"), filename="chart.png")
        await interaction.response.send_message("here", file=file)

    @app_commands.command(description="Read an attached file")
    async def read(self, interaction: discord.Interaction, document: discord.Attachment) -> None:
        data = await document.read()
        await interaction.response.send_message(f"{document.filename}: {len(data)} bytes")

    @app_commands.command(description="Pick a colour")
    @app_commands.choices(
        colour=[
            app_commands.Choice(name="Red", value="red"),
            app_commands.Choice(name="Blue", value="blue"),
        ]
    )
    async def colour(
        self, interaction: discord.Interaction, colour: app_commands.Choice[str]
    ) -> None:
        await interaction.response.send_message(f"colour {colour.value}")

    @app_commands.command(description="Pick a fruit")
    async def fruit(self, interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"fruit {name}")

    @fruit.autocomplete("name")
    async def fruit_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in FRUITS if f.startswith(current)]

    @app_commands.command(description="Moderators only")
    @app_commands.default_permissions(manage_messages=True)
    async def purge(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("purged", ephemeral=True)

    @app_commands.command(description="Post in a channel and open a thread on it")
    async def announce(
        self, interaction: discord.Interaction, text: str, channel_name: str = "general"
    ) -> None:
        assert interaction.guild is not None
        channel = discord.utils.get(interaction.guild.text_channels, name=channel_name)
        assert channel is not None
        try:
            message = await channel.send(text)
        except discord.Forbidden:
            await interaction.response.send_message("forbidden", ephemeral=True)
            return
        fetched = await channel.fetch_message(message.id)
        assert fetched.content == text
        thread = await message.create_thread(name="discussion")
        await thread.send("first!")
        await message.edit(content=text + " (edited)")
        await interaction.response.send_message(f"posted {message.id}", ephemeral=True)

    @app_commands.command(description="Open a thread in this channel")
    async def brainstorm(self, interaction: discord.Interaction) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        thread = await interaction.channel.create_thread(
            name="ideas", type=discord.ChannelType.public_thread
        )
        await thread.send("go")
        await interaction.response.send_message(f"thread {thread.id}")

    @app_commands.command(description="Defer, fetch the original, then edit it")
    async def peek(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        original = await interaction.original_response()
        await interaction.edit_original_response(content=f"was loading: {original.flags.loading}")

    @app_commands.command(description="Answer, then delete the answer")
    async def vanish(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("now you see me")
        await interaction.delete_original_response()
        await interaction.followup.send("gone")

    @app_commands.command(description="Can the user manage messages here?")
    async def whoami(self, interaction: discord.Interaction) -> None:
        perms = interaction.permissions
        await interaction.response.send_message(
            f"{interaction.user.name} send={perms.send_messages} manage={perms.manage_messages}",
            ephemeral=True,
        )

    @app_commands.command(description="Say what was picked in the native pickers")
    async def pick(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        channel: discord.TextChannel | None = None,
        person: discord.User | None = None,
        who: discord.Member | discord.Role | None = None,
    ) -> None:
        parts = []
        if role is not None:
            parts.append(f"role {role.name}")
        if channel is not None:
            # The resolved channel carries the user's permissions; the bot's come from its cache.
            picked = interaction.namespace.channel
            mine = channel.permissions_for(channel.guild.me)
            parts.append(
                f"#{channel.name} type={channel.type.value}"
                f" user_send={picked.permissions.send_messages} bot_send={mine.send_messages}"
            )
        if person is not None:
            parts.append(f"{type(person).__name__} {person.name}")
        if who is not None:
            parts.append(f"{type(who).__name__} {who.name}")
        await interaction.response.send_message("; ".join(parts) or "nothing", ephemeral=True)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        await message.channel.send(f"heard {message.content!r}")


def quote_menu() -> app_commands.ContextMenu:
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"> {message.content}")

    return app_commands.ContextMenu(name="Quote this", callback=quote)


class ProbeBot(commands.Bot):
    def __init__(self, *, message_content: bool = True, guild_ids: list[int] | None = None) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.message_content = message_content
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, guild_ready_timeout=0.01
        )
        self.guild_ids = guild_ids or []

    async def setup_hook(self) -> None:
        await self.add_cog(Probe(self))
        self.tree.add_command(quote_menu())
        self.add_view(Counter())
        if self.guild_ids:
            for guild_id in self.guild_ids:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()


async def start_probe(fake: FakeDiscord, **kwargs: object) -> tuple[ProbeBot, asyncio.Task[None]]:
    bot = ProbeBot(**kwargs)  # type: ignore[arg-type]
    runner = asyncio.create_task(bot.start(fake.token))
    waiter = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait(
        {runner, waiter}, timeout=START_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
    )
    if waiter not in done:
        waiter.cancel()
        if runner.done():
            runner.result()  # the real start-up error
        raise TimeoutError("the probe bot did not become ready")
    return bot, runner
