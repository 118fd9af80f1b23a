"""`claimbot extract` and `claimbot eval`: extraction without the database."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Filled in by the extraction work."""
