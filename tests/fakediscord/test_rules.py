"""Discord's limits that the OpenAPI description leaves out."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakediscord import rules
from tests.fakediscord.spec import load_spec


def test_bot_content_is_limited_to_2000_characters() -> None:
    assert rules.message_problems({"content": "x" * 2000}) == {}
    assert rules.message_problems({"content": "x" * 2001}) == {
        "content": "Must be 2000 or fewer in length."
    }


@pytest.mark.parametrize(
    ("embed", "path"),
    [
        ({"title": "t" * 257}, "embeds.0.title"),
        ({"description": "d" * 4097}, "embeds.0.description"),
        ({"fields": [{"name": "n", "value": "v"}] * 26}, "embeds.0.fields"),
        ({"fields": [{"name": "n" * 257, "value": "v"}]}, "embeds.0.fields.0.name"),
        ({"fields": [{"name": "n", "value": "v" * 1025}]}, "embeds.0.fields.0.value"),
        ({"footer": {"text": "f" * 2049}}, "embeds.0.footer.text"),
        ({"author": {"name": "a" * 257}}, "embeds.0.author.name"),
    ],
)
def test_each_embed_limit(embed: dict[str, Any], path: str) -> None:
    assert path in rules.message_problems({"embeds": [embed]})


def test_embeds_at_their_limits_pass() -> None:
    embed = {
        "title": "t" * 256,
        "description": "d" * 4096,
        "fields": [{"name": "n", "value": "v"}] * 25,
    }
    assert rules.message_problems({"embeds": [embed]}) == {}


def test_the_total_of_all_embeds_and_their_count_are_limited() -> None:
    assert "embeds" in rules.message_problems({"embeds": [{"description": "d" * 3001}] * 2})
    assert "embeds" in rules.message_problems({"embeds": [{"title": "t"}] * 11})


def test_slash_command_names_are_lower_case_without_spaces() -> None:
    assert rules.command_problems([{"name": "claimbot", "type": 1}]) == {}
    assert "0.name" in rules.command_problems([{"name": "claim bot", "type": 1}])
    assert "0.name" in rules.command_problems([{"name": "Claimbot", "type": 1}])
    nested = {"name": "claimbot", "type": 1, "options": [{"name": "bad name", "type": 1}]}
    assert "0.options.0.name" in rules.command_problems([nested])
    # Context menus may have both.
    assert rules.command_problems([{"name": "Check Claims", "type": 3}]) == {}
    assert "1.name" in rules.command_problems([{"name": "a", "type": 1}, {"name": "a", "type": 1}])


def test_the_error_has_discords_shape() -> None:
    error = rules.invalid_form_body({"embeds.0.title": "Must be 256 or fewer in length."})
    assert error["errors"]["embeds"]["0"]["title"]["_errors"][0]["message"].startswith(
        "Must be 256"
    )
    assert load_spec().response_errors("POST", "/channels/1/messages", 400, error) == []
