"""Interactions as the fake tracks them, and what the bot answered to one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakediscord.core import UploadedFile
from tests.fakediscord.world import Guild, User, World

# Interaction types.
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
# Callback types.
MESSAGE_WITH_SOURCE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
# Which callback types Discord accepts for which interaction type.
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {MESSAGE_WITH_SOURCE, DEFERRED_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        MESSAGE_WITH_SOURCE,
        DEFERRED_MESSAGE,
        DEFERRED_UPDATE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {MESSAGE_WITH_SOURCE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
EPHEMERAL = 1 << 6
LOADING = 1 << 7
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass
class InteractionRecord:
    """Everything that happened to one interaction, in order."""

    payload: dict[str, Any]
    guild: Guild
    channel_id: str
    user: User
    created: float = field(default_factory=time.monotonic)
    callbacks: list[dict[str, Any]] = field(default_factory=list)  # accepted callback bodies
    refused: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (status, error)
    original: dict[str, Any] | None = None  # the response message, as Discord holds it
    original_edits: list[dict[str, Any]] = field(default_factory=list)  # PATCH @original bodies
    original_deleted: bool = False
    followups: list[dict[str, Any]] = field(default_factory=list)  # follow-up messages
    followup_bodies: list[dict[str, Any]] = field(default_factory=list)
    files: list[UploadedFile] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def type(self) -> int:
        return int(self.payload["type"])

    @property
    def acknowledged(self) -> bool:
        return bool(self.callbacks)

    def changed(self) -> None:
        self._changed.set()

    async def wait_for(self, condition: Callable[[], bool], wait_s: float, what: str) -> None:
        deadline = asyncio.get_running_loop().time() + wait_s
        while not condition():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"the bot did not {what} within {wait_s} s: {self.summary()}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    def __repr__(self) -> str:
        return f"<InteractionRecord {self.summary()}>"

    def summary(self) -> str:
        data = self.payload["data"]
        return (
            f"interaction {self.id} ({data.get('name') or data.get('custom_id')}):"
            f" callbacks={[c['type'] for c in self.callbacks]} refused={self.refused}"
            f" followups={len(self.followups)} edits={len(self.original_edits)}"
        )

    async def answer(self, wait_s: float = 5.0) -> Answer:
        """What the bot answered: its callback, and after a defer the follow-up or edit that
        carries the actual reply (waited for)."""
        await self.wait_for(lambda: self.acknowledged, wait_s, "answer")
        callback = self.callbacks[0]
        data: dict[str, Any] = callback.get("data") or {}
        if callback["type"] in (DEFERRED_MESSAGE, DEFERRED_UPDATE):
            await self.wait_for(
                lambda: bool(self.followup_bodies or self.original_edits),
                wait_s,
                "follow up its deferred answer",
            )
            data = (self.original_edits or self.followup_bodies)[0]
            flags = int((callback.get("data") or {}).get("flags") or 0) | int(
                data.get("flags") or 0
            )
        else:
            flags = int(data.get("flags") or 0)
        return Answer(self, callback["type"], data, ephemeral=bool(flags & EPHEMERAL))


@dataclass
class Answer:
    """The bot's reply to an interaction, as the user would see it."""

    interaction: InteractionRecord
    callback_type: int
    data: dict[str, Any]  # the JSON the bot sent: callback data, or the follow-up/edit body
    ephemeral: bool

    def __repr__(self) -> str:
        return (
            f"<Answer callback={self.callback_type} ephemeral={self.ephemeral} data={self.data!r}>"
        )

    @property
    def content(self) -> str:
        return str(self.data.get("content") or "")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.data.get("embeds") or [])

    @property
    def embed(self) -> dict[str, Any]:
        (only,) = self.embeds
        return only

    @property
    def components(self) -> list[dict[str, Any]]:
        return list(self.data.get("components") or [])

    @property
    def choices(self) -> list[dict[str, Any]]:
        return list(self.data.get("choices") or [])

    @property
    def message(self) -> dict[str, Any]:
        """The message the reply produced (to click its buttons, say)."""
        record = self.interaction
        if record.original_edits or self.callback_type in (MESSAGE_WITH_SOURCE, UPDATE_MESSAGE):
            assert record.original is not None
            return record.original
        if record.followups:
            return record.followups[0]
        raise LookupError(f"this answer produced no message: {record.summary()}")

    @property
    def text(self) -> str:
        """Content and embed text together, for assertions about wording."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            for embed_field in embed.get("fields") or []:
                parts += [embed_field.get("name") or "", embed_field.get("value") or ""]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(part for part in parts if part)


def interaction_payload(
    world: World,
    guild: Guild,
    channel_id: str,
    user: User,
    kind: int,
    data: dict[str, Any],
    interaction_id: str,
    **extra: Any,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload, with permissions computed for the channel."""
    member = guild.members[user.id].payload()
    member["permissions"] = str(guild.permissions(user.id, channel_id))
    channel = guild.channel(channel_id).payload()
    channel["permissions"] = member["permissions"]
    return {
        "id": interaction_id,
        "application_id": world.bot.id,
        "type": kind,
        "token": f"interaction-token-{interaction_id}",
        "version": 1,
        "guild_id": guild.id,
        "guild": {"id": guild.id, "locale": "en-US", "features": []},
        "channel_id": channel_id,
        "channel": channel,
        "member": member,
        "app_permissions": str(guild.permissions(world.bot.id, channel_id)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "authorizing_integration_owners": {"0": guild.id},
        "context": 0,
        "data": data,
        **extra,
    }
