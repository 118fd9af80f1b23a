"""Known claims in Discord: `/claims export` (moderators: the guild's verdicts as a
ClaimReview JSON-LD file), `/claims lookup` (published fact-checks of a claim, when the bot
has a FACTCHECK_API_KEY), `/claims repeat confirm|reject` (moderators decide a suggested
repeat) and `/claims-admin publisher set|show` (who the reviews are by).

`/claims` is cogs/claims.py's GroupCog: this module adds its subcommands to that group in
`setup`, before the commands are synced (cogs load in name order: claims, claims_admin,
claims_known). Thin: the work is in bot/known.
"""

from __future__ import annotations

import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import claim_format as fmt
from bot.client import ClaimBot
from bot.errors import ConfigurationError, InvalidInput
from bot.known.claimreview import check_publisher
from bot.known.export import guild_publisher, write_claim_reviews
from bot.known.factcheck import MISSING_KEY_MESSAGE, FactCheckClient
from bot.known.lookup_embed import lookup_embed
from bot.known.repeats import confirm_repeat, reject_repeat
from bot.moderation import Privilege
from cogs._access import actor_name, claim_bot, guild_id_of, require_privilege
from cogs._claim_views import refresh_claim_messages
from cogs.claims_admin import admin_group

CLAIMS_COG = "Claims"
# Each lookup spends the operator's API quota: a member gets a few per minute.
LOOKUPS_PER_MINUTE = 5
# Discord's smallest upload limit (servers without boosts); larger exports: the command line.
MAX_EXPORT_BYTES = 8 * 1024 * 1024


def claims_group(client: ClaimBot) -> app_commands.Group:
    """The `/claims` group of the loaded Claims cog, to add subcommands to."""
    cog = client.get_cog(CLAIMS_COG)
    assert isinstance(cog, commands.GroupCog), "cogs.claims is not loaded yet"
    group = cog.app_command
    assert group is not None
    return group


async def export_reviews(interaction: discord.Interaction) -> None:
    """`/claims export`."""
    guild_id = await require_privilege(interaction, Privilege.MODERATOR)
    await interaction.response.defer(ephemeral=True, thinking=True)
    store = claim_bot(interaction).store
    default_name = interaction.guild.name if interaction.guild else str(guild_id)
    publisher = await guild_publisher(store, guild_id, default_name)
    out = io.StringIO()
    count = await write_claim_reviews(store, guild_id, out, publisher, max_chars=MAX_EXPORT_BYTES)
    data = out.getvalue().encode("utf-8")
    if count < 0 or len(data) > MAX_EXPORT_BYTES:
        raise InvalidInput(
            "The export is larger than Discord lets the bot upload (8 MiB): run "
            f"`claimbot export --guild {guild_id} --format claimreview` instead."
        )
    if count == 0:
        await interaction.followup.send(
            "No settled claims yet: only verified, disputed and inconclusive claims are "
            "published (dismissed ones are not verdicts).",
            ephemeral=True,
        )
        return
    await interaction.followup.send(
        f"{count} claim review{'s' * (count != 1)} by {fmt.harmless(publisher.name)} "
        "(schema.org ClaimReview JSON-LD).",
        file=discord.File(io.BytesIO(data), f"claimreview-{guild_id}.json"),
        ephemeral=True,
    )


class RepeatGroup(app_commands.Group, name="repeat", description="Suggested repeats of claims"):
    @app_commands.command(name="confirm", description="Moderators: it is the same claim")
    @app_commands.describe(number="The claim suggested as a repeat")
    async def confirm(
        self, interaction: discord.Interaction, number: app_commands.Range[int, 1, 2_147_483_647]
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MODERATOR)
        claim = await confirm_repeat(
            claim_bot(interaction).store,
            guild_id=guild_id,
            number=number,
            moderator_id=interaction.user.id,
            moderator_name=actor_name(interaction),
        )
        await interaction.response.send_message(
            f"#{claim.number} is the same claim as #{claim.match_number}; it is now "
            f"{fmt.status_label(claim.status)}.",
            ephemeral=True,
        )
        # The claim took the earlier verdict: the answers listing it show the new status, and
        # its "may repeat" note becomes a confirmed one.
        await refresh_claim_messages(interaction, claim)

    @app_commands.command(name="reject", description="Moderators: it is a different claim")
    @app_commands.describe(number="The claim suggested as a repeat")
    async def reject(
        self, interaction: discord.Interaction, number: app_commands.Range[int, 1, 2_147_483_647]
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MODERATOR)
        claim = await reject_repeat(claim_bot(interaction).store, guild_id=guild_id, number=number)
        await interaction.response.send_message(
            f"#{claim.number} is kept as a claim of its own.", ephemeral=True
        )
        # Its answer asked moderators to decide: the note now says what they decided.
        await refresh_claim_messages(interaction, claim)


