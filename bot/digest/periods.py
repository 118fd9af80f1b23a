"""Digest periods (ISO weeks in a guild's time zone) and "is a digest due now?".

Everything is decided from an injected UTC instant, so tests can walk the clock across
daylight-saving switches. A period is named by its ISO week label ("2026-W47"), never by
an instant: a repeated or skipped local hour can neither move nor repeat a digest, because
the digest store keeps one row per (guild, label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InvalidInput

# A digest posted this long after its slot is marked late (the loop ticks every minute, so
# anything later means the bot was down, or Discord refused it at first).
LATE_AFTER = timedelta(minutes=10)
_WEEK_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True, slots=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, label: str) -> IsoWeek:
        """ "2026-W47" -> IsoWeek(2026, 47); anything else is refused with a clear message."""
        match = _WEEK_LABEL.match(label.strip())
        if match is None:
            raise InvalidInput(f"{label!r} is not an ISO week such as 2026-W47.")
        year, week = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidInput(f"{year} has no ISO week {week}.") from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label

    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.containing(self.monday() + timedelta(weeks=weeks))

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of this Monday to local midnight of the next
        (167 or 169 hours long in a week with a daylight-saving switch)."""
        return local_instant(self.monday(), time(0, 0), zone), local_instant(
            self.monday() + timedelta(weeks=1), time(0, 0), zone
        )


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin."
        ) from None


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local `day` `at` in `zone`. A local time that does not exist (the
    hour skipped in spring) resolves to the same instant as one hour earlier would in winter
    time, i.e. just after the switch; one that occurs twice (autumn) is its first occurrence.
    Either way there is exactly one instant per (day, time): a digest can neither vanish nor
    repeat."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def current_week(now: datetime, zone: ZoneInfo) -> IsoWeek:
    return IsoWeek.containing(now.astimezone(zone).date())


def last_complete_week(now: datetime, zone: ZoneInfo) -> IsoWeek:
    """The period a digest would cover now: the ISO week before the current local one."""
    return current_week(now, zone).shifted(-1)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a guild's digest is posted: a local weekday and time in an IANA zone."""

    weekday: int  # 0 = Monday
    local_time: time
    zone: ZoneInfo

    def slot(self, week: IsoWeek) -> datetime:
        """The UTC instant of the posting slot inside `week` (which posts the week before)."""
        return local_instant(
            week.monday() + timedelta(days=self.weekday), self.local_time, self.zone
        )


@dataclass(frozen=True, slots=True)
class DueDigest:
    period: IsoWeek  # the week the digest covers
    due_at: datetime  # its slot (UTC)
    late: bool


def due_digest(
    now: datetime, schedule: Schedule, *, late_after: timedelta = LATE_AFTER
) -> DueDigest | None:
    """The digest that should be posted at `now`, if any.

    The digest of week P is posted at the slot inside week P+1, or, if the bot was down
    then, as soon as it is back (marked late) until week P+1 ends. Once week P+2 has begun
    the digest of P is given up: the next period has begun, and P+1's digest is what counts.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    week = current_week(now, schedule.zone)
    due_at = schedule.slot(week)
    if now < due_at:
        return None
    return DueDigest(period=week.shifted(-1), due_at=due_at, late=now - due_at > late_after)


def weeks_between(after: IsoWeek, before: IsoWeek) -> list[IsoWeek]:
    """The weeks strictly between two weeks, oldest first."""
    weeks = []
    week = after.shifted(1)
    while week < before:
        weeks.append(week)
        week = week.shifted(1)
    return weeks
