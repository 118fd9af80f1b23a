"""Claim buttons, the status modal and the claim-list pager.

The Verify / Dispute / Dismiss buttons are dynamic items: their custom id
(`claim:verify:<guild>:<number>`) says everything, so they work on any message, also after a
restart, and check the presser's rights on every press (and again when the modal is sent).
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot import claim_format as fmt
from bot.client import report_interaction_error
from bot.errors import NotFound, PermissionDenied
from bot.known.matching import MatchKind
from bot.moderation import Privilege
from bot.store import ClaimStatus, ClaimStore, ClaimView
from bot.submission import seen_before_note
from cogs import _embeds
from cogs._access import actor_name, claim_bot, require_privilege
from cogs._ui import ClaimModal
from cogs._ui import ClaimView as BaseView

log = logging.getLogger(__name__)

ACTIONS = {
    "verify": (ClaimStatus.VERIFIED, "Verify", discord.ButtonStyle.success),
    "dispute": (ClaimStatus.DISPUTED, "Dispute", discord.ButtonStyle.danger),
    "dismiss": (ClaimStatus.DISMISSED, "Dismiss", discord.ButtonStyle.secondary),
}
PAGE_TIMEOUT_S = 180.0  # a list's Previous/Next work this long after the last press
# A modal left open is forgotten after Discord's 15 minutes (the interaction expires anyway).
MODAL_TIMEOUT_S = 15 * 60.0
# Forgotten by themselves once no edit holds or waits for them.
_message_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()


async def change_status(
    interaction: discord.Interaction,
    guild_id: int,
    number: int,
    status: ClaimStatus | str,
    *,
    note: str | None,
    evidence_url: str | None,
) -> ClaimView:
    """Check the user's rights (now, not when the button was drawn) and record the change."""
    await require_privilege(interaction, Privilege.MODERATOR)
    return await claim_bot(interaction).store.set_status(
        guild_id=guild_id,
        number=number,
        status=status,
        moderator_id=interaction.user.id,
        moderator_name=actor_name(interaction),
        note=note,
        evidence_url=evidence_url,
    )


def message_lock(message_id: int) -> asyncio.Lock:
    """One edit at a time per message: read the claims, then write the message, without
    another change's edit landing in between (a message lives on one shard: one process)."""
    lock = _message_locks.get(message_id)
    if lock is None:
        lock = _message_locks[message_id] = asyncio.Lock()
    return lock


async def refreshed_embeds_for(
    interaction: discord.Interaction, embeds: Sequence[discord.Embed], changed: ClaimView
) -> list[discord.Embed] | None:
    """The embeds of a message showing `changed` (in a claim line, or in a seen-before note
    as either claim), with every claim they list and every note re-read from the store: two
    moderators changing two claims of one message at once must not undo each other (each
    would otherwise write back the stale copy of the other's line)."""
    store = claim_bot(interaction).store
    listed = {n for embed in embeds for n in fmt.listed_numbers(embed.description or "")}
    noted = [ref for embed in embeds for ref in _embeds.note_refs(embed.description or "")]
    named = listed | {n for ref in noted for n in (ref.number, ref.earlier)}
    shows_it = any(embed.title == _embeds.show_title(changed.number) for embed in embeds)
    if changed.number not in named and not shows_it:
        return None
    read = _claim_reader(store, changed)
    current = {number: await read(number) for number in sorted(listed)}
    notes = {ref.number: await _current_note(store, read, ref) for ref in noted}
    show = None
    if shows_it:
        history = await store.claim_history(guild_id=changed.guild_id, number=changed.number)
        show = _embeds.show_embed(changed, history)
    return _embeds.refreshed_embeds(embeds, current, show, notes)


ClaimReader = Callable[[int], Awaitable[ClaimView]]


def _claim_reader(store: ClaimStore, changed: ClaimView) -> ClaimReader:
    """Claims of `changed`'s guild by number, each read once (a claim can be both listed and
    named by a note); `changed` as given, fresh from its change."""
    known = {changed.number: changed}

    async def read(number: int) -> ClaimView:
        if number not in known:
            known[number] = await store.get_claim(guild_id=changed.guild_id, number=number)
        return known[number]

    return read


async def _current_note(store: ClaimStore, read: ClaimReader, ref: _embeds.NoteRef) -> str:
    """The note worded as a fresh answer would word it now: the earlier claim's status and
    verdict, and for a suggested repeat whether a moderator has confirmed or rejected it."""
    kind: MatchKind | None = None
    earlier_number = ref.earlier
    if not ref.same_sentence:
        claim = await read(ref.number)
        if claim.match_number is None or claim.match_kind is None:
            return _embeds.not_a_repeat_line(ref.number, ref.earlier)  # rejected
        kind = MatchKind(claim.match_kind)
        earlier_number = claim.match_number
    earlier = await read(earlier_number)
    return _embeds.seen_before_line(await seen_before_note(store, ref.number, earlier, kind))


async def refresh_claim_messages(
    interaction: discord.Interaction, claim: ClaimView, *, already_edited: int | None = None
) -> None:
    """Edit every message of the bot that shows the claim (each page of each submission
    answer listing it, or naming it in a seen-before note) to show its new status; nothing
    new is posted."""
    store = claim_bot(interaction).store
    shown = await store.claim_messages(guild_id=claim.guild_id, number=claim.number)
    for ref in shown:
        if ref.message_id != already_edited:
            await refresh_message(interaction, claim, ref.channel_id, ref.message_id)


