"""Recording repeats through the real store (SQLite): link, suggest, confirm, reject; and the
`match` / `match_kind` fields of `claimbot submit --format jsonl`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import InvalidInput
from bot.known.matching import MatchKind
from bot.known.repeats import (
    confirm_repeat,
    describe_repeat,
    lookup_words,
    record_repeat,
    reject_repeat,
    salient_words,
)
from bot.store import ClaimStatus, ClaimStore, ClaimView
from tests.e2e.claims_support import seed_claims

GUILD = 555_000_000_000_000_001
MEETING = "Trump and Putin met for over two hours on Friday in Hamburg."
REWORDED = (
    "Putin and Trump met for more than two hours Friday on the sidelines of the G20 summit in "
    "Hamburg, Germany."
)


async def submitted(store: ClaimStore, *sentences: str) -> list[ClaimView]:
    outcome = await seed_claims(store, GUILD, list(sentences))
    return list(outcome.new_claims)


async def test_a_reworded_claim_is_suggested_and_a_confirmation_shares_the_verdict(
    store: ClaimStore,
) -> None:
    (first,) = await submitted(store, MEETING)
    await store.set_status(
        guild_id=GUILD, number=first.number, status="disputed", moderator_id=1,
        moderator_name="ann", evidence_url="https://evidence.example/meeting",
    )  # fmt: skip
    (other, new) = await submitted(store, "The weather in Hamburg was sunny on Friday.", REWORDED)

    assert await record_repeat(store, other) is None
    repeat = await record_repeat(store, new)
    assert repeat is not None
    assert repeat.kind is MatchKind.LIKELY
    assert repeat.earlier.number == first.number
    assert repeat.earlier.status is ClaimStatus.DISPUTED
    assert (repeat.claim.match_number, repeat.claim.match_kind) == (first.number, "likely")

    confirmed = await confirm_repeat(
        store, guild_id=GUILD, number=new.number, moderator_id=2, moderator_name="bob"
    )
    assert confirmed.status is ClaimStatus.DISPUTED
    assert (confirmed.match_number, confirmed.match_kind) == (first.number, "exact")
    (change,) = await store.claim_history(guild_id=GUILD, number=new.number)
    assert change.moderator_name == "bob"
    assert f"#{first.number}" in (change.note or "")
    with pytest.raises(InvalidInput, match="no suggested repeat"):
        await confirm_repeat(
            store, guild_id=GUILD, number=new.number, moderator_id=2, moderator_name="bob"
        )


async def test_near_certain_repeats_link_to_the_first_claim_of_a_chain(
    store: ClaimStore,
) -> None:
    (first,) = await submitted(store, "The city budget grew by 12 percent in 2025.")
    (second,) = await submitted(store, "In 2025 the city's budget grew 12%.")
    (third,) = await submitted(store, "The city budget grew 12 percent in 2025, officials said.")
    (wrong,) = await submitted(store, "The city budget grew by 21 percent in 2025.")

    repeat = await record_repeat(store, second)
    assert repeat is not None
    assert (repeat.kind, repeat.earlier.number) == (MatchKind.EXACT, first.number)
    later = await record_repeat(store, third)
    assert later is not None
    assert later.earlier.number == first.number  # not #2: the chain's first claim
    assert await record_repeat(store, wrong) is None  # a different number
    assert (await store.get_claim(guild_id=GUILD, number=wrong.number)).match_number is None


async def test_a_claim_with_one_salient_word_is_matched_without_error(store: ClaimStore) -> None:
    # One word to look up makes one count: that path once failed on the store's bare result.
    first, again = await submitted(store, "Unemployment is 5%.", "Unemployment was 5%.")
    assert len(salient_words(again.text)) == 1
    assert await record_repeat(store, first) is None
    repeat = await record_repeat(store, again)
    assert repeat is not None
    assert repeat.earlier.number == first.number


async def test_a_rejected_suggestion_is_forgotten(store: ClaimStore) -> None:
    _, new = await submitted(store, MEETING, REWORDED)
    assert await record_repeat(store, new) is not None
    cleared = await reject_repeat(store, guild_id=GUILD, number=new.number)
    assert (cleared.match_number, cleared.match_kind) == (None, None)
    assert cleared.status is ClaimStatus.PENDING
    with pytest.raises(InvalidInput):
        await reject_repeat(store, guild_id=GUILD, number=new.number)


def test_submit_jsonl_shows_match_and_match_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    first = tmp_path / "first.txt"
    first.write_text(
        "Unemployment fell to 3.9 percent in October, the statistics office said.",
        encoding="utf-8",
    )
    second = tmp_path / "second.txt"
    second.write_text(
        "In October, unemployment fell to 3.9 percent, the statistics office reported.",
        encoding="utf-8",
    )

    def submit(path: Path) -> list[dict[str, object]]:
        assert main(["--database-url", url, "submit", str(path), "--guild", "77",
                     "--format", "jsonl"]) == 0  # fmt: skip
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    (one,) = submit(first)
    assert (one["match"], one["match_kind"]) == (None, None)
    (two,) = submit(second)
    assert (two["match"], two["match_kind"]) == (one["number"], "exact")


async def test_the_answer_line_shows_the_earlier_verdict_and_evidence(store: ClaimStore) -> None:
    (first,) = await submitted(store, "The city budget grew by 12 percent in 2025.")
    await store.set_status(
        guild_id=GUILD, number=first.number, status="disputed", moderator_id=1,
        moderator_name="ann", evidence_url="https://evidence.example/budget",
    )  # fmt: skip
    (second,) = await submitted(store, "In 2025 the city's budget grew 12%.")
    repeat = await record_repeat(store, second)
    assert repeat is not None
    line = await describe_repeat(store, repeat)
    assert line.startswith(f"#{second.number} repeats #{first.number}: already disputed on ")
    assert "by ann: https://evidence.example/budget." in line

    _, likely = await submitted(store, MEETING, REWORDED)
    suggestion = await record_repeat(store, likely)
    assert suggestion is not None
    assert "/claims repeat confirm" in await describe_repeat(store, suggestion)


class Counts:
    """Stands in for the store's word counts (how many claims hold each word)."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    async def word_counts(self, *, guild_id: int, words: list[str], cap: int) -> dict[str, int]:
        return {word: min(cap, self.counts[word]) for word in words}


@pytest.mark.parametrize(
    ("counts", "words", "rare"),
    [
        ({"zorbex": 3, "hamburg": 40, "officials": 10**6, "percent": 10**6},
         ["zorbex", "hamburg"], 2),
        ({"zorbex": 3, "hamburg": 10**5, "officials": 10**6, "percent": 10**6},
         ["zorbex", "hamburg", "officials", "percent"], 1),
        ({"zorbex": 10**4, "hamburg": 10**5, "officials": 10**6, "percent": 10**6},
         ["zorbex", "hamburg"], 0),
    ],
)  # fmt: skip
async def test_lookup_words_prefer_rare_words(
    counts: dict[str, int], words: list[str], rare: int
) -> None:
    chosen = await lookup_words(Counts(counts), 1, list(counts))  # type: ignore[arg-type]
    assert (chosen.words, chosen.rare) == (words, rare)
