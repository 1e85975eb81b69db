"""Background jobs of the dispatch app: the weekly retraining from closed cases."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions import retrain_from_cases
from .errors import ClassifierInputError

log = logging.getLogger(__name__)


@db_periodic_task(crontab(day_of_week="1", hour="3", minute="0"))
def retrain_weekly() -> dict | None:
    """Monday 03:00: retrain; a new model replaces the active one only if CV says it is not worse."""
    try:
        return retrain_from_cases()
    except ClassifierInputError as exc:  # too few closed cases yet: try again next week
        log.warning("weekly retraining skipped: %s", exc)
        return None
