"""Reads of the inbox and of the burden it shows (S7)."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from jiceng.org.models import Person
from jiceng.org.scope import get_scoped_or_404, person_of

from .models import Task, TaskState


def inbox_q(person: Person) -> Q:
    q = Q(assignee_person=person)
    for unit_id in {person.home_unit_id, person.managing_unit_id} - {None}:
        q |= Q(assignee_unit_id=unit_id, assignee_person__isnull=True)
    return q


def inbox_for(
    user,
    *,
    state: str | None = TaskState.OPEN,
    from_unit_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[Task]:
    """Everything assigned to me or to my unit(s)."""
    person = person_of(user)
    if person is None:
        return Task.objects.none()
    qs = Task.objects.filter(inbox_q(person)).select_related(
        "from_unit", "assignee_unit", "assignee_person", "region"
    )
    if state:
        qs = qs.filter(state=state)
    if from_unit_id:
        qs = qs.filter(from_unit_id=from_unit_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_at", "id")


def task_get_for(user, pk: int) -> Task:
    """A task the caller may see: in their inbox, or in their region scope."""
    person = person_of(user)
    if person is not None:
        mine = Task.objects.filter(inbox_q(person), pk=pk).first()
        if mine:
            return mine
    return get_scoped_or_404(Task.objects.all(), user, pk=pk)


def burden_for(person: Person, start: dt.datetime, end: dt.datetime) -> dict:
    """How many distinct upper units reached this person, and with how many tasks, by kind."""
    qs = Task.objects.filter(inbox_q(person), created_at__gte=start, created_at__lt=end)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    n_platform = qs.filter(from_unit__isnull=True).count()
    return {
        "person": person.name,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "upper_units": qs.exclude(from_unit__isnull=True).values("from_unit").distinct().count(),
        "tasks": sum(by_kind.values()),
        # of those, sent by the platform itself (smart dispatch, escalation), not by any unit
        "from_platform": n_platform,
        "by_kind": by_kind,
        "overdue_open": qs.filter(state=TaskState.OPEN, due_at__lt=end).count(),
    }
