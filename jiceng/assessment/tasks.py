"""Background jobs of assessment: the time-limit sweep of reviews (复核) decided late, and the\n考核检查 tasks of inspection days gone by."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions import sweep_late_appeals, sweep_past_inspections


@db_periodic_task(crontab(minute="*/15"))
def remind_late_appeals() -> int:
    """One 督办 reminder per late review and leader; running twice (or on two consumers at once)
    sends nothing more."""
    return sweep_late_appeals()


@db_periodic_task(crontab(minute="*/15"))
def close_past_inspection_tasks() -> int:
    """The 考核检查 tasks whose inspection day is over, closed (actions.sweep_past_inspections)."""
    return sweep_past_inspections()
