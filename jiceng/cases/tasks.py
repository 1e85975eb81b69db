"""Background jobs of the case loop: the periodic escalation sweep, which also closes the
reminders whose late step is over."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions import settle_escalations, sweep_overdue


@db_periodic_task(crontab(minute="*/5"))
def escalate_overdue() -> int:
    """Safe to run on any number of consumers at once: each step is claimed by one UPDATE, and
    closing a reminder twice finishes it once (task_finish locks it)."""
    escalated = sweep_overdue()
    settle_escalations()
    return escalated
