"""How many articles one member may have read per minute: a sliding window per (guild, member).

Extraction is CPU work (a third of a second for a long article, seconds for the largest
allowed): without a bound, one member pasting in a loop keeps the cores busy and everyone
else's answers wait. Moderators are exempt (the cogs decide who is one): they work through
backlogs. The counts live in memory, which is enough: a server is served by one process (the
one running its shard), and a restart forgets them, which only ever allows more.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from bot.errors import ClaimbotError

WINDOW_SECONDS = 60.0
# Above this many members tracked, those idle for a whole window are forgotten.
PRUNE_ABOVE = 10_000


class RateLimited(ClaimbotError):
    """The member asked too often; nothing was read or stored."""


class SubmissionRateLimit:
    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        """`per_minute` 0: no limit."""
        self.per_minute = per_minute
        self._clock = clock
        self._recent: dict[tuple[int, int], deque[float]] = {}

    def try_take(self, guild_id: int, user_id: int, *, count: bool = True) -> float | None:
        """None: allowed, and counted (unless `count` is False: only asking, e.g. before a
        form opens). Else the seconds until the member may submit again (nothing counted)."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        recent = self._recent.setdefault((guild_id, user_id), deque())
        while recent and recent[0] <= now - WINDOW_SECONDS:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return recent[0] + WINDOW_SECONDS - now
        if not count:
            return None
        recent.append(now)
        if len(self._recent) > PRUNE_ABOVE:
            self._forget_idle(now)
        return None

    def refusal(self, wait_seconds: float) -> RateLimited:
        return RateLimited(
            f"Slow down: a member can have {self.per_minute} articles read a minute; "
            f"try again in {max(1, round(wait_seconds))} s."
        )

    def _forget_idle(self, now: float) -> None:
        # An entry may be empty: a member only asked (count=False) or all of theirs expired.
        stale = now - WINDOW_SECONDS
        for key in [k for k, times in self._recent.items() if not times or times[-1] <= stale]:
            del self._recent[key]
