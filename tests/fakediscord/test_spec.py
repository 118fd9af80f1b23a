"""The OpenAPI checker: found, loaded once, and strict where Discord is."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakediscord import spec
from tests.fakediscord.spec import load_spec


def test_the_spec_is_found_beside_the_checkout_and_parsed_once() -> None:
    assert spec.spec_path().is_file()
    assert load_spec() is load_spec()


def test_the_environment_variable_overrides_the_location(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(spec.SPEC_PATH_ENV, str(tmp_path / "openapi.json"))
    assert spec.spec_path() == tmp_path / "openapi.json"


def test_literal_route_segments_win_over_placeholders() -> None:
    operation = load_spec().operation("PATCH", "/api/v10/webhooks/1/token/messages/@original?x=1")
    assert operation is not None
    assert operation.template.endswith("/messages/@original")


def test_a_body_discord_would_reject_is_reported() -> None:
    problems = load_spec().request_errors(
        "POST", "/channels/1/messages", {"content": "hi", "embeds": [{"title": 5}]}
    )
    (problem,) = problems
    assert problem.startswith("POST /channels/{channel_id}/messages request: embeds/0/title: 5 ")
    assert load_spec().request_errors("POST", "/channels/1/messages", {"content": "hi"}) == []


def test_unknown_routes_and_incomplete_responses_are_reported() -> None:
    checker = load_spec()
    assert checker.request_errors("POST", "/no/such/route", {}) == [
        "POST /no/such/route: no such route in Discord's API"
    ]
    assert any(
        "'username' is a required property" in p
        for p in checker.response_errors("GET", "/users/@me", 200, {"id": "1"})
    )
    assert checker.response_errors("DELETE", "/channels/1/messages/2", 204, None) == []
    error = {"code": 10062, "message": "Unknown interaction"}
    assert checker.response_errors("POST", "/interactions/1/t/callback", 404, error) == []
