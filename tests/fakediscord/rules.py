"""Discord's rules that its OpenAPI description does not encode (see the spec's README).

Each check returns problems as {"field.path": "message"}; the server turns them into Discord's
own "Invalid Form Body" error (code 50035) so the bot sees what real Discord would answer.
"""

from __future__ import annotations

import re
from typing import Any

BOT_CONTENT_MAX = 2000  # the spec says 4000: that is the limit of Nitro users, not bots
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_FIELDS_MAX = 25
EMBED_TEXT_MAX = {"title": 256, "description": 4096}
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_TEXT_MAX = 2048
AUTHOR_NAME_MAX = 256

SLASH_NAME = re.compile(r"^[-_\w]{1,32}$")  # Discord's CHAT_INPUT name rule (no spaces)
SLASH_TYPE = 1
SUBCOMMAND_TYPES = (1, 2)  # option types SUB_COMMAND, SUB_COMMAND_GROUP

Problems = dict[str, str]


def message_problems(body: dict[str, Any] | None) -> Problems:
    """Limits on a message the bot sends or edits (content and embeds)."""
    if not body:
        return {}
    problems: Problems = {}
    content = body.get("content")
    if isinstance(content, str) and len(content) > BOT_CONTENT_MAX:
        problems["content"] = f"Must be {BOT_CONTENT_MAX} or fewer in length."
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        problems["embeds"] = f"Must be {EMBEDS_MAX} or fewer in length."
    total = 0
    for index, embed in enumerate(embeds):
        found, size = _embed_problems(embed)
        problems.update({f"embeds.{index}.{path}": text for path, text in found.items()})
        total += size
    if total > EMBED_TOTAL_MAX:
        problems["embeds"] = f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}"
    return problems


def _embed_problems(embed: dict[str, Any]) -> tuple[Problems, int]:
    problems: Problems = {}
    size = 0

    def limit(path: str, text: object, maximum: int) -> None:
        nonlocal size
        if isinstance(text, str):
            size += len(text)
            if len(text) > maximum:
                problems[path] = f"Must be {maximum} or fewer in length."

    for key, maximum in EMBED_TEXT_MAX.items():
        limit(key, embed.get(key), maximum)
    limit("footer.text", (embed.get("footer") or {}).get("text"), FOOTER_TEXT_MAX)
    limit("author.name", (embed.get("author") or {}).get("name"), AUTHOR_NAME_MAX)
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS_MAX:
        problems["fields"] = f"Must be {EMBED_FIELDS_MAX} or fewer in length."
    for index, field in enumerate(fields):
        limit(f"fields.{index}.name", field.get("name"), FIELD_NAME_MAX)
        limit(f"fields.{index}.value", field.get("value"), FIELD_VALUE_MAX)
    return problems, size


def command_problems(commands: list[dict[str, Any]]) -> Problems:
    """Names Discord refuses in a command sync: slash commands and their options are lower case
    without spaces (context menus may have both), and names are unique per type."""
    problems: Problems = {}
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        kind = command.get("type", SLASH_TYPE)
        name = command.get("name", "")
        if (kind, name) in seen:
            problems[f"{index}.name"] = "Application command names must be unique"
        seen.add((kind, name))
        if kind == SLASH_TYPE:
            problems.update(_slash_name_problems(f"{index}", command))
    return problems


def _slash_name_problems(path: str, item: dict[str, Any]) -> Problems:
    problems: Problems = {}
    name = item.get("name", "")
    if not SLASH_NAME.match(name) or name != name.lower():
        problems[f"{path}.name"] = f"Invalid slash command name {name!r}"
    for index, option in enumerate(item.get("options") or []):
        problems.update(_slash_name_problems(f"{path}.options.{index}", option))
    return problems


def invalid_form_body(problems: Problems) -> dict[str, Any]:
    """Discord's 50035 error with its nested "errors" object. Real Discord puts string codes
    ("BASE_TYPE_MAX_LENGTH") in `_errors`; the spec types them as integers, and the spec wins
    here (discord.py reads only the messages)."""
    errors: dict[str, Any] = {}
    for path, message in problems.items():
        node = errors
        for part in path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": 50035, "message": message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}
