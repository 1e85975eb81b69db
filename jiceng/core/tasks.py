"""Background jobs of the core: the worker's heartbeat."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from .models import WorkerHeartbeat


def beat(name: str = "worker") -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


@HUEY.on_startup()
def _beat_on_start() -> None:
    from django.db import close_old_connections

    close_old_connections()
    beat()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    beat()


@db_task()
def heartbeat_named(name: str) -> None:
    """Record that some consumer ran a job under this name (used to check a scaled-out queue)."""
    beat(name)


@db_periodic_task(crontab(hour="4", minute="20"))
def media_strays_sweep() -> None:
    """Delete uploads a rolled-back transaction left behind (core.media)."""
    from .media import strays_remove

    strays_remove()
