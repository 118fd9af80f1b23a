"""Structural checks of the repository: the contracts between README, CI and code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->\s*```(?:sh|bash|console)?\n(.+?)\n```", readme)
    assert match, "README.md must give the test command right after <!-- test-command -->"
    return match.group(1).strip()


def test_ci_runs_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = readme_test_command()
    assert command in ci.splitlines(), f"{command!r} is not a line of .ci/run"


def test_env_example_lists_every_setting() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}
    assert documented == {name.upper() for name in Settings.model_fields}
    for index, line in enumerate(lines):  # one comment above each setting
        if re.match(r"^[A-Z_]+=", line):
            assert lines[index - 1].startswith("#"), f"{line} has no comment"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_bot_never_imports_cogs() -> None:
    for path in (ROOT / "bot").rglob("*.py"):
        assert not any(n == "cogs" or n.startswith("cogs.") for n in _imports(path)), path


def test_extraction_is_pure() -> None:
    forbidden = ("discord", "sqlmodel", "sqlalchemy", "httpx", "aiohttp", "bot.store", "asyncpg")
    for path in (ROOT / "bot" / "extraction").rglob("*.py"):
        if path.name == "train.py":  # training is offline tooling, never imported at run time
            continue
        for name in _imports(path):
            assert not name.startswith(forbidden), f"{path} imports {name}"


def test_ruff_is_clean() -> None:
    pytest.importorskip("ruff")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
