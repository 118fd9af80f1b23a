"""The fake's interaction endpoints: callbacks, follow-ups, and the original response.

A mixin of FakeDiscord. It enforces the interaction protocol: one callback per interaction
(40060), within the response deadline (10062), of a type valid for the interaction, and no
follow-up before the callback (the interaction's webhook does not exist yet).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tests.fakediscord.core import (
    ALREADY_ACKNOWLEDGED,
    INVALID_FORM_BODY,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiCall,
    Reply,
    unknown,
)
from tests.fakediscord.interactions import (
    ALLOWED_CALLBACKS,
    DEFERRED_MESSAGE,
    DEFERRED_UPDATE,
    EPHEMERAL,
    LOADING,
    MESSAGE_WITH_SOURCE,
    UPDATE_MESSAGE,
    InteractionRecord,
)
from tests.fakediscord.messages import apply_edit

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord


class InteractionEndpoints:
    """Mixed into FakeDiscord: /interactions/... and /webhooks/... (the interaction token)."""

    def _record(self: FakeDiscord, interaction_id: str, token: str) -> InteractionRecord:
        record = self.interactions.get(interaction_id)
        if record is None or record.token != token:
            raise self._refuse(404, UNKNOWN_INTERACTION, "Unknown interaction")
        return record

    def _record_by_token(self: FakeDiscord, app_id: str, token: str) -> InteractionRecord:
        record = next((r for r in self.interactions.values() if r.token == token), None)
        # The interaction's webhook exists only once the bot has answered it.
        if record is None or app_id != self.world.bot.id or not record.acknowledged:
            raise self._refuse(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
        return record

    async def _callback(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        record = self._record(params["interaction"], params["token"])
        body = call.body or {}
        reply = self._accept_callback(record, body, call)
        record.callbacks.append(body)
        record.files.extend(call.files)
        record.changed()
        return reply

    def _accept_callback(
        self: FakeDiscord, record: InteractionRecord, body: dict[str, Any], call: ApiCall
    ) -> Reply:
        if time.monotonic() - record.created > self.response_deadline:
            raise self._refuse(404, UNKNOWN_INTERACTION, "Unknown interaction")
        if record.acknowledged:
            raise self._refuse(
                400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged."
            )
        kind = body["type"]
        updates_a_message = kind in (DEFERRED_UPDATE, UPDATE_MESSAGE)
        if kind not in ALLOWED_CALLBACKS[record.type] or (
            updates_a_message and "message" not in record.payload  # a modal from a command
        ):
            raise self._refuse(
                400, INVALID_FORM_BODY, f"Interaction callback type {kind} is invalid here"
            )
        data = body.get("data") or {}
        channel = self._channel(record.channel_id)
        flags = int(data.get("flags") or 0)
        if kind in (MESSAGE_WITH_SOURCE, UPDATE_MESSAGE):
            self._check_message_body(data)
        attachments = self._store_uploads(call, channel.id)
        if kind == MESSAGE_WITH_SOURCE:
            record.original = self.new_message(
                channel,
                data,
                author=self.world.bot.payload(),
                attachments=attachments,
                visible=not flags & EPHEMERAL,
                webhook_id=self.world.bot.id,
                application_id=self.world.bot.id,
            )
        elif kind == DEFERRED_MESSAGE:
            record.original = self.new_message(
                channel,
                {"flags": LOADING | (flags & EPHEMERAL)},
                author=self.world.bot.payload(),
                visible=not flags & EPHEMERAL,
                webhook_id=self.world.bot.id,
                application_id=self.world.bot.id,
            )
        elif updates_a_message:
            target = record.payload["message"]
            record.original = self.message_index.get(target["id"], target)
            if kind == UPDATE_MESSAGE:
                apply_edit(record.original, data, attachments)
        if call.query.get("with_response") not in ("1", "true", "True"):
            return Reply(204)
        response: dict[str, Any] = {"interaction": {"id": record.id, "type": record.type}}
        if (
            kind in (MESSAGE_WITH_SOURCE, DEFERRED_MESSAGE, UPDATE_MESSAGE)
            and record.original is not None
        ):
            response["interaction"].update(
                response_message_id=record.original["id"],
                response_message_loading=kind == DEFERRED_MESSAGE,
                response_message_ephemeral=bool(flags & EPHEMERAL),
            )
            if kind != DEFERRED_MESSAGE:  # Discord describes no resource for a defer
                response["resource"] = {"type": kind, "message": record.original}
        return Reply(200, response)

    async def _followup(self: FakeDiscord, call: ApiCall, params: dict[str, str]) -> Reply:
        record = self._record_by_token(params["app"], params["token"])
        body = call.body or {}
        self._check_message_body(body)
        channel = self._channel(record.channel_id)
        message = self.new_message(
            channel,
            body,
            author=self.world.bot.payload(),
            attachments=self._store_uploads(call, channel.id),
            visible=not int(body.get("flags") or 0) & EPHEMERAL,
            webhook_id=self.world.bot.id,
            application_id=self.world.bot.id,
        )
        record.followups.append(message)
        record.followup_bodies.append(body)
        record.files.extend(call.files)
        record.changed()
        if call.query.get("wait") not in ("1", "true", "True"):
            return Reply(204)
        return Reply(200, message)

    def _webhook_message(
        self: FakeDiscord, record: InteractionRecord, message_id: str
    ) -> dict[str, Any]:
        if message_id == "@original":
            if record.original is None or record.original_deleted:
                raise unknown("Message", UNKNOWN_MESSAGE)
            return record.original
        for message in record.followups:
            if message["id"] == message_id:
                return message
        raise unknown("Message", UNKNOWN_MESSAGE)

    async def _get_webhook_message(
        self: FakeDiscord, call: ApiCall, params: dict[str, str]
    ) -> Reply:
        record = self._record_by_token(params["app"], params["token"])
        return Reply(200, self._webhook_message(record, params["message"]))

    async def _edit_webhook_message(
        self: FakeDiscord, call: ApiCall, params: dict[str, str]
    ) -> Reply:
        record = self._record_by_token(params["app"], params["token"])
        message = self._webhook_message(record, params["message"])
        body = call.body or {}
        self._check_message_body(body)
        apply_edit(message, body, self._store_uploads(call, record.channel_id))
        if params["message"] == "@original" or message is record.original:
            record.original_edits.append(body)
        record.files.extend(call.files)
        record.changed()
        return Reply(200, message)

    async def _delete_webhook_message(
        self: FakeDiscord, call: ApiCall, params: dict[str, str]
    ) -> Reply:
        record = self._record_by_token(params["app"], params["token"])
        message = self._webhook_message(record, params["message"])
        self._forget_message(message)
        if message is record.original:
            record.original_deleted = True
        record.changed()
        return Reply(204)
