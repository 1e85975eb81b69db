"""Background jobs of the dispatch app: retraining from closed cases, weekly or on request, and
training on a sheet an admin uploaded."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .actions import classifier_train_sheet, retrain_from_cases, retrain_skipped
from .errors import ClassifierInputError


@db_periodic_task(crontab(day_of_week="1", hour="3", minute="0"))
def retrain_weekly() -> dict | None:
    """Monday 03:00: retrain; a new model replaces the active one only if CV says it is not worse."""
    return _retrain(None)


@db_task()
def retrain_now(user_id: int | None = None) -> dict | None:
    """The same retraining, asked for by an admin (the admin action); the rule is the same."""
    return _retrain(_user(user_id))


@db_task()
def train_sheet(
    path: str,
    name: str,
    text_columns: list[str],
    label_column: str,
    hints_path: str | None,
    user_id: int,
) -> dict | None:
    """Train on an uploaded sheet (kept under the models' folder) and register the model."""
    return classifier_train_sheet(
        path=path,
        name=name,
        text_columns=text_columns,
        label_column=label_column,
        hints_path=hints_path,
        by=_user(user_id),
    )


def _user(user_id: int | None):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def _retrain(by) -> dict | None:
    try:
        return retrain_from_cases(by=by)
    except ClassifierInputError as exc:  # no closed cases yet: try again next time
        retrain_skipped(error=exc, by=by)
        return None
