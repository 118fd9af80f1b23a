"""`claimbot submit`, `claims ...`, `export` and `db upgrade`: the store from the shell."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Filled in by the store work."""
