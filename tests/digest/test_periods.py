"""Periods and "is it due": ISO weeks in the guild's zone, across daylight-saving switches."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.periods import (
    IsoWeek,
    Schedule,
    due_digest,
    last_complete_week,
    local_instant,
    weeks_between,
)
from bot.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def test_week_labels_parse_and_shift_across_years() -> None:
    week = IsoWeek.parse("2026-W01")
    assert week.label == "2026-W01"
    assert week.shifted(-1) == IsoWeek(2025, 52)
    assert IsoWeek(2026, 53).shifted(1) == IsoWeek(2027, 1)  # 2026 has 53 ISO weeks
    assert weeks_between(IsoWeek(2025, 51), IsoWeek(2026, 2)) == [
        IsoWeek(2025, 52),
        IsoWeek(2026, 1),
    ]


@pytest.mark.parametrize("label", ["2026-48", "2026-W4", "W48", "2025-W53", ""])
def test_bad_week_labels_are_refused_clearly(label: str) -> None:
    with pytest.raises(InvalidInput, match=r"ISO week"):
        IsoWeek.parse(label)


def test_a_week_is_bounded_by_local_midnights() -> None:
    start, end = IsoWeek(2026, 48).bounds(BERLIN)
    assert start == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # Monday 00:00 CET
    assert end - start == timedelta(days=7)


def test_a_week_with_a_switch_is_one_hour_shorter_or_longer() -> None:
    spring_start, spring_end = IsoWeek.containing(datetime(2026, 3, 29).date()).bounds(BERLIN)
    assert spring_end - spring_start == timedelta(hours=167)
    autumn_start, autumn_end = IsoWeek.containing(datetime(2026, 11, 1).date()).bounds(NEW_YORK)
    assert autumn_end - autumn_start == timedelta(hours=169)


def _due_moments(schedule: Schedule, start: datetime, days: int, step_minutes: int = 5):
    """Walk the clock; return (instant, period) each time a new period becomes due."""
    seen: list[tuple[datetime, IsoWeek]] = []
    now = start
    while now < start + timedelta(days=days):
        due = due_digest(now, schedule)
        if due is not None and (not seen or seen[-1][1] != due.period):
            seen.append((now, due.period))
        now += timedelta(minutes=step_minutes)
    return seen


@pytest.mark.parametrize(
    ("zone", "switch_day"),
    [
        (BERLIN, datetime(2026, 3, 29, tzinfo=UTC)),  # CET -> CEST
        (BERLIN, datetime(2026, 10, 25, tzinfo=UTC)),  # CEST -> CET
        (NEW_YORK, datetime(2026, 3, 8, tzinfo=UTC)),  # EST -> EDT
        (NEW_YORK, datetime(2026, 11, 1, tzinfo=UTC)),  # EDT -> EST
    ],
)
def test_a_switch_neither_moves_nor_repeats_the_digest(
    zone: ZoneInfo, switch_day: datetime
) -> None:
    schedule = Schedule(0, time(9, 0), zone)  # Monday 09:00 local
    # From local midnight of the Monday before the switch (a Sunday), for two weeks.
    start = local_instant((switch_day - timedelta(days=6)).date(), time(0, 0), zone)
    moments = _due_moments(schedule, start, days=14)
    # Exactly one new period per week, each first due at 09:00 local, every week.
    assert len(moments) == 2
    for instant, period in moments:
        local = instant.astimezone(zone)
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
        assert period == IsoWeek.containing(local.date()).shifted(-1)
    assert moments[1][1] == moments[0][1].shifted(1)


@pytest.mark.parametrize(
    ("zone", "day", "at"),
    [
        (BERLIN, datetime(2026, 3, 29), time(2, 30)),  # a local time that does not exist
        (BERLIN, datetime(2026, 10, 25), time(2, 30)),  # a local time that happens twice
        (NEW_YORK, datetime(2026, 3, 8), time(2, 30)),
        (NEW_YORK, datetime(2026, 11, 1), time(1, 30)),
    ],
)
def test_a_slot_inside_the_switch_hour_is_due_once(zone: ZoneInfo, day: datetime, at: time) -> None:
    schedule = Schedule(6, at, zone)  # Sunday, on the switch
    moments = _due_moments(
        schedule, day.replace(tzinfo=UTC) - timedelta(days=2), days=4, step_minutes=1
    )
    assert len(moments) == 1
    instant, period = moments[0]
    assert instant.astimezone(zone).date() == day.date()
    assert period == IsoWeek.containing(day.date()).shifted(-1)


def test_due_after_the_slot_and_late_after_a_while() -> None:
    schedule = Schedule(0, time(9, 0), ZoneInfo("UTC"))
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert due_digest(monday - timedelta(seconds=1), schedule) is None
    on_time = due_digest(monday + timedelta(minutes=1), schedule)
    assert on_time is not None
    assert on_time.period == IsoWeek(2026, 47)
    assert not on_time.late
    back_on_saturday = due_digest(monday + timedelta(days=5), schedule)
    assert back_on_saturday is not None
    assert back_on_saturday.late
    assert back_on_saturday.period == IsoWeek(2026, 47)
    # Next Monday before 09:00: W47's time is over and W48's digest is not due yet.
    assert due_digest(monday + timedelta(days=7, hours=-1), schedule) is None


def test_last_complete_week_is_local() -> None:
    # Monday 00:30 in Berlin is still Sunday in UTC.
    now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert last_complete_week(now, BERLIN) == IsoWeek(2026, 47)
    assert last_complete_week(now, ZoneInfo("UTC")) == IsoWeek(2026, 46)


def test_naive_now_is_a_bug() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_digest(datetime(2026, 11, 23), Schedule(0, time(9, 0), BERLIN))
