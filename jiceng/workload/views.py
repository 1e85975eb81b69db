"""The inbox page 我的待办 and one task's page."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.inputs import datetime_or_none, int_or_none
from jiceng.core.tables import workbook_bytes
from jiceng.core.views import xlsx_response
from jiceng.org.models import Level, Unit
from jiceng.org.scope import person_of, scope_code
from jiceng.org.selectors import region_get_for, regions_for

from . import actions, datasets, selectors
from .models import TaskKind, TaskState


@login_required
def inbox(request):
    state = request.GET.get("state", TaskState.OPEN)
    if state not in TaskState.values and state != "all":
        state = TaskState.OPEN
    from_unit = int_or_none(request.GET.get("from_unit"))
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
    person = person_of(request.user)
    can_finish = bool(person and selectors.finish_refusal(person, task) is None)
    return render(
        request,
        "workload/task.html",
        {"task": task, "now": timezone.now(), "can_finish": can_finish},
    )


def _burden_request(request):
    """The burden table asked for: months (1–24, default 6) and a region within scope."""
    if not selectors.may_watch_burden(request.user):
        raise PermissionDenied(_("减负监测供分管领导、县级管理员、考核人员和平台管理员查看"))
    months = int_or_none(request.GET.get("months"))
    months = 6 if months is None else min(max(months, 1), 24)
    code = request.GET.get("region") or ""
    region = region_get_for(request.user, code) if code else None
    return months, region, selectors.burden_by_month(request.user, months=months, region=region)


@login_required
def burden(request):
    """减负监测 (S7): month by month, how many tasks and upper units reach each person in scope."""
    months, region, table = _burden_request(request)
    totals = [
        {
            **t,
            "kinds": [
                (label, t["by_kind"][v]) for v, label in TaskKind.choices if v in t["by_kind"]
            ],
        }
        for t in table["totals"]
    ]
    return render(
        request,
        "workload/burden.html",
        {
            "table": table,
            "totals": totals,
            "trend": {
                "months": table["months"],
                "tasks": [t["tasks"] for t in table["totals"]],
                "units": [t["upper_units"] for t in table["totals"]],
            },
            "senders": [
                {**row, "cells": list(zip(table["months"], row["months"], strict=True))}
                for row in table["senders"]
            ],
            "months": months,
            "region": region,
            "regions": _area_regions(request.user),
            "kinds": TaskKind.choices,
        },
    )


@login_required
def burden_export(request):
    """The same tables as an .xlsx: by person and month, the monthly totals, by sending unit."""
    _months, region, table = _burden_request(request)
    kinds = TaskKind.choices
    people = [
        [_("姓名"), _("所属区域"), _("单位"), _("月份"), _("收到事项"), _("上级单位数")],
        *(
            [
                row["person"].name,
                row["person"].region.name if row["person"].region_id else "",
                row["unit"],
                cell["month"],
                cell["tasks"],
                cell["upper_units"],
            ]
            for row in table["people"]
            for cell in row["months"]
        ),
    ]
    totals = [
        [_("月份"), _("事项合计"), _("上级单位数"), *[str(label) for _v, label in kinds]],
        *(
            [t["month"], t["tasks"], t["upper_units"], *[t["by_kind"].get(v, 0) for v, _l in kinds]]
            for t in table["totals"]
        ),
    ]
    senders = [
        [_("交办单位"), _("所属区域"), *table["months"], _("合计")],
        *(
            [
                row["unit"].name if row["unit"] else _("平台自动派发"),
                row["unit"].region.name if row["unit"] else "",
                *row["months"],
                row["tasks"],
            ]
            for row in table["senders"]
        ),
    ]
    data = workbook_bytes(
        [(_("按人员"), people), (_("按月合计"), totals), (_("按交办单位"), senders)]
    )
    area = region.code if region else scope_code(request.user) or "all"
    name = f"burden-{area}-{table['months'][-1]}.xlsx"
    return xlsx_response(data, name)


def _sender(request):
    """The person sending (交办); others are told who may."""
    try:
        return actions.sender_of(request.user)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc


def _due(raw: str):
    """The time limit typed in the form (local time), None when blank; a ValidationError if unreadable."""
    if not raw:
        return None
    parsed = datetime_or_none(raw)
    if parsed is None:
        raise ValidationError(_("办理时限的格式应为 年-月-日 时:分"))
    return parsed


@login_required
def send(request):
    """交办事项: an upper unit asks units or people in its area for data, a check or anything else."""
    sender = _sender(request)
    errors: list[str] = []
    held: list = []
    if request.method == "POST":
        p = request.POST
        try:
            units, people = selectors.recipients_for(
                request.user,
                [v for v in map(int_or_none, p.getlist("unit")) if v],
                [v for v in map(int_or_none, p.getlist("person")) if v],
            )
            sent = actions.tasks_send(
                sender=sender,
                kind=p.get("kind", ""),
                subject=p.get("subject", ""),
                body=p.get("body", ""),
                due_at=_due(p.get("due_at", "")),
                reason=p.get("reason", ""),
                units=units,
                people=people,
                by=request.user,
            )
        except ValidationError as exc:
            errors = exc.messages
            held = datasets.matching(p.get("subject", ""), p.get("body", ""))  # read it instead
        else:
            messages.success(
                request, _("已交办 %(n)d 个接收对象，办理情况见“我交办的”") % {"n": len(sent)}
            )
            return redirect("workload:sent")
    units = selectors.units_with_people(request.user, exclude=sender)
    chosen_people = set(request.POST.getlist("person"))
    return render(
        request,
        "workload/send.html",
        {
            "errors": errors,
            "held": held,
            "form": request.POST if request.method == "POST" else {},
            "chosen_units": set(request.POST.getlist("unit")),
            "chosen_people": chosen_people,
            "kinds": [(k.value, k.label) for k in actions.SENDABLE_KINDS],
            "units": units,
            # a unit with someone chosen under it stays unfolded when the form comes back
            "open_units": {
                u.pk for u, staff in units if any(str(x.pk) in chosen_people for x in staff)
            },
        },
        status=400 if errors else 200,
    )


@login_required
def sent(request):
    """我交办的: each sending, with who has done it, their replies, and who is late."""
    return render(
        request,
        "workload/sent.html",
        {"batches": selectors.sent_by(_sender(request)), "now": timezone.now()},
    )


def _timeliness(task, now) -> str:
    """超期 of one recipient's task: still open past its limit, or done after it."""
    if task.is_overdue(now):
        return _("已超期")
    late = task.due_at and task.closed_at and task.closed_at > task.due_at
    return _("超期办结") if late else ""


