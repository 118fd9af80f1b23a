"""`claimbot --help`, `claimbot X --help` and refused arguments import no heavy library.

Building the parser must stay argparse-level: scripts call `claimbot extract` or `claimbot
claims` in a loop, and the store, discord.py, the model and the fetchers cost about a second
to import. Each case runs in a fresh interpreter, since this one has imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Top-level packages that only running a command may import.
HEAVY = {
    "sqlalchemy", "sqlmodel", "alembic", "aiosqlite", "discord", "aiohttp", "onnxruntime",
    "tokenizers", "numpy", "httpx", "trafilatura", "pydantic", "pydantic_settings",
}  # fmt: skip

# Runs bot.cli.main(ARGV) and prints the modules it left in sys.modules, with its exit status.
LAUNCHER = """
import json, sys
from bot.cli import main
try:
    status = main(json.loads(sys.argv[1]))
except SystemExit as exc:
    status = exc.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def _heavy_in(modules: list[str]) -> list[str]:
    return sorted({name.split(".")[0] for name in modules} & HEAVY)


def _imported_by_python_m_bot(*argv: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run `python -X importtime -m bot ARGV`; the modules are read from the importtime lines
    ("import time: self | cumulative | name") it writes on stderr."""
    result = _python("-X", "importtime", "-m", "bot", *argv)
    modules = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    return result, modules


@pytest.mark.parametrize("argv", [("--help",), ("extract", "--help")])
def test_python_m_bot_help_imports_no_heavy_library(argv: tuple[str, ...]) -> None:
    result, modules = _imported_by_python_m_bot(*argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: claimbot")
    assert "bot.cli" in modules  # the importtime lines were read
    assert _heavy_in(modules) == []


@pytest.mark.parametrize(
    ("argv", "expected_status"),
    [
        (["--help"], 0),
        (["extract", "--help"], 0),
        (["claims", "list", "--help"], 0),
        (["digest", "--help"], 0),
        (["claims", "list", "--guild", "not-an-id"], 2),  # refused by argparse
        (["no-such-command"], 2),
    ],
)
def test_parser_imports_no_heavy_library(argv: list[str], expected_status: int) -> None:
    result = _python("-c", LAUNCHER, json.dumps(argv))
    report = json.loads(result.stderr.splitlines()[-1])
    assert report["status"] == expected_status
    assert "bot.cli.claims_cmd" in report["modules"]  # every command module was loaded
    assert _heavy_in(report["modules"]) == []
