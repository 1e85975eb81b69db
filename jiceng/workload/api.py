"""API of the inbox: my tasks and my burden."""

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from jiceng.org.scope import person_of

from . import selectors

router = Router(tags=["workload 待办"])


class TaskOut(Schema):
    id: int
    kind: str
    subject: str
    state: str
    due_at: dt.datetime | None
    from_unit: str | None = None
    link: str

    @staticmethod
    def resolve_from_unit(obj):
        return obj.from_unit.name if obj.from_unit_id else None


@router.get("/tasks", response=list[TaskOut])
def task_list(request, state: str = "open", from_unit: int | None = None, kind: str | None = None):
    return list(
        selectors.inbox_for(request.user, state=state or None, from_unit_id=from_unit, kind=kind)[
            :1000
        ]
    )


@router.get("/tasks/{pk}", response=TaskOut)
def task_get(request, pk: int):
    return selectors.task_get_for(request.user, pk)


@router.get("/burden")
def burden(request, days: int = 30):
    person = person_of(request.user)
    if person is None:
        return {"detail": "当前账号没有人员信息"}
    now = timezone.now()
    return selectors.burden_for(person, now - dt.timedelta(days=days), now)
