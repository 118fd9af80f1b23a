"""The per-member limit on articles read per minute (bot.rate_limit), with a fake clock."""

from __future__ import annotations

from bot.errors import ClaimbotError
from bot.rate_limit import PRUNE_ABOVE, WINDOW_SECONDS, SubmissionRateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_member_gets_the_limit_then_waits_for_the_oldest_to_leave_the_window() -> None:
    clock = Clock()
    limit = SubmissionRateLimit(3, clock=clock)
    for second in (0, 10, 20):
        clock.now = 1000.0 + second
        assert limit.try_take(1, 42) is None
    clock.now = 1030.0
    assert limit.try_take(1, 42) == WINDOW_SECONDS - 30  # the first one leaves at 1060
    clock.now = 1059.0
    assert limit.try_take(1, 42) == 1.0  # a refusal is not counted
    clock.now = 1060.0
    assert limit.try_take(1, 42) is None
    assert limit.try_take(1, 42) == 10.0  # the second one leaves at 1070


def test_members_and_servers_are_counted_apart() -> None:
    limit = SubmissionRateLimit(1, clock=Clock())
    assert limit.try_take(1, 42) is None
    assert limit.try_take(1, 42) is not None
    assert limit.try_take(1, 43) is None  # another member
    assert limit.try_take(2, 42) is None  # the same member in another server


def test_zero_means_no_limit() -> None:
    limit = SubmissionRateLimit(0, clock=Clock())
    assert all(limit.try_take(1, 42) is None for _ in range(1000))


def test_the_refusal_says_the_limit_and_the_wait() -> None:
    refusal = SubmissionRateLimit(5).refusal(12.4)
    assert isinstance(refusal, ClaimbotError)  # shown to the member as is
    assert (
        str(refusal) == "Slow down: a member can have 5 articles read a minute; try again in 12 s."
    )
    assert "in 1 s." in str(SubmissionRateLimit(5).refusal(0.2))


def test_idle_members_are_forgotten_when_many_are_tracked() -> None:
    clock = Clock()
    limit = SubmissionRateLimit(1, clock=clock)
    for user in range(PRUNE_ABOVE):
        limit.try_take(1, user)
    clock.now += WINDOW_SECONDS
    limit.try_take(1, PRUNE_ABOVE)  # one more member: the idle ones are dropped
    assert len(limit._recent) == 1
    assert limit.try_take(1, PRUNE_ABOVE) is not None  # the active one still counts


def test_asking_without_counting_leaves_the_count_alone() -> None:
    limit = SubmissionRateLimit(1, clock=Clock())
    assert limit.try_take(1, 42, count=False) is None
    assert limit.try_take(1, 42) is None  # the question did not use the one allowed
    assert limit.try_take(1, 42, count=False) == WINDOW_SECONDS


def test_members_who_only_asked_are_forgotten_too() -> None:
    clock = Clock()
    limit = SubmissionRateLimit(1, clock=clock)
    for user in range(PRUNE_ABOVE):
        assert limit.try_take(1, user, count=False) is None  # leaves no count behind
    assert limit.try_take(1, PRUNE_ABOVE) is None  # pruning skips nothing and does not fail
    assert len(limit._recent) == 1
