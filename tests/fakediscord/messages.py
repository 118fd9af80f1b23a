"""Message objects as Discord returns them, built from what the bot (or a user) sent."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from tests.fakediscord.core import UploadedFile
from tests.fakediscord.world import iso_timestamp

CONTENT_FIELDS = ("content", "embeds", "components", "attachments", "flags")
DEFAULT = 0  # message type
EPHEMERAL = 1 << 6


def response_embeds(embeds: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "rich", **embed} for embed in embeds]


def response_components(components: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Discord numbers every component of a message (`id`) when it stores it."""
    numbers = itertools.count(1)

    def number(component: dict[str, Any]) -> dict[str, Any]:
        out = {"id": next(numbers), **component}
        if "components" in out:
            out["components"] = [number(child) for child in out["components"]]
        if "component" in out:
            out["component"] = number(out["component"])
        if out.get("type") == 3:  # string select: Discord fills the defaults
            out.setdefault("min_values", 1)
            out.setdefault("max_values", 1)
        return out

    return [number(component) for component in components]


def attachment_payload(
    attachment_id: str, channel_id: str, upload: UploadedFile, base_url: str
) -> dict[str, Any]:
    url = f"{base_url}/attachments/{channel_id}/{attachment_id}/{upload.filename}"
    return {
        "id": attachment_id,
        "filename": upload.filename,
        "size": len(upload.data),
        "url": url,
        "proxy_url": url,
        "content_type": upload.content_type,
    }


def message_payload(
    message_id: str,
    channel_id: str,
    guild_id: str,
    author: dict[str, Any],
    body: dict[str, Any],
    attachments: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": DEFAULT,
        "channel_id": channel_id,
        "guild_id": guild_id,
        "author": author,
        "content": body.get("content") or "",
        "timestamp": iso_timestamp(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts")),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments,
        "embeds": response_embeds(body.get("embeds") or []),
        "components": response_components(body.get("components") or []),
        "pinned": False,
        "flags": int(body.get("flags") or 0),
        **extra,
    }


def apply_edit(
    message: dict[str, Any], body: dict[str, Any], new_attachments: list[dict[str, Any]]
) -> None:
    """Apply a PATCH body in place; `attachments` lists the ones to keep (by id) plus new files."""
    if "content" in body:
        message["content"] = body["content"] or ""
    if "embeds" in body:
        message["embeds"] = response_embeds(body["embeds"] or [])
    if "components" in body:
        message["components"] = response_components(body["components"] or [])
    if "attachments" in body:
        keep = {str(a.get("id")) for a in body["attachments"] or []}
        message["attachments"] = [a for a in message["attachments"] if a["id"] in keep]
    message["attachments"] = message["attachments"] + new_attachments
    message["flags"] = int(message.get("flags") or 0) & EPHEMERAL  # an edit ends "loading"
    message["edited_timestamp"] = iso_timestamp()
