"""Background jobs of the dispatch app: retraining from closed cases, weekly or on request."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .actions import retrain_from_cases, retrain_skipped
from .errors import ClassifierInputError


@db_periodic_task(crontab(day_of_week="1", hour="3", minute="0"))
def retrain_weekly() -> dict | None:
    """Monday 03:00: retrain; a new model replaces the active one only if CV says it is not worse."""
    return _retrain(None)


@db_task()
def retrain_now(user_id: int | None = None) -> dict | None:
    """The same retraining, asked for by an admin (the admin action); the rule is the same."""
    from django.contrib.auth import get_user_model

    return _retrain(get_user_model().objects.filter(pk=user_id).first() if user_id else None)


def _retrain(by) -> dict | None:
    try:
        return retrain_from_cases(by=by)
    except ClassifierInputError as exc:  # no closed cases yet: try again next time
        retrain_skipped(error=exc, by=by)
        return None
