"""Small value types shared by the fake's modules: a recorded API call, a reply, an error."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request (its bytes are kept for assertions)."""

    field: str  # "files[0]" ...
    filename: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class ApiCall:
    """One REST request the bot made, and what the fake answered."""

    method: str
    path: str  # without the /api/v10 prefix and query string
    query: dict[str, str]
    body: Any  # parsed JSON (for multipart: payload_json), or None
    files: list[UploadedFile] = field(default_factory=list)
    status: int = 0
    response: Any = None


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any = None  # JSON-serialisable; None for 204


class DiscordError(Exception):
    """Raised by a handler to answer with one of Discord's JSON errors."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.body: dict[str, Any] = {"code": code, "message": message}
        if errors is not None:
            self.body["errors"] = errors


def unknown(what: str, code: int) -> DiscordError:
    return DiscordError(404, code, f"Unknown {what}")


# Discord's JSON error codes the fake uses.
UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008
UNKNOWN_WEBHOOK = 10015
UNKNOWN_INTERACTION = 10062
UNAUTHORIZED = 0
MISSING_PERMISSIONS = 50013
ALREADY_ACKNOWLEDGED = 40060
INVALID_FORM_BODY = 50035


def json_response(reply: Reply, headers: dict[str, str]) -> web.Response:
    # Exactly "application/json": discord.http.json_or_text compares the whole header, so
    # aiohttp's json_response ("...; charset=utf-8") would hand the bot a str.
    if reply.body is None:
        return web.Response(status=reply.status, headers=headers)
    return web.Response(
        status=reply.status,
        body=json.dumps(reply.body).encode(),
        headers={**headers, "Content-Type": "application/json"},
    )
