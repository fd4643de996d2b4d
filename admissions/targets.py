"""Time to first contact against the clinic's target, in the clinic's opening hours: plain
Python, tested without a database.

Defaults (each a setting the clinic may set; read with ``getattr`` so none is required):

* ``ADMISSIONS_OPENING_HOURS`` = ``(9, 17)``: opening and closing hour, local time;
* ``ADMISSIONS_OPEN_WEEKDAYS`` = ``(0, 1, 2, 3, 4)``: Monday to Friday;
* ``ADMISSIONS_TARGET_URGENT_MINUTES`` = ``60``: urgent people reached within one opening hour;
* ``ADMISSIONS_TARGET_ROUTINE_BUSINESS_DAYS`` = ``1``: everyone else within one business day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Hours:
    open_hour: int = 9
    close_hour: int = 17
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)

    @property
    def minutes_a_day(self) -> int:
        return (self.close_hour - self.open_hour) * 60


def clinic_hours() -> Hours:
    open_hour, close_hour = getattr(settings, "ADMISSIONS_OPENING_HOURS", (9, 17))
    weekdays = tuple(getattr(settings, "ADMISSIONS_OPEN_WEEKDAYS", (0, 1, 2, 3, 4)))
    return Hours(open_hour, close_hour, weekdays)


def target_minutes(urgent: bool, hours: Hours | None = None) -> int:
    """The target in opening minutes: an hour for urgent people, a business day otherwise."""
    hours = hours or clinic_hours()
    if urgent:
        return int(getattr(settings, "ADMISSIONS_TARGET_URGENT_MINUTES", 60))
    days = getattr(settings, "ADMISSIONS_TARGET_ROUTINE_BUSINESS_DAYS", 1)
    return int(days * hours.minutes_a_day)


def opening_minutes(start: dt.datetime, end: dt.datetime, hours: Hours) -> float:
    """Minutes between ``start`` and ``end`` (aware) that fall in opening hours, local time."""
    if end <= start:
        return 0.0
    start, end = timezone.localtime(start), timezone.localtime(end)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() in hours.weekdays:
            opens = timezone.make_aware(dt.datetime.combine(day, dt.time(hours.open_hour)))
            closes = timezone.make_aware(dt.datetime.combine(day, dt.time(hours.close_hour)))
            lo, hi = max(start, opens), min(end, closes)
            if hi > lo:
                total += (hi - lo).total_seconds() / 60
        day += dt.timedelta(days=1)
    return total


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (``fraction`` 0.5 = the median), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without math
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class ContactTimes:
    count: int
    median_minutes: float | None
    p90_minutes: float | None
    within_target: int
    target_minutes: int

    @property
    def share_within_target(self) -> int | None:
        return round(100 * self.within_target / self.count) if self.count else None


def contact_times(pairs: list[tuple[dt.datetime, dt.datetime]], urgent: bool) -> ContactTimes:
    """Median and 90th percentile of opening minutes from arrival to first contact."""
    hours = clinic_hours()
    minutes = [opening_minutes(arrived, reached, hours) for arrived, reached in pairs]
    target = target_minutes(urgent, hours)
    return ContactTimes(
        count=len(minutes),
        median_minutes=percentile(minutes, 0.5),
        p90_minutes=percentile(minutes, 0.9),
        within_target=sum(1 for value in minutes if value <= target),
        target_minutes=target,
    )