async def refresh_message(
    interaction: discord.Interaction, claim: ClaimView, channel_id: int, message_id: int
) -> None:
    """Best effort: the message may be gone, or out of the bot's reach now."""
    client = claim_bot(interaction)
    message = client.get_partial_messageable(channel_id).get_partial_message(message_id)
    try:
        async with message_lock(message.id):
            fetched = await message.fetch()
            embeds = await refreshed_embeds_for(interaction, fetched.embeds, claim)
            if embeds is not None:
                # Embeds never ping, but a partial message's edit would not carry the
                # client's default: say "nobody" explicitly.
                await message.edit(embeds=embeds, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as error:
        log.info("could not refresh message %s: %s", message_id, error)


class StatusModal(ClaimModal):
    """Note and evidence for a status change started by a button."""

    note: discord.ui.TextInput[StatusModal] = discord.ui.TextInput(
        label="Note (optional)",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=fmt.MAX_NOTE_CHARS,
        custom_id="note",
    )
    evidence: discord.ui.TextInput[StatusModal] = discord.ui.TextInput(
        label="Evidence link (optional, http or https)",
        required=False,
        max_length=fmt.MAX_URL_CHARS,
        custom_id="evidence",
    )

    def __init__(self, action: str, guild_id: int, number: int) -> None:
        status, verb, _ = ACTIONS[action]
        super().__init__(
            title=f"{verb} claim #{number}",
            custom_id=f"claim-modal:{action}:{guild_id}:{number}",
            timeout=MODAL_TIMEOUT_S,
        )
        self.status = status
        self.guild_id = guild_id
        self.number = number

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        claim = await change_status(
            interaction,
            self.guild_id,
            self.number,
            self.status,
            note=self.note.value,
            evidence_url=self.evidence.value,
        )
        message = interaction.message
        embeds = None
        if message is not None:
            async with message_lock(message.id):
                embeds = await refreshed_embeds_for(interaction, message.embeds, claim)
                if embeds is not None:
                    # The claim's message now shows the new status: that is the whole answer.
                    await interaction.response.edit_message(embeds=embeds)
        if embeds is None:
            await interaction.response.send_message(
                f"Claim #{claim.number} is now {fmt.status_label(claim.status)}.", ephemeral=True
            )
        # The claim may be listed in other messages too (other pages, a repeat submission).
        await refresh_claim_messages(
            interaction, claim, already_edited=message.id if embeds and message else None
        )


class ClaimButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"claim:(?P<action>verify|dispute|dismiss):(?P<guild>[0-9]+):(?P<number>[0-9]+)",
):
    def __init__(self, action: str, guild_id: int, number: int, *, row: int | None = None) -> None:
        _, verb, style = ACTIONS[action]
        super().__init__(
            discord.ui.Button(
                label=f"{verb} #{number}",
                style=style,
                custom_id=f"claim:{action}:{guild_id}:{number}",
            ),
            row=row,
        )
        self.action = action
        self.guild_id = guild_id
        self.number = number

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ClaimButton:
        return cls(match["action"], int(match["guild"]), int(match["number"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs what a dynamic item raises: route it to the one handler.
        try:
            await self._open_modal(interaction)
        except Exception as error:
            await report_interaction_error(interaction, error)

    async def _open_modal(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id != self.guild_id:
            raise NotFound(f"No claim #{self.number} in this server.")
        await require_privilege(interaction, Privilege.MODERATOR)
        # Refuse a deleted or unknown claim now rather than after the modal is filled in.
        await claim_bot(interaction).store.get_claim(guild_id=self.guild_id, number=self.number)
        await interaction.response.send_modal(StatusModal(self.action, self.guild_id, self.number))


def claim_buttons(claims: Sequence[ClaimView]) -> discord.ui.View:
    """A row of Verify / Dispute / Dismiss per claim (at most five claims: five rows)."""
    view = discord.ui.View(timeout=None)
    for row, claim in enumerate(claims[:5]):
        for action in ACTIONS:
            view.add_item(ClaimButton(action, claim.guild_id, claim.number, row=row))
    return view


PageLoader = Callable[[int], Awaitable[tuple[discord.Embed, int]]]
"""Page index in; that page's embed and the number of pages out."""


class Pager(BaseView):
    """Previous / Next for a list: only its invoker may turn pages; it stops after a while
    without presses, and its buttons are then disabled (not left to fail)."""

    def __init__(self, owner: discord.Interaction, load: PageLoader, pages: int) -> None:
        super().__init__(timeout=PAGE_TIMEOUT_S)
        self.owner = owner
        self.load = load
        self.page = 0
        self.pages = pages
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id != self.owner.user.id:
            raise PermissionDenied("Only the member who ran this command can turn its pages.")
        return True

    async def _turn(self, interaction: discord.Interaction, page: int) -> None:
        embed, self.pages = await self.load(page)
        self.page = min(page, max(self.pages - 1, 0))
        self._update_buttons()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        await self._turn(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        try:
            await self.owner.edit_original_response(view=self)
        except discord.HTTPException:
            log.info("could not disable the pager of interaction %s", self.owner.id)
