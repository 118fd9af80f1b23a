"""Argument types shared by the command modules, so every command refuses the same input
with the same message."""

from __future__ import annotations

import argparse

MAX_DISCORD_ID = 2**63 - 1  # Discord ids are 64-bit snowflakes, stored as signed BIGINT


def discord_id(value: str) -> int:
    """A guild (or other Discord) id: a positive number that fits a snowflake."""
    if not value.isdigit() or not 0 < int(value) <= MAX_DISCORD_ID:
        raise argparse.ArgumentTypeError(f"not a Discord id: {value!r}")
    return int(value)


def probability(value: str) -> float:
    """A score threshold: a number from 0 to 1."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return number
