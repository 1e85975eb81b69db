"""Background jobs of assessment: the time-limit sweep of reviews (复核) decided late."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions import sweep_late_appeals


@db_periodic_task(crontab(minute="*/15"))
def remind_late_appeals() -> int:
    """One 督办 reminder per late review and leader; running twice (or on two consumers at once)
    sends nothing more."""
    return sweep_late_appeals()
