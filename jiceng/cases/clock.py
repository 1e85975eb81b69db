"""Step clocks: due and warning instants in working time from a category's limits."""

import datetime as dt

from django.conf import settings

from jiceng.core.calendar import add_limit, add_working_hours, working_seconds_between

WARN_SHARE = 0.8  # a step warns once 80% of its time is used


def warn_share() -> float:
    return getattr(settings, "JICENG_CASE_WARN_SHARE", WARN_SHARE)


def due_and_warn(start: dt.datetime, amount: float, unit: str) -> tuple[dt.datetime, dt.datetime]:
    due = add_limit(start, amount, unit)
    if unit == "minutes":
        return due, start + (due - start) * warn_share()
    hours = working_seconds_between(start, due) / 3600
    return due, add_working_hours(start, hours * warn_share())


def warn_for(start: dt.datetime, due: dt.datetime) -> dt.datetime:
    hours = working_seconds_between(start, due) / 3600
    if hours <= 0:  # a limit in natural time, or one that ends outside office hours
        return start + (due - start) * warn_share()
    return add_working_hours(start, hours * warn_share())


def start_step(obj, step: str, start: dt.datetime, due: dt.datetime | None) -> None:
    """Point a case or assignment's clock at a new step; a new step may escalate again."""
    obj.step = step
    obj.step_started_at = start if due else None
    obj.due_at = due
    obj.warn_at = warn_for(start, due) if due else None
    obj.escalated_at = None


def stop_clock(obj) -> None:
    start_step(obj, "", obj.step_started_at, None)


def accept_limit() -> tuple[float, str]:
    """How long a unit has to sign for a dispatched case (a local setting)."""
    return getattr(settings, "JICENG_CASE_ACCEPT_LIMIT", (1, "hours"))
