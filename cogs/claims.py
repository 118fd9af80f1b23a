"""`/claims`: submit articles, browse claims, moderate them. Thin: each command parses its
options, calls the store or bot.submission, and formats the answer (cogs/_embeds.py).

Moderating subcommands (verify, dispute, set-status) are refused at run time to anyone who is
not a moderator (Manage Messages, or a moderator role from `/claims-admin mod-role`). Discord
only lets a top-level command carry default permissions, and `/claims` is for everyone, so
these subcommands are not hidden by Discord; the check on every run is what protects them.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import claim_format as fmt
from bot.client import ClaimBot
from bot.errors import InvalidInput
from bot.moderation import Privilege
from bot.store import ClaimOrder, ClaimStatus
from bot.submission import check_text, check_upload, text_from_upload
from cogs import _embeds
from cogs._access import guild_id_of, require_privilege, take_submission
from cogs._claim_views import (
    MODAL_TIMEOUT_S,
    ClaimButton,
    Pager,
    change_status,
    claim_buttons,
    refresh_claim_messages,
)
from cogs._submitting import answer_interaction, answer_link
from cogs._ui import ClaimModal

PAGE_SIZE = 10
SEARCH_RESULTS = 10
PASTE_OPTION_MAX = 6000  # Discord's longest string option; longer articles: file or modal
MODAL_TEXT_MAX = 4000  # Discord's longest text input
URL_OPTION_MAX = fmt.MAX_URL_CHARS  # a longer link could not be stored as the article's source
STATUS_CHOICES = [app_commands.Choice(name=s.value, value=s.value) for s in ClaimStatus]
SORT_CHOICES = [
    app_commands.Choice(name="newest", value=ClaimOrder.NEWEST.value),
    app_commands.Choice(name="most submitted", value=ClaimOrder.MOST_SUBMITTED.value),
]
SET_STATUS_CHOICES = [
    app_commands.Choice(name=s.value, value=s.value)
    for s in (ClaimStatus.INCONCLUSIVE, ClaimStatus.DISMISSED, ClaimStatus.PENDING)
]


class PasteModal(ClaimModal, title="Submit an article"):
    article: discord.ui.TextInput[PasteModal] = discord.ui.TextInput(
        label="Article text",
        style=discord.TextStyle.paragraph,
        max_length=MODAL_TEXT_MAX,
        custom_id="article",
    )

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await answer_interaction(
            interaction, text=self.article.value, source="paste", source_label="a paste"
        )


def start_of_week(now: datetime, timezone: str = "UTC") -> datetime:
    """Monday 00:00 of the week `now` is in, in the guild's time zone (returned in UTC)."""
    local = now.astimezone(ZoneInfo(timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - timedelta(days=midnight.weekday())).astimezone(UTC)


@app_commands.guild_only()
class Claims(commands.GroupCog, group_name="claims", group_description="Checkable claims"):
    def __init__(self, client: ClaimBot) -> None:
        self.bot = client
        super().__init__()

    # ---- submitting ----------------------------------------------------------------

    @app_commands.command(name="submit", description="Find the checkable claims of an article")
    @app_commands.describe(
        text="The article text (leave empty and attach nothing to get a big text box)",
        file="The article as a .txt, .md or .html file (at most 1 MB)",
        url="A link to the article (http or https); the bot reads the page",
    )
    async def submit(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, PASTE_OPTION_MAX] | None = None,
        file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, URL_OPTION_MAX] | None = None,
    ) -> None:
        if sum(given is not None for given in (text, file, url)) > 1:
            raise InvalidInput("Give one of text, file or url, not several.")
        if url is not None:
            await answer_link(interaction, url)
        elif file is not None:
            check_upload(file.filename, file.size)  # before downloading anything
            article = text_from_upload(file.filename, await file.read())
            check_text(article, max_chars=self.bot.store.max_article_chars)
            await answer_interaction(
                interaction, text=article, source="file", source_label=file.filename
            )
        elif text is not None:
            check_text(text, max_chars=self.bot.store.max_article_chars)
            await answer_interaction(interaction, text=text, source="paste", source_label="a paste")
        else:
            await take_submission(interaction, count=False)
            await interaction.response.send_modal(PasteModal(timeout=MODAL_TIMEOUT_S))

    # ---- browsing ------------------------------------------------------------------

    @app_commands.command(name="list", description="Claims, newest first, 10 a page")
    @app_commands.describe(
        status="Only claims with this status",
        sort="Newest first (the default), or most submitted first",
    )
    @app_commands.choices(status=STATUS_CHOICES, sort=SORT_CHOICES)
    async def list_(
        self,
        interaction: discord.Interaction,
        status: app_commands.Choice[str] | None = None,
        sort: app_commands.Choice[str] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        wanted = ClaimStatus(status.value) if status else None
        order = ClaimOrder(sort.value) if sort else ClaimOrder.NEWEST
        title = f"{wanted.value.capitalize()} claims" if wanted else "Claims"
        if order is ClaimOrder.MOST_SUBMITTED:
            title += ", most submitted first"

        async def load(page: int) -> tuple[discord.Embed, int]:
            total = await self.bot.store.count_claims(guild_id=guild_id, status=wanted)
            pages = max(1, math.ceil(total / PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            claims = await self.bot.store.list_claims(
                guild_id=guild_id,
                status=wanted,
                limit=PAGE_SIZE,
                offset=page * PAGE_SIZE,
                order=order,
            )
            footer = f"Page {page + 1} of {pages} · {total:,} claims"
            embed = _embeds.list_embed(
                title, claims, footer, show_demand=order is ClaimOrder.MOST_SUBMITTED
            )
            return embed, pages

        embed, pages = await load(0)
        if pages == 1:
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        await interaction.response.send_message(
            embed=embed, view=Pager(interaction, load, pages), ephemeral=True
        )

    @app_commands.command(name="show", description="A claim in full: status, history, evidence")
    @app_commands.describe(number="The claim's number")
    async def show(
        self, interaction: discord.Interaction, number: app_commands.Range[int, 1]
    ) -> None:
        guild_id = guild_id_of(interaction)
        claim = await self.bot.store.get_claim(guild_id=guild_id, number=number)
        history = await self.bot.store.claim_history(guild_id=guild_id, number=number)
        await interaction.response.send_message(
            embed=_embeds.show_embed(claim, history), view=claim_buttons([claim]), ephemeral=True
        )

    @app_commands.command(name="search", description="Claims containing all of these words")
    @app_commands.describe(words='Words to look for ("rates" also finds "rate")')
    async def search(
        self, interaction: discord.Interaction, words: app_commands.Range[str, 1, 200]
    ) -> None:
        guild_id = guild_id_of(interaction)
        claims = await self.bot.store.search_claims(
            guild_id=guild_id, words=words, limit=SEARCH_RESULTS
        )
        title = f"Claims matching {fmt.one_line(words)}"
        footer = f"Newest {SEARCH_RESULTS} shown" if len(claims) == SEARCH_RESULTS else ""
        await interaction.response.send_message(
            embed=_embeds.list_embed(title, claims, footer), ephemeral=True
        )

    @app_commands.command(name="stats", description="How many claims have each status")
    async def stats(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        settings = await self.bot.store.get_guild_settings(guild_id=guild_id)
        all_time = await self.bot.store.stats(guild_id=guild_id)
        this_week = await self.bot.store.stats_since(
            guild_id=guild_id, since=start_of_week(self.bot.clock(), settings.timezone)
        )
        await interaction.response.send_message(
            embed=_embeds.stats_embed(all_time, this_week), ephemeral=True
        )

    # ---- moderating ----------------------------------------------------------------

    @app_commands.command(name="verify", description="Moderators: mark a claim verified")
    @app_commands.describe(
        number="The claim's number",
        evidence="A link (http or https) to the evidence",
        note="Why (at most 1000 characters)",
    )
    async def verify(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1],
        evidence: str | None = None,
        note: app_commands.Range[str, 1, fmt.MAX_NOTE_CHARS] | None = None,
    ) -> None:
        await self._set(interaction, number, ClaimStatus.VERIFIED, evidence, note)

    @app_commands.command(name="dispute", description="Moderators: mark a claim disputed")
    @app_commands.describe(
        number="The claim's number",
        evidence="A link (http or https) to the evidence",
        note="Why (at most 1000 characters)",
    )
    async def dispute(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1],
        evidence: str | None = None,
        note: app_commands.Range[str, 1, fmt.MAX_NOTE_CHARS] | None = None,
    ) -> None:
        await self._set(interaction, number, ClaimStatus.DISPUTED, evidence, note)

    @app_commands.command(
        name="set-status", description="Moderators: mark a claim inconclusive, dismissed or pending"
    )
    @app_commands.describe(
        number="The claim's number",
        status="The new status",
        evidence="A link (http or https) to the evidence",
        note="Why (at most 1000 characters)",
    )
    @app_commands.choices(status=SET_STATUS_CHOICES)
    async def set_status(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1],
        status: app_commands.Choice[str],
        evidence: str | None = None,
        note: app_commands.Range[str, 1, fmt.MAX_NOTE_CHARS] | None = None,
    ) -> None:
        await self._set(interaction, number, ClaimStatus(status.value), evidence, note)

    async def _set(
        self,
        interaction: discord.Interaction,
        number: int,
        status: ClaimStatus,
        evidence: str | None,
        note: str | None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await require_privilege(interaction, Privilege.MODERATOR)
        claim = await change_status(
            interaction, guild_id, number, status, note=note, evidence_url=evidence
        )
        await interaction.response.send_message(
            f"Claim #{claim.number} is now {fmt.status_label(claim.status)}.", ephemeral=True
        )
        await refresh_claim_messages(interaction, claim)

    # ---- autocomplete ----------------------------------------------------------------

    @show.autocomplete("number")
    @verify.autocomplete("number")
    @dispute.autocomplete("number")
    @set_status.autocomplete("number")
    async def number_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """Recent pending claims whose number or text matches what was typed so far."""
        if interaction.guild_id is None:
            return []
        recent = await self.bot.store.list_claims(
            guild_id=interaction.guild_id, status=ClaimStatus.PENDING, limit=100
        )
        typed = current.strip().lstrip("#").casefold()
        by_number = [c for c in recent if str(c.number).startswith(typed)]
        by_text = [
            c for c in recent if typed in c.text.casefold() and not str(c.number).startswith(typed)
        ]
        matching = by_number + by_text  # a typed number first, then claims mentioning it
        return [
            app_commands.Choice(name=fmt.choice_name(claim), value=claim.number)
            for claim in matching[: fmt.CHOICES_LIMIT]
        ]


async def setup(client: ClaimBot) -> None:
    # Buttons on any message, however old, reach their handler (also after a restart).
    client.add_dynamic_items(ClaimButton)
    await client.add_cog(Claims(client))
