"""The dashboard: indicators, charts by category and status, overdue list, map, Excel export."""

import datetime as dt
import itertools
import json

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from jiceng.core.tables import workbook_bytes
from jiceng.core.views import xlsx_response
from jiceng.org.scope import scope_code
from jiceng.org.selectors import intake_outline

from . import indicators, selectors
from .errors import Invalid
from .models import OPEN_STATUSES, Status


def period_bounds(start: str | None, end: str | None) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) as aware datetimes from YYYY-MM-DD; the end date is included."""
    today = timezone.localdate()
    try:
        lo = dt.date.fromisoformat(start) if start else today.replace(day=1)
        hi = dt.date.fromisoformat(end) if end else today
    except ValueError as exc:
        raise Invalid("日期格式应为 YYYY-MM-DD") from exc
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(lo, dt.time.min, tz),
        dt.datetime.combine(hi + dt.timedelta(days=1), dt.time.min, tz),
    )


def _data(request):
    code = scope_code(request.user)
    if code is None:
        raise Http404("无权查看")
    try:
        lo, hi = period_bounds(request.GET.get("start"), request.GET.get("end"))
    except Invalid:
        lo, hi = period_bounds(None, None)
    cases = selectors.cases_for(request.user, since=lo, until=hi)
    by_cat = list(cases.values("category__name").annotate(n=Count("id")).order_by("-n")[:12])
    by_status = [
        {**row, "label": str(Status(row["status"]).label)}
        for row in cases.values("status").annotate(n=Count("id")).order_by("status")
    ]
    now = timezone.now()
    overdue = list(
        selectors.cases_for(request.user)
        .filter(status__in=OPEN_STATUSES, due_at__lt=now)
        .order_by("due_at")[:50]
    )
    overdue += [
        c
        for c in selectors.cases_for(request.user)
        .filter(
            status__in=OPEN_STATUSES,
            assignments__due_at__lt=now,
            assignments__state__in=["pending", "active"],
        )
        .distinct()[:50]
        if c not in overdue
    ]
    points = list(cases.exclude(lon=None).values("code", "lon", "lat", "status")[:5000])
    return {
        "start": lo.date(),
        "end": (hi - dt.timedelta(days=1)).date(),
        "indicators": indicators.compute(lo, hi, region_code=code or None),
        "by_category": [{"name": r["category__name"] or "未分类", "n": r["n"]} for r in by_cat],
        "by_status": by_status,
        "overdue": overdue,
        "points": points,
        "total": cases.count(),
    }


@login_required
def dashboard(request):
    data = _data(request)
    outline = json.dumps(intake_outline(request.user), ensure_ascii=False)
    return render(request, "cases/dashboard.html", {**data, "outline": outline})


@login_required
def dashboard_json(request):
    data = _data(request)
    data["overdue"] = [c.code for c in data["overdue"]]
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, safe=False)


CASE_HEADERS = [
    "案件编号",
    "状态",
    "类别",
    "乡镇街道",
    "主办单位",
    "上报时间",
    "结案时间",
    "返工次数",
    "智能派单",  # 是: the classifier chose the category and the case went out by itself
]


@login_required
def export_xlsx(request):
    """The cases and the period's indicators, as an Excel workbook (rows streamed).

    From the dashboard: the cases reported in the period. From the case list (its link carries
    `status`): the cases the list's filters select, of any period unless one is given.
    """
    data = _data(request)
    g = request.GET
    try:
        lo, hi = period_bounds(g.get("start"), g.get("end"))
    except Invalid as exc:  # a typed-in address; the page's date fields send valid dates
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    listed = "status" in g
    filters = selectors.list_filters(g) if listed else {}
    if not listed or g.get("start") or g.get("end"):
        filters.update(since=lo, until=hi)
    cases = selectors.cases_for(request.user, **filters).iterator(chunk_size=1000)
    rows = (
        [
            c.code,
            c.get_status_display(),
            c.category.name if c.category_id else "",
            c.township.name,
            c.lead_unit.name if c.lead_unit_id else "",
            timezone.localtime(c.reported_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
            c.reopen_count,
            "是" if c.category_source == "classifier" else "否",
        ]
        for c in cases
    )
    indicators = ([name, v["value"], v["hit"], v["base"]] for name, v in data["indicators"].items())
    sheets = [
        ("案件", itertools.chain([CASE_HEADERS], rows)),
        ("指标", itertools.chain([["指标", "数值", "分子", "分母"]], indicators)),
    ]
    name = f"cases-{timezone.localdate()}" if listed else f"cases-{data['start']}-{data['end']}"
    return xlsx_response(workbook_bytes(sheets), f"{name}.xlsx")
