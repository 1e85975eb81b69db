"""Background jobs of the case loop: the periodic escalation sweep."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions import sweep_overdue


@db_periodic_task(crontab(minute="*/5"))
def escalate_overdue() -> int:
    """Safe to run on any number of consumers at once: each step is claimed by one UPDATE."""
    return sweep_overdue()
