"""Background jobs of enforcement: the time-limit sweep (reminders before, warnings after)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions.overdue import sweep_overdue


@db_periodic_task(crontab(minute="*/15"))
def warn_overdue() -> int:
    """One inbox task per limit and kind (soon, over); a second consumer at the same moment finds the task
    (the open source key is unique) and opens none."""
    return sweep_overdue()
