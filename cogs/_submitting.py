"""Answering a submitted article, shared by `/claims submit`, the "Extract claims" menu and
auto-extract channels: extraction runs in a worker thread (bot.submission), the answer lists
the claims five to a message, each with its Verify / Dispute / Dismiss buttons.

Every answer message is recorded in the store with the claims it lists and the earlier
claims its seen-before notes name (the article also keeps its first answer message), so that
a later status change (by command, or by a button on another message) edits each message that
shows the claim, whichever page it is on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord

from bot import claim_format as fmt
from bot.client import ClaimBot
from bot.errors import ClaimbotError
from bot.submission import SubmissionResult, Submitter, read_article_link, submit_article
from cogs import _embeds
from cogs._access import actor_name, claim_bot, guild_id_of, take_submission
from cogs._claim_views import claim_buttons

THREAD_NAME_LIMIT = 100


@dataclass(frozen=True, slots=True)
class AnswerPage:
    embed: discord.Embed
    view: discord.ui.View
    numbers: tuple[int, ...]  # the claims it lists
    noted: tuple[int, ...] = ()  # the earlier claims its seen-before notes name


def answer_pages(
    result: SubmissionResult,
    *,
    source_label: str,
    jump: str | None,
    jump_label: str = "source message",
) -> list[AnswerPage]:
    pages = _embeds.submission_pages(
        result, source_label=source_label, jump=jump, jump_label=jump_label
    )
    earlier = {note.number: note.earlier.number for note in result.seen_before}
    answers = []
    for embed, claims in pages:
        numbers = tuple(claim.number for claim in claims)
        noted = tuple(earlier[number] for number in numbers if number in earlier)
        answers.append(AnswerPage(embed, claim_buttons(claims), numbers, noted))
    return answers


async def remember_page(
    client: ClaimBot, guild_id: int, page: AnswerPage, channel_id: int | None, message_id: int
) -> None:
    """Record where the page's claims are shown, so that a status change made anywhere
    edits this message too (`_claim_views.refresh_claim_messages`). The earlier claims its
    notes name are recorded as well: their status changes reword those notes."""
    if channel_id is not None:
        await client.store.record_claim_message(
            guild_id=guild_id,
            numbers=(*page.numbers, *page.noted),
            channel_id=channel_id,
            message_id=message_id,
        )


def no_claims_text(result: SubmissionResult, jump: str | None) -> str:
    text = fmt.no_claims_message(
        result.extraction.sentences_read, result.extraction.threshold, result.extraction.notes
    )
    return fmt.truncate(f"{text}\nSource: <{jump}>" if jump else text, fmt.CONTENT_LIMIT)


@dataclass(frozen=True, slots=True)
class ArticleToSubmit:
    text: str
    source: str  # what Article.source stores: "paste", "file", "message" or the link
    source_label: str  # how the answer names it
    title: str | None = None
    jump: str | None = None  # where the article can be read
    jump_label: str = "source message"


async def answer_interaction(
    interaction: discord.Interaction,
    *,
    text: str,
    source: str,
    source_label: str,
    jump: str | None = None,
) -> None:
    """Answer an article given in the interaction itself (a paste, a file, a message)."""
    given = ArticleToSubmit(text=text, source=source, source_label=source_label, jump=jump)

    async def load() -> ArticleToSubmit:
        return given

    await answer_deferred(interaction, load)


async def answer_link(interaction: discord.Interaction, link: str) -> None:
    """Answer the article behind a link: fetched after the defer (it can take seconds), or the
    guild's stored copy when the link was submitted before."""
    client = claim_bot(interaction)
    guild_id = guild_id_of(interaction)

    async def load() -> ArticleToSubmit:
        found = await read_article_link(client.store, client.settings, guild_id=guild_id, link=link)
        return ArticleToSubmit(
            text=found.text,
            source=found.source_label,
            source_label=found.title or found.source_label,
            title=found.title,
            jump=found.source_label,
            jump_label="article",
        )

    await answer_deferred(interaction, load)


async def answer_deferred(
    interaction: discord.Interaction, load: Callable[[], Awaitable[ArticleToSubmit]]
) -> None:
    """Defer (publicly: everyone sees the claims), load the article, extract and store, then
    fill in the answer. A refusal after the defer removes the public "thinking" message and
    is told to the member alone (by the one error handler), like a refusal before it."""
    client = claim_bot(interaction)
    guild_id = guild_id_of(interaction)
    await take_submission(interaction)  # before the defer: a refusal is private and quick
    callback = await interaction.response.defer(thinking=True)
    answer_id = callback.message_id if callback is not None else None
    if answer_id is None:
        answer_id = (await interaction.original_response()).id
    submitter = Submitter(
        guild_id=guild_id,
        user_id=interaction.user.id,
        name=actor_name(interaction),
        channel_id=interaction.channel_id,
        message_id=answer_id,
    )
    try:
        article = await load()
        result = await submit_article(
            client.store,
            client.extractor,
            submitter,
            text=article.text,
            source=article.source,
            title=article.title,
        )
    except Exception:
        # A refusal or a bug: the error handler answers privately (a bug is logged too);
        # do not leave the public "thinking…" message behind.
        await interaction.delete_original_response()
        raise
    if result.outcome is None:
        await interaction.edit_original_response(content=no_claims_text(result, article.jump))
        return
    pages = answer_pages(
        result, source_label=article.source_label, jump=article.jump, jump_label=article.jump_label
    )
    first = pages[0]
    # Recorded before it shows: a moderator may act on it at once.
    await remember_page(client, guild_id, first, interaction.channel_id, answer_id)
    await interaction.edit_original_response(embed=first.embed, view=first.view)
    for page in pages[1:]:
        sent = await interaction.followup.send(embed=page.embed, view=page.view, wait=True)
        await remember_page(client, guild_id, page, sent.channel.id, sent.id)


async def answer_in_thread(client: ClaimBot, message: discord.Message) -> None:
    """An article posted in an auto-extract channel: answered in a thread on it, so that the
    channel itself stays quiet."""
    assert message.guild is not None
    thread = await message.create_thread(
        name=fmt.truncate(f"Claims: {fmt.one_line(message.content)}", THREAD_NAME_LIMIT)
    )
    placeholder = await thread.send("Reading the article…")
    submitter = Submitter(
        guild_id=message.guild.id,
        user_id=message.author.id,
        name=message.author.display_name,
        channel_id=thread.id,
        message_id=placeholder.id,
    )
    try:
        result = await submit_article(
            client.store, client.extractor, submitter, text=message.content, source="message"
        )
    except ClaimbotError as error:
        await placeholder.edit(content=fmt.truncate(str(error), fmt.CONTENT_LIMIT))
        return
    if result.outcome is None:
        await placeholder.edit(content=no_claims_text(result, None))
        return
    pages = answer_pages(
        result, source_label=f"a message by {message.author.display_name}", jump=message.jump_url
    )
    first = pages[0]
    await remember_page(client, message.guild.id, first, thread.id, placeholder.id)
    await placeholder.edit(content=None, embed=first.embed, view=first.view)
    for page in pages[1:]:
        sent = await thread.send(embed=page.embed, view=page.view)
        await remember_page(client, message.guild.id, page, thread.id, sent.id)
