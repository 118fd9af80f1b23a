"""The fake's channel endpoints: messages (create, fetch, list, edit, delete) and threads.

A mixin of FakeDiscord. The bot's own permissions in the channel are checked as Discord does
(403 Missing Permissions), so a permission overwrite that silences the bot is observable.
A create with `enforce_nonce` and a nonce the same author used in the same channel in the
last few minutes answers with that earlier message and posts nothing, as Discord does.
Listing messages (the channel history) needs View Channel; without Read Message History
Discord answers an empty list, not an error. A message a thread was started on carries the
thread (`thread`, flag HAS_THREAD), as Discord returns it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tests.fakediscord.core import (
    INVALID_FORM_BODY,
    MISSING_PERMISSIONS,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    ApiCall,
    DiscordError,
    Reply,
    unknown,
)
from tests.fakediscord.messages import apply_edit, attachment_payload, message_payload
from tests.fakediscord.world import PUBLIC_THREAD, Channel, Perm

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

# Discord checks an enforced nonce against "the past few minutes".
NONCE_WINDOW_S = 5 * 60
HAS_THREAD = 1 << 5  # message flag
MISSING_ACCESS = 50001
HISTORY_ANCHORS = ("around", "before", "after")


class ChannelEndpoints:
    """Mixed into FakeDiscord: /channels/... ."""

    def _channel(self: FakeDiscord, channel_id: str) -> Channel:
        try:
            return self.world.guild_of_channel(channel_id).channel(channel_id)
        except LookupError:
            raise unknown("Channel", UNKNOWN_CHANNEL) from None

    def _require(self: FakeDiscord, channel: Channel, needed: int) -> None:
        guild = self.world.guild(channel.guild_id)
        if guild.permissions(self.world.bot.id, channel.id) & needed != needed:
            raise DiscordError(403, MISSING_PERMISSIONS, "Missing Permissions")

    def _store_uploads(self: FakeDiscord, call: ApiCall, channel_id: str) -> list[dict[str, Any]]:
        attachments = []
        for upload in call.files:
            attachment_id = self.world.ids.next()
            self.uploads[attachment_id] = upload
            attachments.append(attachment_payload(attachment_id, channel_id, upload, self.base_url))
        return attachments

    def new_message(
        self: FakeDiscord,
        channel: Channel,
        body: dict[str, Any],
        *,
        author: dict[str, Any],
        attachments: list[dict[str, Any]] | None = None,
        visible: bool = True,
        **extra: Any,
    ) -> dict[str, Any]:
        message = message_payload(
            self.world.ids.next(),
            channel.id,
            channel.guild_id,
            author,
            body,
            attachments or [],
            **extra,
        )
        self.message_index[message["id"]] = message
        if visible:
            self.messages.setdefault(channel.id, []).append(message)
        return message

    def find_message(self: FakeDiscord, channel_id: str, message_id: str) -> dict[str, Any]:
        message = self.message_index.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            raise unknown("Message", UNKNOWN_MESSAGE)
        return message

    async def _get_channel(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        return Reply(200, self._channel(params["channel"]).payload())

    async def _create_message(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        channel = self._channel(params["channel"])
        send = Perm.SEND_MESSAGES_IN_THREADS if channel.is_thread else Perm.SEND_MESSAGES
        self._require(channel, Perm.VIEW_CHANNEL | send | (Perm.ATTACH_FILES if call.files else 0))
        body = call.body or {}
        self._check_message_body(body)
        author = self.world.bot.payload()
        if (earlier := self._message_of_nonce(channel, author, body)) is not None:
            return Reply(200, earlier)
        extra: dict[str, Any] = {}
        if body.get("nonce") is not None:
            extra["nonce"] = str(body["nonce"])  # echoed, as Discord does
        if reference := body.get("message_reference"):
            extra["message_reference"] = {
                "type": 0,
                "channel_id": channel.id,
                "guild_id": channel.guild_id,
                "message_id": str(reference["message_id"]),
            }
        message = self.new_message(
            channel,
            body,
            author=author,
            attachments=self._store_uploads(call, channel.id),
            **extra,
        )
        if body.get("enforce_nonce") and "nonce" in extra:
            key = (channel.id, author["id"], extra["nonce"])
            self.nonces[key] = (message["id"], time.monotonic())
        # Real Discord echoes the bot's own messages on the gateway.
        await self.gateway.dispatch_message("MESSAGE_CREATE", message, guild_id=channel.guild_id)
        return Reply(200, message)

    def _message_of_nonce(
        self: FakeDiscord, channel: Channel, author: dict[str, Any], body: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The message created with the body's enforced nonce lately, if any; a repeat of a
        message deleted since is refused with 404, as discord.py documents."""
        if not body.get("enforce_nonce") or body.get("nonce") is None:
            return None
        earlier = self.nonces.get((channel.id, author["id"], str(body["nonce"])))
        if earlier is None or time.monotonic() - earlier[1] > NONCE_WINDOW_S:
            return None
        message = self.message_index.get(earlier[0])
        if message is None:
            raise unknown("Message", UNKNOWN_MESSAGE)
        return message

    async def _get_message(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        channel = self._channel(params["channel"])
        self._require(channel, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        return Reply(200, self.find_message(channel.id, params["message"]))

    async def _list_messages(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        """The channel history as Discord pages it: newest first; `after` gives the oldest
        `limit` messages after that id, `before` the newest before it (default 50, 1..100)."""
        channel = self._channel(params["channel"])
        guild = self.world.guild(channel.guild_id)
        if not guild.permissions(self.world.bot.id, channel.id) & Perm.VIEW_CHANNEL:
            raise DiscordError(403, MISSING_ACCESS, "Missing Access")
        limit, anchors = self._history_query(call.query)
        if not guild.permissions(self.world.bot.id, channel.id) & Perm.READ_MESSAGE_HISTORY:
            return Reply(200, [])
        ordered = sorted(self.messages.get(channel.id, []), key=lambda m: int(m["id"]))
        if "after" in anchors:
            page = [m for m in ordered if int(m["id"]) > anchors["after"]][:limit]
        else:
            before = anchors.get("before")
            page = [m for m in ordered if before is None or int(m["id"]) < before][-limit:]
        intents = self.gateway.intents_for(channel.guild_id)
        return Reply(200, [self.gateway.as_seen_by_bot(m, intents) for m in reversed(page)])

    def _history_query(self: FakeDiscord, query: dict[str, str]) -> tuple[int, dict[str, int]]:
        anchors = {key: int(query[key]) for key in HISTORY_ANCHORS if key in query}
        if "around" in anchors:
            self.violations.append("the fake does not implement message history `around`")
            raise DiscordError(400, INVALID_FORM_BODY, "around is not faked")
        if len(anchors) > 1:
            raise self._refuse(400, INVALID_FORM_BODY, "before, after and around are exclusive")
        limit = int(query.get("limit", 50))
        if not 1 <= limit <= 100:
            raise self._refuse(400, INVALID_FORM_BODY, "limit must be between 1 and 100")
        return limit, anchors

    async def _edit_message(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        channel = self._channel(params["channel"])
        message = self.find_message(channel.id, params["message"])
        if message["author"]["id"] != self.world.bot.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        self._check_message_body(call.body)
        apply_edit(message, call.body or {}, self._store_uploads(call, channel.id))
        await self.gateway.dispatch_message("MESSAGE_UPDATE", message, guild_id=channel.guild_id)
        return Reply(200, message)

    async def _delete_message(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        channel = self._channel(params["channel"])
        message = self.find_message(channel.id, params["message"])
        if message["author"]["id"] != self.world.bot.id:
            self._require(channel, Perm.MANAGE_MESSAGES)
        self._forget_message(message)
        await self.gateway.dispatch(
            "MESSAGE_DELETE",
            {"id": message["id"], "channel_id": channel.id, "guild_id": channel.guild_id},
            guild_id=channel.guild_id,
        )
        return Reply(204)

    def _forget_message(self: FakeDiscord, message: dict[str, Any]) -> None:
        self.message_index.pop(message["id"], None)
        visible = self.messages.get(message["channel_id"], [])
        if message in visible:
            visible.remove(message)

    async def _thread_from_message(
        self: FakeDiscord, call: ApiCall, params: dict[str, str]
    ) -> Reply:
        channel = self._channel(params["channel"])
        message = self.find_message(channel.id, params["message"])
        # A thread started from a message takes the message's id.
        reply = await self._open_thread(channel, call.body or {}, thread_id=message["id"])
        message["thread"] = reply.body
        message["flags"] = int(message.get("flags") or 0) | HAS_THREAD
        return reply

    async def _thread_in_channel(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        channel = self._channel(params["channel"])
        return await self._open_thread(channel, call.body or {}, thread_id=self.world.ids.next())

    async def _open_thread(
        self: FakeDiscord, parent: Channel, body: dict[str, Any], *, thread_id: str
    ) -> Reply:
        if parent.is_thread:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        self._require(parent, Perm.VIEW_CHANNEL | Perm.CREATE_PUBLIC_THREADS)
        guild = self.world.guild(parent.guild_id)
        if any(c.id == thread_id for c in guild.channels.values()):
            raise DiscordError(400, 160004, "A thread has already been created for this message")
        thread = Channel(
            thread_id,
            guild.id,
            body["name"],
            type=PUBLIC_THREAD,
            parent_id=parent.id,
            owner_id=self.world.bot.id,
        )
        guild.channels[f"thread:{thread_id}"] = thread
        payload = {**thread.payload(), "newly_created": True}
        await self.gateway.dispatch("THREAD_CREATE", payload, guild_id=guild.id)
        return Reply(201, thread.payload())
