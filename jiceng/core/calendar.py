"""Working-day calendar: official holidays and make-up working days (调休), office hours."""

import datetime as dt
import logging
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        log.warning("no official holiday data for %s; counting Monday to Friday", day.year)
        return day.weekday() < 5


def _spans(day: dt.date, tz) -> list[tuple[dt.datetime, dt.datetime]]:
    spans = []
    for start, end in settings.JICENG_OFFICE_HOURS:
        s = dt.datetime.combine(day, dt.time.fromisoformat(start), tz)
        e = dt.datetime.combine(day, dt.time.fromisoformat(end), tz)
        spans.append((s, e))
    return spans


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The instant when `hours` of office time have passed after `start`."""
    moment = _local(start)
    tz = moment.tzinfo
    left = dt.timedelta(hours=hours)
    day = moment.date()
    for _ in range(3660):
        if is_workday(day):
            for s, e in _spans(day, tz):
                begin = max(s, moment)
                if begin >= e:
                    continue
                if begin + left <= e:
                    return begin + left
                left -= e - begin
        day += dt.timedelta(days=1)
    raise ValueError("working-time limit runs past ten years")


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """End of office hours on the `days`-th working day after the day of `start`."""
    moment = _local(start)
    day, counted = moment.date(), 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += is_workday(day)
    return _spans(day, moment.tzinfo)[-1][1]


def working_seconds_between(a: dt.datetime, b: dt.datetime) -> float:
    """Office time between two instants (negative when b is before a)."""
    if b < a:
        return -working_seconds_between(b, a)
    a, b = _local(a), _local(b)
    total = 0.0
    day = a.date()
    while day <= b.date():
        if is_workday(day):
            for s, e in _spans(day, a.tzinfo):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return total


def add_limit(start: dt.datetime, amount: float, unit: str) -> dt.datetime:
    """A time limit given as (amount, unit): unit is 'hours', 'days' or 'minutes' (natural)."""
    if unit == "hours":
        return add_working_hours(start, amount)
    if unit == "days":
        return add_working_days(start, int(amount))
    if unit == "minutes":
        return start + dt.timedelta(minutes=amount)
    raise ValueError(f"unknown time-limit unit {unit!r}")
