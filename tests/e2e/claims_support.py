"""Shared by the tests/e2e/test_claims_*.py files: articles, fast seeding through the store,
and lookups in the fake's world."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.extraction.types import ClaimCandidate
from bot.store import ClaimStore, SubmitOutcome
from tests.fakediscord import FakeDiscord
from tests.fakediscord.interactions import Answer

ARTICLES = Path(__file__).parent.parent / "extraction" / "articles"
SEED_ARTICLE = Path("/work/shared/examples/seed-article.txt")


def article(name: str = "economy-inflation") -> str:
    return (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")


def guild_id(fake: FakeDiscord, name: str = "Newsroom") -> int:
    return int(fake.world.guild(name).id)


async def seed_claims(
    store: ClaimStore, gid: int, sentences: list[str], *, source: str = "paste"
) -> SubmitOutcome:
    """Claims stored directly (no extraction): one article holding `sentences`."""
    text = " ".join(sentences)
    candidates = []
    offset = 0
    for sentence in sentences:
        candidates.append(
            ClaimCandidate(
                text=sentence,
                sentence=sentence,
                start=offset,
                end=offset + len(sentence),
                score=0.9,
                claimant=None,
                kind="statistic",
            )
        )
        offset += len(sentence) + 1
    return await store.submit_article(
        guild_id=gid,
        source=source,
        title=None,
        text=text,
        submitter_id=None,
        submitter_name="seed",
        candidates=candidates,
    )


def button_ids(message: dict[str, Any]) -> list[str]:
    return [
        button["custom_id"]
        for row in message.get("components") or []
        for button in row.get("components") or []
        if "custom_id" in button
    ]


def button_by_label(message: dict[str, Any], label: str) -> dict[str, Any]:
    for row in message.get("components") or []:
        for button in row.get("components") or []:
            if button.get("label") == label:
                return dict(button)
    raise LookupError(f"no button {label!r} in {message.get('components')}")


async def eventually(check: Callable[[], bool], *, wait_s: float = 5.0) -> None:
    """Wait until `check()` holds (the bot acts asynchronously after its answer)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while not check():
        if loop.time() > deadline:
            raise TimeoutError("the condition did not hold in time")
        await asyncio.sleep(0.01)


async def slash_despite_default_permissions(
    fake: FakeDiscord, command_line: str, *, user: str, **options: Any
) -> Answer:
    """Run a command the fake hides from `user` (default permissions), as Discord would once
    a server admin allowed it for them: the bot's own run-time check must still refuse."""
    the_user, the_guild, the_channel = fake._context(user, None, None)
    _, data = fake._command_data(command_line, the_guild, options)
    record = await fake._send_interaction(the_user, the_guild, the_channel, 2, data)
    return await record.answer()
