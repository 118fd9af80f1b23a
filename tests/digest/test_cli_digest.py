"""`claimbot digest`: the same digest, offline, as text or JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.cli.digest_cmd import handle_digest, register
from bot.digest.periods import IsoWeek
from bot.settings import Settings
from bot.store import open_store
from tests.store.conftest import submit

GUILD = 77


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"

    async def fill() -> None:
        store = await open_store(url)
        try:
            await submit(store, GUILD, "Prices rose 5% in May.", "Rents fell 2%.")
            await store.set_status(
                guild_id=GUILD,
                number=1,
                status="verified",
                moderator_id=1,
                moderator_name="Ada",
                evidence_url="https://example.org/proof",
            )
            await store.update_guild_settings(guild_id=GUILD, timezone="Europe/Berlin")
        finally:
            await store.close()

    asyncio.run(fill())
    return url


def _this_week() -> str:
    return IsoWeek.containing(datetime.now(UTC).date()).label


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(["digest", *argv])


def test_json_has_the_contracted_fields(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _parse("--guild", str(GUILD), "--week", _this_week(), "--format", "json")
    assert handle_digest(args, Settings(_env_file=None, database_url=database_url)) == 0  # type: ignore[call-arg]
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == _this_week()
    assert data["submitted"] == {"articles": 1, "claims": 2}
    assert data["settled"]["verified"] == 1
    assert data["verified"][0]["evidence_url"] == "https://example.org/proof"
    assert data["verified"][0]["moderator"] == "Ada"
    assert data["disputed"] == []
    assert data["queue"]["pending"] == 1
    assert data["timezone"] == "Europe/Berlin"


def test_text_is_the_default(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse("--guild", str(GUILD), "--week", _this_week())
    assert handle_digest(args, Settings(_env_file=None, database_url=database_url)) == 0  # type: ignore[call-arg]
    out = capsys.readouterr().out
    assert out.startswith(f"Weekly digest · {_this_week()}")
    assert "#1 Prices rose 5% in May. (by Ada) evidence: https://example.org/proof" in out


def test_a_bad_week_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parse("--guild", "1", "--week", "2026-48")
    assert "not an ISO week" in capsys.readouterr().err


def test_through_the_claimbot_command_once_registered(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    subcommands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    if "digest" not in subcommands.choices:
        pytest.skip("bot/cli/__init__.py does not register digest_cmd yet (the lead's file)")
    status = main(
        ["--database-url", database_url, "digest", "--guild", str(GUILD), "--format", "json"]
    )
    assert status == 0
    assert "period" in json.loads(capsys.readouterr().out)
