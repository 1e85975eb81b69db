"""Working time on the real 2025–2026 holiday calendar, make-up working weekends (调休) included."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiceng.core.calendar import (
    add_limit,
    add_working_days,
    add_working_hours,
    is_workday,
    working_seconds_between,
)

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.mark.parametrize(
    "day,workday",
    [
        (dt.date(2025, 9, 28), True),  # Sunday, make-up working day before National Day
        (dt.date(2025, 10, 1), False),  # National Day
        (dt.date(2025, 10, 8), False),  # last day of the 2025 Golden Week (with Mid-autumn)
        (dt.date(2025, 10, 11), True),  # Saturday, make-up working day
        (dt.date(2026, 2, 14), True),  # Saturday, make-up working day before Spring Festival
        (dt.date(2026, 2, 16), False),  # Spring Festival (Monday)
        (dt.date(2026, 2, 23), False),
        (dt.date(2026, 2, 24), True),
        (dt.date(2026, 10, 10), True),  # Saturday, make-up working day
        (dt.date(2026, 11, 21), False),  # an ordinary Saturday
    ],
)
def test_official_holidays_and_make_up_days(day, workday):
    assert is_workday(day) is workday


def test_hours_roll_over_lunch_and_evening():
    # 08:30-12:00 and 13:30-17:30: from 11:00, 4 working hours end at 16:30.
    assert add_working_hours(at(2026, 11, 24, 11), 4) == at(2026, 11, 24, 16, 30)
    # From 16:30 Friday, 4 hours run to 11:30 Monday.
    assert add_working_hours(at(2026, 11, 20, 16, 30), 4) == at(2026, 11, 23, 11, 30)


def test_hours_skip_golden_week_and_count_make_up_saturday():
    # Tuesday 30 Sep 2025 16:30 + 8h: 1h on the 30th, 1-8 Oct off, then 3.5h + 3.5h on 9 Oct.
    assert add_working_hours(at(2025, 9, 30, 16, 30), 8) == at(2025, 10, 9, 17, 0)
    # Friday 10 Oct 2025 17:00 + 1h: Saturday 11 Oct is a make-up working day.
    assert add_working_hours(at(2025, 10, 10, 17, 0), 1) == at(2025, 10, 11, 9, 0)


def test_working_days_end_at_close_of_office():
    # 7 working days from Friday 13 Feb 2026: Sat 14 Feb (make-up) is the 1st, 15-23 off,
    # 24-27 Feb are the 2nd to 5th, Sat 28 Feb (make-up) the 6th, Monday 2 March the 7th.
    assert add_working_days(at(2026, 2, 13, 10), 7) == at(2026, 3, 2, 17, 30)
    assert add_working_days(at(2026, 11, 24, 10), 1) == at(2026, 11, 25, 17, 30)


def test_working_seconds_between_counts_office_time_only():
    assert working_seconds_between(at(2026, 11, 24, 11), at(2026, 11, 24, 16, 30)) == 4 * 3600
    assert working_seconds_between(at(2025, 9, 30, 16, 30), at(2025, 10, 9, 17, 0)) == 8 * 3600
    assert working_seconds_between(at(2026, 11, 24, 16, 30), at(2026, 11, 24, 11)) == -4 * 3600


def test_natural_minutes_for_urgent_limits_and_unknown_unit():
    assert add_limit(at(2026, 11, 21, 3), 10, "minutes") == at(2026, 11, 21, 3, 10)
    with pytest.raises(ValueError):
        add_limit(at(2026, 11, 21), 1, "weeks")