@login_required
def sent_export(request):
    """我交办的 as an .xlsx: one row per recipient of each sending (or of the one `batch`), with
    its state, when it was done, whether late, and the reply."""
    batches = selectors.sent_by(_sender(request))
    wanted = request.GET.get("batch")
    if wanted:
        batches = [b for b in batches if b["key"] == wanted]
        if not batches:
            raise Http404(_("未找到这次交办"))
    now = timezone.now()
    local = timezone.localtime
    header = [
        _("交办事项"),
        _("类型"),
        _("交办时间"),
        _("办理时限"),
        _("接收对象"),
        _("状态"),
        _("办结时间"),
        _("是否超期"),
        _("办理情况"),
    ]
    rows = (
        [
            b["subject"],
            str(b["kind"]),
            f"{local(b['sent_at']):%Y-%m-%d %H:%M}",
            f"{local(b['due_at']):%Y-%m-%d %H:%M}" if b["due_at"] else "",
            t.assignee_person.name if t.assignee_person_id else t.assignee_unit.name,
            t.get_state_display(),
            f"{local(t.closed_at):%Y-%m-%d %H:%M}" if t.closed_at else "",
            _timeliness(t, now),
            t.close_reason,
        ]
        for b in batches
        for t in b["tasks"]
    )
    data = workbook_bytes([(_("交办办理情况"), [header, *rows])])
    return xlsx_response(data, _("我交办的办理情况.xlsx"))


@login_required
@require_POST
def task_done(request, pk: int):
    """办结 a task asked of me or my unit, with what was done."""
    task = selectors.task_get_for(request.user, pk)
    person = person_of(request.user)
    try:
        if person is None:
            raise PermissionError(_("这项事项不是交给您或您所在单位的"))
        actions.task_report_done(
            task=task, person=person, reply=request.POST.get("reply", ""), by=request.user
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return render(
            request,
            "workload/task.html",
            {"task": task, "now": timezone.now(), "errors": exc.messages, "can_finish": True},
            status=400,
        )
    if task.kind == TaskKind.NOTICE:  # read from the inbox's list: back to the list
        messages.success(request, _("已阅：%(subject)s") % {"subject": task.subject})
        return redirect("workload:inbox")
    messages.success(request, _("已办结"))
    return redirect("workload:task", pk=task.pk)


def _dataset_request(request, key: str | None = None):
    """平台数据 for a sender: the dataset asked for (404 if unknown) and the region within scope."""
    _sender(request)
    dataset = None
    if key is not None:
        dataset = datasets.DATASETS.get(key)
        if dataset is None:
            raise Http404(_("没有这项平台数据"))
    code = request.GET.get("region") or ""
    region = region_get_for(request.user, code) if code else None
    try:
        return dataset, region, datasets.region_code(request.user, region)
    except PermissionError as exc:  # a sender without an area
        raise PermissionDenied(str(exc)) from exc


@login_required
def data_index(request):
    """一表通: what upper units can read here instead of asking the townships."""
    _dataset, region, _code = _dataset_request(request)
    return render(
        request,
        "workload/data.html",
        {
            "datasets": datasets.DATASETS.values(),
            "region": region,
            "regions": _area_regions(request.user),
        },
    )


@login_required
def data_table(request, key: str):
    dataset, region, code = _dataset_request(request, key)
    header, rows = dataset.build(request.user, code)
    return render(
        request,
        "workload/data_table.html",
        {
            "dataset": dataset,
            "header": header,
            "rows": [list(zip(header, row, strict=True)) for row in rows],
            "region": region,
            "regions": _area_regions(request.user),
        },
    )


@login_required
def data_export(request, key: str):
    dataset, region, code = _dataset_request(request, key)
    header, rows = dataset.build(request.user, code)
    data = workbook_bytes([(str(dataset.title)[:31], [header, *rows])])
    return xlsx_response(data, f"{dataset.key}-{code or 'all'}.xlsx")


def _area_regions(user):
    return regions_for(user).filter(level__in=[Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY])
