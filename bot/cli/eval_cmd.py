"""`claimbot eval`: measure the check-worthiness model on a labelled TSV."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Filled in by the model work."""