class PublisherGroup(
    app_commands.Group, name="publisher", description="Who publishes the server's claim reviews"
):
    @app_commands.command(name="set", description="Name and links used in exported reviews")
    @app_commands.describe(
        name="Publisher name shown as the reviews' author",
        url="The publisher's web site (http or https)",
        review_url="Each review's address, with {number} for the claim number",
    )
    async def set_(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 100],
        url: str | None = None,
        review_url: str | None = None,
    ) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        publisher = check_publisher(name, url, review_url)
        await claim_bot(interaction).store.update_guild_settings(
            guild_id=guild_id,
            review_author_name=publisher.name,
            review_author_url=publisher.url,
            review_url_template=publisher.review_url_template,
        )
        await interaction.response.send_message(
            "Claim reviews will be published as: " + _describe(publisher.name, publisher.url,
                                                               publisher.review_url_template),
            ephemeral=True,
        )  # fmt: skip

    @app_commands.command(name="show", description="The publisher used in exported reviews")
    async def show(self, interaction: discord.Interaction) -> None:
        guild_id = await require_privilege(interaction, Privilege.MANAGER)
        settings = await claim_bot(interaction).store.get_guild_settings(guild_id=guild_id)
        if settings.review_author_name is None:
            text = "No publisher set: reviews are published under the server's name."
        else:
            text = "Claim reviews are published as: " + _describe(
                settings.review_author_name,
                settings.review_author_url,
                settings.review_url_template,
            )
        await interaction.response.send_message(text, ephemeral=True)


def _describe(name: str, url: str | None, template: str | None) -> str:
    # Links in <> so Discord shows no preview cards in the answer.
    parts = [fmt.harmless(name)]
    if url:
        parts.append(f"<{url}>")
    if template:
        parts.append(f"reviews at <{template}>")
    return ", ".join(parts)


def claims_subcommands(factcheck: FactCheckClient) -> list[app_commands.Command[Any, ..., None]]:
    # Fresh objects per bot: a command records the group it was added to, and the lookup
    # uses this bot's fact-check client (its cache and rate-limit pause).

    @app_commands.describe(
        number="The claim number (as in #12)",
        language="Only reviews in this language (a code such as en or de); default: any",
    )
    @app_commands.checks.cooldown(LOOKUPS_PER_MINUTE, 60.0, key=lambda i: (i.guild_id, i.user.id))
    async def lookup(
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1, 2_147_483_647],
        language: app_commands.Range[str, 2, 10] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        claim = await claim_bot(interaction).store.get_claim(guild_id=guild_id, number=number)
        if language is not None and not language.replace("-", "").isalpha():
            raise InvalidInput("The language is a code such as en, de or pt-BR.")
        if not factcheck.configured:
            raise ConfigurationError(MISSING_KEY_MESSAGE)
        await interaction.response.defer(ephemeral=True, thinking=True)
        reviews = await factcheck.search(claim.text, language=language)
        embed = lookup_embed(claim.number, claim.text, reviews)
        await interaction.followup.send(embed=discord.Embed.from_dict(embed), ephemeral=True)

    return [
        app_commands.Command(
            name="export",
            description="Moderators: the server's verdicts as a ClaimReview JSON-LD file",
            callback=export_reviews,
        ),
        app_commands.Command(
            name="lookup",
            description="Published fact-checks of a claim (Google Fact Check Tools)",
            callback=lookup,
        ),
    ]


async def setup(client: ClaimBot) -> None:
    key = client.settings.factcheck_api_key
    factcheck = FactCheckClient(client.http_client, key.get_secret_value() if key else None)
    group = claims_group(client)
    for command in claims_subcommands(factcheck):
        group.add_command(command)
    group.add_command(RepeatGroup())
    admin_group(client).add_command(PublisherGroup())
