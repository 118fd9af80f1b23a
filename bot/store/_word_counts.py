"""A short-lived memory of how many claims hold a word, per guild.

Repeat matching (bot.known.repeats) asks, for every new claim, how common each of its dozen
salient words is, only to pick the rarest to look candidates up by. News reuses its words
("percent", "minister", a country, a name in the week's story), so the same counts are asked
again and again, and on PostgreSQL a capped count of a moderately common word costs several
milliseconds. A count a few minutes old picks the same words: it is a heuristic for speed,
never a figure shown to anyone.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

# Long enough to serve a busy channel's stream of articles, short enough that a word that
# became common this week is soon treated as such.
DEFAULT_TTL_SECONDS = 600.0
# About 2 MB at most: a word, a guild id and a count per entry.
DEFAULT_MAX_ENTRIES = 20_000

Key = tuple[int, str, int]  # guild, word (as searched), cap


class WordCountCache:
    def __init__(
        self,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Key, tuple[int, float]] = OrderedDict()

    def known(self, guild_id: int, words: Iterable[str], cap: int) -> dict[str, int]:
        """The fresh counts among `words`; the others must be read from the database."""
        now = self._clock()
        found: dict[str, int] = {}
        for word in words:
            key = (guild_id, word, cap)
            entry = self._entries.get(key)
            if entry is None:
                continue
            count, expires = entry
            if expires <= now:
                del self._entries[key]
                continue
            self._entries.move_to_end(key)  # recently used: evicted last
            found[word] = count
        return found

    def remember(self, guild_id: int, counts: dict[str, int], cap: int) -> None:
        expires = self._clock() + self.ttl_seconds
        for word, count in counts.items():
            key = (guild_id, word, cap)
            self._entries[key] = (count, expires)
            self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
