"""Answering a submitted article, shared by `/claims submit`, the "Extract claims" menu and
auto-extract channels: extraction runs in a worker thread (bot.submission), the answer lists
the claims five to a message, each with its Verify / Dispute / Dismiss buttons.

The article is stored with the channel and id of the bot's first answer message, so that a
later status change (by command, or by a button on another message) can find that message
and edit it. Only that first message is known to the store: claims listed on follow-up pages
(the sixth onwards) show a change made by their own buttons, not one made elsewhere.
"""

from __future__ import annotations

import discord

from bot import claim_format as fmt
from bot.client import ClaimBot
from bot.errors import ClaimbotError
from bot.submission import SubmissionResult, Submitter, submit_article
from cogs import _embeds
from cogs._access import actor_name, claim_bot, guild_id_of
from cogs._claim_views import claim_buttons

THREAD_NAME_LIMIT = 100


def answer_pages(
    result: SubmissionResult, *, source_label: str, jump: str | None
) -> list[tuple[discord.Embed, discord.ui.View]]:
    return [
        (embed, claim_buttons(claims))
        for embed, claims in _embeds.submission_pages(result, source_label=source_label, jump=jump)
    ]


def no_claims_text(result: SubmissionResult, jump: str | None) -> str:
    text = fmt.no_claims_message(
        result.extraction.sentences_read, result.extraction.threshold, result.extraction.notes
    )
    return fmt.truncate(f"{text}\nSource: <{jump}>" if jump else text, fmt.CONTENT_LIMIT)


async def answer_interaction(
    interaction: discord.Interaction,
    *,
    text: str,
    source: str,
    source_label: str,
    jump: str | None = None,
) -> None:
    """Defer (publicly: everyone sees the claims), extract and store, then fill in the answer.
    A failure after the defer replaces the "thinking" message with its short explanation."""
    client = claim_bot(interaction)
    guild_id = guild_id_of(interaction)
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
        result = await submit_article(
            client.store, client.extractor, submitter, text=text, source=source
        )
    except ClaimbotError as error:
        await interaction.edit_original_response(
            content=fmt.truncate(str(error), fmt.CONTENT_LIMIT)
        )
        return
    except Exception:
        # A bug: the error handler logs it and apologises privately; do not leave the public
        # "thinking…" message behind.
        await interaction.delete_original_response()
        raise
    if result.outcome is None:
        await interaction.edit_original_response(content=no_claims_text(result, jump))
        return
    pages = answer_pages(result, source_label=source_label, jump=jump)
    first_embed, first_view = pages[0]
    await interaction.edit_original_response(embed=first_embed, view=first_view)
    for embed, view in pages[1:]:
        await interaction.followup.send(embed=embed, view=view)


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
    first_embed, first_view = pages[0]
    await placeholder.edit(content=None, embed=first_embed, view=first_view)
    for embed, view in pages[1:]:
        await thread.send(embed=embed, view=view)
