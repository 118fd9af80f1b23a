"""Writing a guild's ClaimReview JSON-LD: a JSON array of ClaimReview objects, streamed so a
large guild never sits in memory (the command line) or is capped (a Discord attachment)."""

from __future__ import annotations

import json
from typing import TextIO

from bot.known.claimreview import ReviewPublisher, claim_review, publisher_for
from bot.store import ClaimStore


async def guild_publisher(store: ClaimStore, guild_id: int, default_name: str) -> ReviewPublisher:
    settings = await store.get_guild_settings(guild_id=guild_id)
    return publisher_for(settings, default_name)


def default_publisher_name(guild_id: int) -> str:
    """The author when a guild never configured one and its name is unknown (command line)."""
    return f"ClaimBot moderators of Discord server {guild_id}"


async def write_claim_reviews(
    store: ClaimStore,
    guild_id: int,
    out: TextIO,
    publisher: ReviewPublisher,
    *,
    max_chars: int | None = None,
) -> int:
    """Write the array to `out`; returns how many reviews. With `max_chars`, stops (returns
    -1) as soon as the output would exceed it, leaving `out` unfinished."""
    written = count = 0
    out.write("[")
    async for settled in store.iter_settled_claims(guild_id=guild_id):
        chunk = (
            ("," if count else "")
            + "\n  "
            + json.dumps(claim_review(settled, publisher), ensure_ascii=False)
        )
        written += len(chunk)
        if max_chars is not None and written > max_chars:
            return -1
        out.write(chunk)
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
