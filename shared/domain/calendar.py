"""Opening and issuing hours: pure functions over a week of [start, end] pairs and holidays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Hours as stored: {"mon": ["08:00", "15:00"], ...}; a missing day is closed.
WeekHours = Mapping[str, Sequence[str]]


def hours_on(
    hours: WeekHours, day: date, holidays: Iterable[date] = ()
) -> tuple[time, time] | None:
    if day in set(holidays):
        return None
    pair = hours.get(WEEKDAYS[day.weekday()])
    if not pair:
        return None
    return time.fromisoformat(pair[0]), time.fromisoformat(pair[1])


def is_open_at(hours: WeekHours, moment: datetime, holidays: Iterable[date] = ()) -> bool:
    window = hours_on(hours, moment.date(), holidays)
    return window is not None and window[0] <= moment.time() < window[1]


def closing_at(
    hours: WeekHours, moment: datetime, holidays: Iterable[date] = ()
) -> datetime | None:
    """Today's closing instant (in moment's zone), or None when closed today."""
    window = hours_on(hours, moment.date(), holidays)
    if window is None:
        return None
    return datetime.combine(moment.date(), window[1], tzinfo=moment.tzinfo)


def next_opening(
    hours: WeekHours, after: datetime, holidays: Iterable[date] = (), horizon_days: int = 31
) -> datetime | None:
    """The first opening strictly after `after` (local time), within the horizon."""
    holiday_set = set(holidays)
    zone = after.tzinfo
    for offset in range(horizon_days + 1):
        day = after.date() + timedelta(days=offset)
        window = hours_on(hours, day, holiday_set)
        if window is None:
            continue
        start = datetime.combine(day, window[0], tzinfo=zone)
        if start > after:
            return start
    return None
