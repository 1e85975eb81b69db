"""Writes to the inbox: open, finish and close tasks, each audited."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core.audit import audit

from .models import Task, TaskState

AUDITED = ["kind", "subject", "assignee_person_id", "assignee_unit_id", "from_unit_id", "state"]


def _snap(task: Task) -> dict:
    return {name: getattr(task, name) for name in AUDITED}


def task_open(
    *,
    kind: str,
    subject: str,
    region,
    by,
    assignee_person=None,
    assignee_unit=None,
    from_unit=None,
    due_at=None,
    body: str = "",
    link: str = "",
    source_key: str = "",
    details: dict | None = None,
) -> Task:
    """Open a task; with a source_key, an already open task for that key is returned instead."""
    if source_key:
        existing = Task.objects.filter(source_key=source_key, state=TaskState.OPEN).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            task = Task.objects.create(
                kind=kind,
                subject=subject[:200],
                region=region,
                body=body,
                link=link,
                assignee_person=assignee_person,
                assignee_unit=assignee_unit,
                from_unit=from_unit,
                due_at=due_at,
                source_key=source_key,
                details=details or {},
            )
            audit(actor=by, verb="task.open", obj=task, after=_snap(task))
    except IntegrityError:
        if not source_key:
            raise
        # Another process opened the same task between our check and insert.
        return Task.objects.get(source_key=source_key, state=TaskState.OPEN)
    return task


def task_finish(*, task: Task, by, state: str = TaskState.DONE, reason: str = "") -> Task:
    """Mark a task done (or closed with a reason); finishing twice changes nothing."""
    with transaction.atomic():
        updated = Task.objects.filter(pk=task.pk, state=TaskState.OPEN).update(
            state=state, closed_at=timezone.now(), close_reason=reason[:200]
        )
        if updated:
            task.refresh_from_db()
            audit(
                actor=by,
                verb=f"task.{state}",
                obj=task,
                before={"state": TaskState.OPEN},
                after={"state": state, "reason": reason},
            )
    return task


def tasks_finish_by_source(
    *, source_key: str, by, state: str = TaskState.DONE, reason: str = ""
) -> int:
    closed = 0
    for task in Task.objects.filter(source_key=source_key, state=TaskState.OPEN):
        task_finish(task=task, by=by, state=state, reason=reason)
        closed += 1
    return closed
