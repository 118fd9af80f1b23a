"""The short-lived memory of word counts that repeat matching asks for every new claim."""

from __future__ import annotations

from bot.store import ClaimStore
from bot.store._word_counts import WordCountCache
from tests.store.test_store_known_claims import GUILD, submit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_counts_are_remembered_per_guild_word_and_cap_until_they_expire() -> None:
    clock = Clock()
    cache = WordCountCache(ttl_seconds=60, clock=clock)
    cache.remember(1, {"percent": 7, "spain": 0}, cap=10)
    assert cache.known(1, ["percent", "spain", "wages"], cap=10) == {"percent": 7, "spain": 0}
    assert cache.known(2, ["percent"], cap=10) == {}  # another guild
    assert cache.known(1, ["percent"], cap=5) == {}  # another cap
    clock.now = 59.9
    assert cache.known(1, ["percent"], cap=10) == {"percent": 7}
    clock.now = 60.0
    assert cache.known(1, ["percent", "spain"], cap=10) == {}


def test_the_least_recently_used_count_goes_first_when_full() -> None:
    cache = WordCountCache(max_entries=2, clock=Clock())
    cache.remember(1, {"a": 1, "b": 2}, cap=10)
    assert cache.known(1, ["a"], cap=10) == {"a": 1}  # "a" is now the most recent
    cache.remember(1, {"c": 3}, cap=10)
    assert cache.known(1, ["a", "b", "c"], cap=10) == {"a": 1, "c": 3}


async def test_the_store_reads_only_the_counts_it_does_not_remember(store: ClaimStore) -> None:
    await submit(store, GUILD, "Crime rose 8 percent.", "Prices rose 3 percent.")
    assert await store.word_counts(guild_id=GUILD, words=["percent", "crime"], cap=5) == {
        "percent": 2,
        "crime": 1,
    }
    await submit(store, GUILD, "Crime fell 2 percent in Spain.")
    # Remembered counts stand for a while (a heuristic); a new word is read fresh.
    assert await store.word_counts(guild_id=GUILD, words=["spain", "percent", "crime"], cap=5) == {
        "spain": 1,
        "percent": 2,
        "crime": 1,
    }
