"""Indicators of DESIGN.md per unit, region and period; each defined once as (numerator, base).

Every indicator is a ratio counted by one conditional aggregate over one table, so a whole
report is two SQL statements (cases, assignments) whatever the number of cases.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import Count, F, FloatField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from .models import Assignment, Case, Role

SATISFACTION_WEIGHTS = {"satisfied": 1.0, "basic": 0.8, "unsatisfied": 0.0}
PUBLIC_WEIGHTS = {"响应率": 0.2, "解决率": 0.4, "满意率": 0.4}


@dataclass(frozen=True)
class Indicator:
    name: str
    table: str  # "case" or "assignment"
    period_field: str  # the instant that puts a row into the period's base
    base: Q
    hit: Q
    complement: bool = False  # 准确派遣率 = 1 − returned / dispatched
    # For "due" bases: a row done inside the period ahead of its deadline also counts.
    done_field: str = ""


INDICATORS = [
    Indicator("立案率", "case", "reported_at", Q(), Q(registered_at__isnull=False)),
    Indicator(
        "准确派遣率",
        "assignment",
        "created_at",
        Q(role=Role.LEAD),
        Q(returned_at__isnull=False),
        complement=True,
    ),
    Indicator(
        "按期处置率",
        "case",
        "handle_due_at",
        Q(),
        Q(handled_at__isnull=False, handled_at__lte=F("handle_due_at")),
        done_field="handled_at",
    ),
    Indicator(
        "结案率", "case", "close_due_at", Q(), Q(closed_at__isnull=False), done_field="closed_at"
    ),
    Indicator(
        "按期结案率",
        "case",
        "close_due_at",
        Q(),
        Q(closed_at__isnull=False, closed_at__lte=F("close_due_at")),
        done_field="closed_at",
    ),
    Indicator("返工率", "case", "handled_at", Q(), Q(reopen_count__gt=0)),
    Indicator("响应率", "case", "rated_at", Q(), Q(responded=True)),
    Indicator("解决率", "case", "rated_at", Q(), Q(solved=True)),
    Indicator(
        "报到及时率",
        "assignment",
        "report_due_at",
        Q(role=Role.ASSIST),
        Q(accepted_at__isnull=False, accepted_at__lte=F("report_due_at")),
    ),
]


def _scope(table: str, region_code: str | None, unit_id: int | None) -> Q:
    prefix = "" if table == "case" else "case__"
    q = Q()
    if region_code:
        q &= Q(**{f"{prefix}region__code__startswith": region_code})
    if unit_id:
        q &= Q(lead_unit_id=unit_id) if table == "case" else Q(unit_id=unit_id)
    return q


def _in(name: str, start, end) -> Q:
    return Q(**{f"{name}__gte": start, f"{name}__lt": end})


def _ratio(hit: int, base: int, complement: bool) -> float | None:
    if not base:
        return None
    r = hit / base
    return round(1 - r if complement else r, 4)


def _satisfaction_expr(start, end):
    weights = getattr(settings, "JICENG_SATISFACTION_WEIGHTS", SATISFACTION_WEIGHTS)

    period = Q(rated_at__gte=start, rated_at__lt=end)
    return Coalesce(
        Sum(
            CaseWhen(
                *[
                    When(period & Q(satisfaction=k), then=Value(float(w)))
                    for k, w in weights.items()
                ],
                default=Value(0.0),
                output_field=FloatField(),
            )
        ),
        Value(0.0),
    )


def compute(
    start: dt.datetime,
    end: dt.datetime,
    *,
    region_code: str | None = None,
    unit_id: int | None = None,
) -> dict:
    """All indicators for [start, end): {name: {"value", "hit", "base"}} plus 满意率 and 综合."""
    out: dict = {}
    for table, model in (("case", Case), ("assignment", Assignment)):
        mine = [i for i in INDICATORS if i.table == table]
        aggs = {}
        for k, ind in enumerate(mine):
            period = _in(ind.period_field, start, end)
            if ind.done_field:
                period |= _in(ind.done_field, start, end)
            aggs[f"b{k}"] = Count("pk", filter=period & ind.base)
            aggs[f"h{k}"] = Count("pk", filter=period & ind.base & ind.hit)
        if table == "case":
            aggs["sat"] = _satisfaction_expr(start, end)
        row = model.objects.filter(_scope(table, region_code, unit_id)).aggregate(**aggs)
        for k, ind in enumerate(mine):
            hit, base = row[f"h{k}"], row[f"b{k}"]
            out[ind.name] = {"value": _ratio(hit, base, ind.complement), "hit": hit, "base": base}
        if table == "case":
            rated = out["响应率"]["base"]
            out["满意率"] = {
                "value": round(row["sat"] / rated, 4) if rated else None,
                "hit": round(row["sat"], 4),
                "base": rated,
            }
    weights = getattr(settings, "JICENG_PUBLIC_WEIGHTS", PUBLIC_WEIGHTS)
    parts = [(out[n]["value"], w) for n, w in weights.items() if out[n]["value"] is not None]
    out["群众评价综合"] = {
        "value": round(sum(v * w for v, w in parts) / sum(w for _, w in parts), 4)
        if parts
        else None,
        "hit": None,
        "base": out["响应率"]["base"],
    }
    return out
