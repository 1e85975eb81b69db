"""API of the inbox: my tasks and my burden."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from ninja.responses import codes_4xx

from jiceng.core.inputs import Id
from jiceng.org.scope import person_of
from jiceng.org.selectors import region_get_for

from . import actions, datasets, selectors

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
def task_list(request, state: str = "open", from_unit: Id | None = None, kind: str | None = None):
    return list(
        selectors.inbox_for(request.user, state=state or None, from_unit_id=from_unit, kind=kind)[
            :1000
        ]
    )


@router.get("/tasks/{pk}", response=TaskOut)
def task_get(request, pk: int):
    return selectors.task_get_for(request.user, pk)


@router.get("/burden")
def burden(request, days: int = Query(30, ge=1, le=3660)):
    person = person_of(request.user)
    if person is None:
        return {"detail": "当前账号没有人员信息"}
    now = timezone.now()
    return selectors.burden_for(person, now - dt.timedelta(days=days), now)


@router.get("/burden/monthly")
def burden_monthly(request, months: int = Query(6, ge=1, le=24), region: str | None = None):
    """减负监测: the burden of every person in scope (or in `region`), month by month (S7)."""
    if not selectors.may_watch_burden(request.user):
        raise PermissionError("减负监测供分管领导、县级管理员、考核人员和平台管理员查看")
    place = region_get_for(request.user, region) if region else None
    table = selectors.burden_by_month(request.user, months=min(max(months, 1), 24), region=place)
    return {
        "months": table["months"],
        "totals": table["totals"],
        "senders": [
            {
                "unit": row["unit"].name if row["unit"] else None,  # None: the platform itself
                "region": row["unit"].region.code if row["unit"] else None,
                "months": row["months"],
                "tasks": row["tasks"],
            }
            for row in table["senders"]
        ],
        "people": [
            {
                "name": row["person"].name,
                "region": row["person"].region.code if row["person"].region_id else None,
                "unit": row["unit"],
                "seconded": row["person"].seconded,
                "months": row["months"],
            }
            for row in table["people"]
        ],
    }


class SendIn(Schema):
    kind: str = Field(
        ...,
        description="data_request 数据填报 / other 其他（考核检查须按已批准的考核事项开展，"
        "见 /api/v1/assessment）",
    )
    subject: str
    body: str = ""
    due_at: dt.datetime | None = None
    units: list[Id] = Field(default_factory=list, description="接收单位的编号")
    people: list[Id] = Field(default_factory=list, description="接收人员的编号")
    reason: str = Field("", description="仍需基层填报的理由（平台已有相关数据时必填，见一表通）")


class DoneIn(Schema):
    reply: str = Field("", description="办理情况（200字以内；数据填报必填）")


class Error(Schema):
    detail: str


@router.post("/tasks", response={201: list[TaskOut], codes_4xx: Error})
def task_send(request, payload: SendIn):
    """交办: one task per unit and per person chosen, within the caller's area (S7)."""
    person = actions.sender_of(request.user)
    try:
        units, people = selectors.recipients_for(request.user, payload.units, payload.people)
        sent = actions.tasks_send(
            sender=person,
            kind=payload.kind,
            subject=payload.subject,
            body=payload.body,
            due_at=payload.due_at,
            reason=payload.reason,
            units=units,
            people=people,
            by=request.user,
        )
    except ValidationError as exc:
        return Reply(400, {"detail": "；".join(exc.messages)})
    return Reply(201, sent)


@router.post("/tasks/{pk}/done", response={200: TaskOut, codes_4xx: Error})
def task_done(request, pk: int, payload: DoneIn):
    """办结 a task asked of me or my unit, with what was done."""
    task = selectors.task_get_for(request.user, pk)
    person = person_of(request.user)
    if person is None:
        raise PermissionError("这项事项不是交给您或您所在单位的")
    try:
        return Reply(
            200,
            actions.task_report_done(
                task=task, person=person, reply=payload.reply, by=request.user
            ),
        )
    except ValidationError as exc:
        return Reply(400, {"detail": "；".join(exc.messages)})


@router.get("/data")
def data_list(request):
    """一表通: the datasets upper units read here instead of asking the townships (S8)."""
    actions.sender_of(request.user)
    return [
        {"key": d.key, "title": str(d.title), "about": str(d.about), "keywords": list(d.keywords)}
        for d in datasets.DATASETS.values()
    ]


@router.get("/data/{key}", response={200: dict, codes_4xx: Error})
def data_get(request, key: str, region: str | None = None):
    """One dataset for the caller's area (or `region` in it): its header and rows."""
    actions.sender_of(request.user)
    dataset = datasets.DATASETS.get(key)
    if dataset is None:
        return Reply(404, {"detail": f"没有这项平台数据：{key}"})
    place = region_get_for(request.user, region) if region else None
    header, rows = dataset.build(request.user, datasets.region_code(request.user, place))
    return {"key": dataset.key, "title": str(dataset.title), "header": header, "rows": rows}
