"""The inbox page 我的待办 and one task's page."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiceng.org.models import Unit
from jiceng.org.scope import person_of

from . import selectors
from .models import TaskKind, TaskState


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@login_required
def inbox(request):
    state = request.GET.get("state", TaskState.OPEN)
    if state not in TaskState.values and state != "all":
        state = TaskState.OPEN
    from_unit = _int_or_none(request.GET.get("from_unit"))
    kind = request.GET.get("kind") if request.GET.get("kind") in TaskKind.values else None
    tasks = list(
        selectors.inbox_for(
            request.user, state=None if state == "all" else state, from_unit_id=from_unit, kind=kind
        )[:500]
    )
    senders = Unit.objects.filter(
        pk__in=selectors.inbox_for(request.user, state=None).values("from_unit")
    ).order_by("name")
    now = timezone.now()
    person = person_of(request.user)
    burden = selectors.burden_for(person, now - dt.timedelta(days=30), now) if person else None
    return render(
        request,
        "workload/inbox.html",
        {
            "tasks": tasks,
            "now": now,
            "senders": senders,
            "state": state,
            "from_unit": from_unit,
            "kind": kind,
            "kinds": TaskKind.choices,
            "states": TaskState.choices,
            "burden": burden,
        },
    )


@login_required
def task_detail(request, pk: int):
    task = selectors.task_get_for(request.user, pk)
    return render(request, "workload/task.html", {"task": task, "now": timezone.now()})
