"""Check JSON bodies against Discord's official OpenAPI description of its HTTP API.

The fake validates every body the bot sends and every body it answers with, so neither the bot
nor the fake can drift from what real Discord accepts and returns. The spec is 1.2 MB: it is
parsed once per process and each (route, direction, status) validator is built once, lazily.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH_ENV = "CLAIMBOT_DISCORD_SPEC"
REPO_ROOT = Path(__file__).resolve().parents[2]
API_PREFIX = "/api/v10"
_SPEC_URI = "urn:discord-openapi"
_PLACEHOLDER = re.compile(r"\{[^}]+\}")


def spec_path() -> Path:
    """Where the spec lives: $CLAIMBOT_DISCORD_SPEC, else ../shared beside the checkout (CI
    copies shared/ next to whatever folder it cloned into)."""
    override = os.environ.get(SPEC_PATH_ENV)
    if override:
        return Path(override)
    return REPO_ROOT.parent / "shared" / "discord-api-spec" / "openapi.json"


@dataclass(frozen=True, slots=True)
class Operation:
    template: str  # e.g. "/channels/{channel_id}/messages"
    method: str  # lower case, as in the spec
    pointer: str  # JSON pointer of the operation object inside the spec


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


class OpenApiSpec:
    """Route lookup and cached validators over one parsed OpenAPI document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._registry: Registry[Any] = Registry().with_resource(
            _SPEC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        routes: list[tuple[re.Pattern[str], str]] = []
        for template in document["paths"]:
            literal_parts = (re.escape(part) for part in _PLACEHOLDER.split(template))
            routes.append((re.compile("^" + "[^/]+".join(literal_parts) + "$"), template))
        # A literal segment beats a placeholder: ".../messages/@original" must not be taken
        # for ".../messages/{message_id}".
        routes.sort(key=lambda route: route[1].count("{"))
        self._routes = routes
        self._validators: dict[str, Draft202012Validator] = {}

    def operation(self, method: str, path: str) -> Operation | None:
        return self._operation(method.lower(), path.split("?", 1)[0].removeprefix(API_PREFIX))

    @functools.lru_cache(maxsize=1024)  # noqa: B019 - one spec object lives for the whole session
    def _operation(self, method: str, path: str) -> Operation | None:
        for pattern, template in self._routes:
            if pattern.match(path) and method in self.document["paths"][template]:
                pointer = f"#/paths/{_escape(template)}/{method}"
                return Operation(template, method, pointer)
        return None

    def _resolve(self, pointer: str) -> tuple[str, Any]:
        """The node at `pointer` and its own pointer, following `$ref`s."""
        node: Any = self.document
        for part in pointer.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        if isinstance(node, dict) and "$ref" in node:
            return self._resolve(node["$ref"])
        return pointer, node

    def _node(self, pointer: str) -> Any:
        return self._resolve(pointer)[1]

    def _validator(self, pointer: str) -> Draft202012Validator:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = Draft202012Validator(
                {"$ref": f"{_SPEC_URI}{pointer}"}, registry=self._registry
            )
            self._validators[pointer] = validator
        return validator

    def request_errors(self, method: str, path: str, body: Any) -> list[str]:
        """Problems of a JSON request body (for multipart, its payload_json)."""
        op = self.operation(method, path)
        if op is None:
            return [f"{method} {path}: no such route in Discord's API"]
        operation = self._node(op.pointer)
        if body is None:
            return []
        if "requestBody" not in operation:
            return [f"{method} {op.template}: Discord takes no body here"]
        content = self._node(f"{op.pointer}/requestBody")["content"]
        media = "application/json" if "application/json" in content else next(iter(content))
        pointer = f"{op.pointer}/requestBody/content/{_escape(media)}/schema"
        body = _with_upload_indexes_as_strings(body)
        return [f"{method} {op.template} request: {e}" for e in self._errors(pointer, body)]

    def response_errors(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Problems of a response the fake is about to return."""
        op = self.operation(method, path)
        if op is None:
            return [f"{method} {path}: no such route in Discord's API"]
        responses = self._node(f"{op.pointer}/responses")
        key = next(
            (k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None
        )
        if key is None:
            return [f"{method} {op.template}: Discord never answers {status}"]
        response_pointer, response = self._resolve(f"{op.pointer}/responses/{key}")
        if not response.get("content"):
            return [] if body is None else [f"{method} {op.template}: {status} has no body"]
        if body is None:
            return [f"{method} {op.template}: {status} needs a body"]
        pointer = f"{response_pointer}/content/application~1json/schema"
        return [
            f"{method} {op.template} {status} response: {e}" for e in self._errors(pointer, body)
        ]

    def schema_errors(self, schema_name: str, body: Any) -> list[str]:
        """Problems of `body` as an instance of components/schemas/`schema_name` (for what the
        fake sends over the gateway, which the spec describes only through its REST shapes)."""
        pointer = f"#/components/schemas/{_escape(schema_name)}"
        return [f"{schema_name}: {e}" for e in self._errors(pointer, body)]

    def _errors(self, pointer: str, body: Any) -> Iterator[str]:
        for error in self._validator(pointer).iter_errors(body):
            error = _deepest_cause(error)
            where = "/".join(str(part) for part in error.absolute_path) or "(body)"
            yield f"{where}: {error.message[:200]}"


def _deepest_cause(error: ValidationError) -> ValidationError:
    """For a union ("not valid under any of the given schemas"), the failure inside the branch
    that matched the discriminating `type` and went deepest: that is the real mistake."""
    causes = [
        cause
        for cause in error.context or []
        if not (cause.validator == "enum" and list(cause.relative_path)[-1:] == ["type"])
    ]
    if not causes:
        return error
    return max((_deepest_cause(cause) for cause in causes), key=lambda e: len(e.absolute_path))


def _with_upload_indexes_as_strings(body: Any) -> Any:
    """A known gap: in a request, `attachments[].id` is the index of an uploaded file, sent (and
    accepted by Discord) as a number; the spec types every id as a snowflake string."""
    if isinstance(body, dict):
        out = {key: _with_upload_indexes_as_strings(value) for key, value in body.items()}
        if isinstance(out.get("attachments"), list):
            out["attachments"] = [
                {**a, "id": str(a["id"])}
                if isinstance(a, dict) and isinstance(a.get("id"), int)
                else a
                for a in out["attachments"]
            ]
        return out
    if isinstance(body, list):
        return [_with_upload_indexes_as_strings(item) for item in body]
    return body


@functools.cache
def load_spec() -> OpenApiSpec:
    """The parsed spec, once per process."""
    path = spec_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"Discord's OpenAPI spec is not at {path}; set {SPEC_PATH_ENV} to its openapi.json"
        )
    return OpenApiSpec(json.loads(path.read_text(encoding="utf-8")))
