"""Background jobs: the nightly screening of every active rule, and registry imports."""

from django.contrib.auth import get_user_model
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import ImportJob, Rule


def screen_all(trigger: str = "nightly") -> list[int]:
    """Run every active rule once; a rule that fails is skipped (and reported) so others run."""
    from .actions import rule_run

    runs = []
    for rule in Rule.objects.filter(active=True).select_related("region"):
        try:
            runs.append(rule_run(rule=rule, by=None, trigger=trigger).pk)
        except Exception:  # one broken rule must not stop the night's work
            import logging

            logging.getLogger(__name__).exception("screening rule %s failed", rule.pk)
    return runs


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_screening() -> list[int]:
    return screen_all()


@db_task()
def import_job_run(job_id: int) -> None:
    from .jobs import import_job_process

    job = ImportJob.objects.get(pk=job_id)
    import_job_process(job=job, by=job.by or get_user_model()(pk=None))
