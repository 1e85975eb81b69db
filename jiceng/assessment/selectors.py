"""Reads of assessment, scoped to the caller's area.

An upper unit sees what it and the units below it organise; a township sees the approved items
and the evaluations of its own county (what may assess it), never another county's.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.docfmt import cn_date
from jiceng.org.models import Level, Person, Role, Unit, UnitKind, code_prefixes
from jiceng.org.scope import person_of, scope_code

from . import guards
from .models import (
    Appeal,
    AppealStatus,
    AssessmentItem,
    Direction,
    Evaluation,
    EvaluationRound,
    Inspection,
    InspectionCap,
    ItemStatus,
    Notice,
    Target,
    VetoAuthorization,
)


def items_for(user) -> QuerySet[AssessmentItem]:
    code = scope_code(user)
    if code is None:
        return AssessmentItem.objects.none()
    visible = Q(issuer__region__code__startswith=code) | Q(
        issuer__region__code__in=code_prefixes(code, strict=True), status=ItemStatus.APPROVED
    )
    return (
        AssessmentItem.objects.filter(visible)
        .select_related("issuer", "issuer__region", "veto_authorization", "parent")
        # inspections of units in the caller's area only, like the item's page
        .annotate(
            n_inspections=Count(
                "inspections", filter=Q(inspections__unit__region__code__startswith=code)
            )
        )
        .order_by("-year", "issuer__name", "name", "pk")
    )


def item_get_for(user, pk: int) -> AssessmentItem:
    item = items_for(user).filter(pk=pk).first()
    if item is None:
        raise Http404("未找到，或不在您的管辖范围内")
    return item


def may_issue(user) -> bool:
    return guards.issue_refusal(person_of(user)) is None


def allowed(user, item: AssessmentItem) -> set[str]:
    """What the caller may do to this item now (the page shows only these)."""
    person = person_of(user)
    if person is None:
        return set()
    can = set()
    mine = person.unit_id == item.issuer_id
    if mine and item.status in (ItemStatus.DRAFT, ItemStatus.REJECTED):
        can.add("edit")
    if mine and item.status == ItemStatus.DRAFT:
        can.add("submit")
    if item.status == ItemStatus.SUBMITTED and guards.approve_refusal(person, item) is None:
        can |= {"approve", "reject"}
    if mine and item.status == ItemStatus.APPROVED:
        can |= {"inspect", "decompose", "score"}
    return can


def target_units(item: AssessmentItem) -> QuerySet[Unit]:
    """The units an item may inspect: its target kind, in the townships of the issuer's area."""
    return Unit.objects.filter(
        region__level=Level.TOWNSHIP,
        region__code__startswith=item.issuer.region.code,
        kind__in=guards.TARGET_KINDS[item.target],
    ).select_related("region")


def inspections_of(item: AssessmentItem, user) -> QuerySet[Inspection]:
    """The item's inspections of units in the caller's area: a township sees its own results,
    the organising county all of them."""
    code = scope_code(user)
    if code is None:
        return Inspection.objects.none()
    return (
        item.inspections.filter(unit__region__code__startswith=code)
        .select_related("unit__region", "by", "task", "scored_by")
        .order_by("-on_date", "-id")
    )


def inspection_get_for(user, pk: int) -> Inspection:
    """One inspection with its scores, if its item is visible and its unit is in the area."""
    inspection = (
        Inspection.objects.filter(pk=pk, unit__region__code__startswith=scope_code(user) or "-")
        .select_related("item", "unit", "by", "scored_by", "item__veto_authorization")
        .first()
    )
    if inspection is None or not items_for(user).filter(pk=inspection.item_id).exists():
        raise Http404("未找到，或不在您的管辖范围内")
    return inspection


# the results sheet's own columns (msgids; exported translated, read back in either language)
RESULT_ID = "编号"
RESULT_VETO = "一票否决"
RESULT_VETO_REASON = "否决理由"


def indicator_header(indicator) -> str:
    """An indicator's column in the results sheet: its name and points."""
    return f"{indicator.name}（{indicator.points.normalize():f}）"


def results_sheet(item: AssessmentItem, user) -> list[list]:
    """The item's results in the caller's area as rows of a sheet, header first: one row per
    inspection, one column per indicator. Filled in, it is what `results_import` reads."""
    indicators, rows = results(item, user)
    header = [
        _(RESULT_ID),
        _("被检查单位"),
        _("所属区域"),
        _("日期"),
        _("方式"),
        *(indicator_header(i) for i in indicators),
        _("得分"),
        _(RESULT_VETO),
        _(RESULT_VETO_REASON),
    ]
    body = [
        [
            x.pk,
            x.unit.name,
            x.unit.region.name,
            x.on_date,
            str(x.get_kind_display()),
            *(float(s.score) if s else None for s in r["scores"]),
            float(x.total) if x.total is not None else None,
            str(_("是")) if x.vetoed else None,
            x.veto_reason or None,
        ]
        for r in rows
        for x in [r["inspection"]]
    ]
    return [[str(h) for h in header], *body]


def results(item: AssessmentItem, user) -> tuple[list, list[dict]]:
    """The item's indicators and, per inspection in the caller's area, the score on each
    (None where not scored yet): the results table and its Excel export."""
    indicators = list(item.indicators.all())
    rows = []
    for x in inspections_of(item, user).prefetch_related("scores"):
        got = {s.indicator_id: s for s in x.scores.all()}
        rows.append({"inspection": x, "scores": [got.get(i.pk) for i in indicators]})
    return indicators, rows


# ---- review (复核) and ranking (排名通报) ---------------------------------------------------------


def appeal_of(inspection: Inspection) -> Appeal | None:
    """The inspection's review request, if it has one (at most one: `Appeal` is unique per
    inspection), with the indicators it contests."""
    return (
        Appeal.objects.filter(inspection=inspection)
        .select_related("by", "decided_by", "task")
        .prefetch_related("indicators")
        .first()
    )


def appeal_get(inspection: Inspection) -> Appeal:
    """The inspection's review request, for a step on it (decide, withdraw); 404 without one."""
    appeal = appeal_of(inspection)
    if appeal is None:
        raise Http404(_("本次督查检查考核没有复核申请"))
    return appeal


def appeal_options(person: Person | None, inspection: Inspection, appeal: Appeal | None) -> dict:
    """What the inspection's page offers the caller: to ask for a review (and until when), to
    decide the open one, or to score."""
    may_score = guards.score_refusal(person, inspection.item) is None
    is_open = appeal is not None and appeal.status == AppealStatus.OPEN
    return {
        "may_appeal": guards.appeal_person_refusal(person, inspection) is None
        and guards.appeal_time_refusal(inspection, timezone.now()) is None,
        "appeal_until": guards.appeal_until(inspection),
        "appeal_rule": _(guards.appeal_limits(timezone.localdate(inspection.scored_at)).basis),
        "may_decide": may_score and is_open,
        "may_score": may_score and not is_open,
        "may_withdraw": appeal is not None
        and is_open
        and guards.withdraw_refusal(person, appeal, inspection) is None,
        "overdue": appeal is not None and appeal.overdue(timezone.now()),
    }


def competition_ranks(rows: list[tuple[bool, Decimal]]) -> list[int]:
    """Standard competition ranks (1, 2, 2, 4) of (vetoed, total) pairs sorted best first: equal
    totals share a rank, and every vetoed result shares the last place, whatever its total."""
    ranks: list[int] = []
    for n, (vetoed, total) in enumerate(rows, 1):
        if ranks and rows[n - 2][0] == vetoed and (vetoed or rows[n - 2][1] == total):
            ranks.append(ranks[-1])
        else:
            ranks.append(n)
    return ranks


def ranking(item: AssessmentItem, user) -> dict:
    """The item's scored inspections in the caller's area, ranked by total among all the item's
    scored inspections (a vetoed result last, with 一票否决; equal totals share a rank), so that a
    township sees its own place, not first of one. With how many in the area are scored and not
    yet, their mean total and the reviews still open: while any is, the ranking is provisional.
    The item's page, its results.xlsx, the 通报 export and the API all read this."""
    every = sorted(
        (
            (vetoed, total, pk)
            for vetoed, total, pk in item.inspections.values_list("vetoed", "total", "pk")
            if total is not None
        ),
        key=lambda r: (r[0], -r[1]),
    )
    place = dict(
        zip(
            (pk for _v, _t, pk in every),
            competition_ranks([(vetoed, total) for vetoed, total, _pk in every]),
            strict=True,
        )
    )
    inspections = list(inspections_of(item, user).prefetch_related("appeals"))
    scored = [x for x in inspections if x.pk in place]
    scored.sort(key=lambda x: (place[x.pk], x.unit.name, x.pk))
    rows = [
        {"rank": place[x.pk], "inspection": x, "appeal": next(iter(x.appeals.all()), None)}
        for x in scored
    ]
    totals = [x.total for x in scored if x.total is not None]
    open_appeals = sum(
        1 for x in inspections for a in x.appeals.all() if a.status == AppealStatus.OPEN
    )
    return {
        "rows": rows,
        "ranked": len(every),
        "scored": len(scored),
        "unscored": len(inspections) - len(scored),
        "mean": (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.1"))
        if totals
        else None,
        "appeals_open": open_appeals,
    }


def ranking_sheet(board: dict) -> list[list]:
    """The ranking as rows of a sheet, header first, then how many are scored and the mean."""
    header = [_("排名"), _("被检查单位"), _("所属区域"), _("日期"), _("方式"), _("得分")]
    header += [_(RESULT_VETO), _("复核")]
    body = [
        [
            r["rank"],
            x.unit.name,
            x.unit.region.name,
            x.on_date,
            str(x.get_kind_display()),
            float(x.total),
            str(_("是")) if x.vetoed else None,
            str(r["appeal"].get_status_display()) if r["appeal"] else None,
        ]
        for r in board["rows"]
        for x in [r["inspection"]]
    ]
    mean = float(board["mean"]) if board["mean"] is not None else None
    summary = [
        [str(_("已评分")), board["scored"]],
        [str(_("未评分")), board["unscored"]],
        [str(_("平均分")), mean],
    ]
    return [[str(h) for h in header], *body, [], *summary]


def notice_of(item: AssessmentItem) -> Notice | None:
    """The item's 通报 as issued, if it was (at most one)."""
    return Notice.objects.filter(item=item).select_related("issued_by").first()


def notice_changed(notice: Notice | None, board: dict) -> bool:
    """Whether a place or score in the caller's ranking differs from the 通报 as issued (a result
    scored again, or after a review asked later): the 通报 keeps the places of its day."""
    if notice is None:
        return False
    issued = {r["inspection"]: (r["rank"], r["total"], r["vetoed"]) for r in notice.ranks}
    return any(
        issued.get(x.pk) != (r["rank"], str(x.total), x.vetoed)
        for r in board["rows"]
        for x in [r["inspection"]]
    )


def notice_options(user, item: AssessmentItem, board: dict, notice: Notice | None) -> dict:
    """What the item's page offers about the 通报: to issue it, or why not yet."""
    may = guards.notice_refusal(person_of(user), item) is None
    return {
        "may_issue_notice": may and notice is None,
        "notice_refusals": guards.notice_state_refusals(item, board, notice) if may else [],
        "notice_changed": notice_changed(notice, board),
    }


def notice_sheet(
    item: AssessmentItem, board: dict, day: dt.date, notice: Notice | None = None
) -> list[list]:
    """The 通报 of an item's ranking: its name, 批准文号, and once issued its 通报文号 and date
    (before, today's date), over the ranking, and a warning while reviews are open (the ranking
    is then provisional)."""
    head: list[list] = [
        [str(_("%(name)s 考核结果通报") % {"name": item.name})],
        [str(_("批准文号")), item.approval_document or "—"],
    ]
    if notice is not None:
        head.append([str(_("通报文号")), notice.document])
    head.append([str(_("通报日期")), notice.issued_on if notice else day])
    if board["ranked"] != board["scored"]:
        head.append(
            [str(_("名次按本事项全部已评分结果（共%(n)s个）排定") % {"n": board["ranked"]})]
        )
    if board["appeals_open"]:
        head.append([str(_("复核未结，排名为暂定")), board["appeals_open"]])
    if notice_changed(notice, board):
        head.append([str(_("通报印发后结果有变更，下表为当前排名"))])
    return [*head, [], *ranking_sheet(board)]


def notice_document(item: AssessmentItem, user) -> dict:
    """The 通报 as issued, laid out as a document (公文): the issuer, 文号, title, the units it
    is addressed to, and the places and scores of its day (`Notice.ranks`), not today's. Only
    the rows of units in the caller's area: a township reads its own place among all. Http404
    before the 通报 is issued."""
    notice = notice_of(item)
    if notice is None:
        raise Http404(_("本事项尚未印发考核结果通报"))
    shown = {x.pk: x for x in inspections_of(item, user)}
    rows = [
        {
            "rank": r["rank"],
            "inspection": shown[r["inspection"]],
            "total": f"{Decimal(r['total']).normalize():f}",
            "vetoed": r["vetoed"],
        }
        for r in notice.ranks
        if r["inspection"] in shown
    ]
    units = sorted({r["inspection"].unit for r in rows}, key=lambda u: (u.region.code, u.name))
    days = [r["inspection"].on_date for r in rows]
    return {
        "notice": notice,
        "title": f"关于{item.name}结果的通报",  # the document is Chinese, like the 执法文书
        "addressees": "、".join(u.name for u in units),
        "rows": rows,
        "ranked": len(notice.ranks),
        "partial": len(rows) < len(notice.ranks),
        "vetoed": sum(1 for r in rows if r["vetoed"]),
        "first_day": cn_date(min(days)) if days else None,
        "last_day": cn_date(max(days)) if days else None,
        "issued_on": cn_date(notice.issued_on),
        "changed": notice_changed(notice, ranking(item, user)),
    }


def year_summary(user, year: int) -> dict:
    """年度考核结果汇总: each unit in the caller's area scored under an approved item of the year,
    with its score and place in every such item (the place of the item's ranking: among all its
    scored results, so a township sees where it stands), one column per item. The items differ
    in indicators, weights and method, so there is no total and no overall place."""
    columns: list[dict] = []
    cells: dict[tuple[int, int], list[dict]] = {}
    units: dict[int, Unit] = {}
    for item in items_for(user).filter(year=year, status=ItemStatus.APPROVED):
        board = ranking(item, user)
        if not board["rows"]:
            continue
        columns.append({"item": item, "ranked": board["ranked"]})
        for r in board["rows"]:
            x = r["inspection"]
            units[x.unit_id] = x.unit
            cells.setdefault((x.unit_id, item.pk), []).append(
                {
                    "rank": r["rank"],
                    "total": f"{x.total.normalize():f}",
                    "vetoed": x.vetoed,
                    "pk": x.pk,
                }
            )
    rows = [
        {
            "unit": u,
            "cells": [{"column": c, "found": cells.get((u.pk, c["item"].pk), [])} for c in columns],
        }
        for u in sorted(units.values(), key=lambda u: (u.region.code, u.name))
    ]
    return {"year": year, "columns": columns, "rows": rows}


def year_summary_sheet(summary: dict) -> list[list]:
    """The summary as a sheet: one row per unit, one column per item, "93.5（第2名/共8个）"."""

    def shown(cell: dict) -> str:
        return "；".join(
            _("%(total)s（第%(rank)s名/共%(n)s个）")
            % {
                "total": _("一票否决") if x["vetoed"] else x["total"],
                "rank": x["rank"],
                "n": cell["column"]["ranked"],
            }
            for x in cell["found"]
        )

    header = [str(_("单位")), str(_("所属区域")), *(c["item"].name for c in summary["columns"])]
    body = [
        [
            r["unit"].name,
            r["unit"].region.name,
            *(shown(cell) for cell in r["cells"]),
        ]
        for r in summary["rows"]
    ]
    note = [str(_("各考核事项的指标、分值和方法不同，不合计得分，不排总名次"))]
    return [header, *body, [], note]


def veto_authorizations(day: dt.date | None = None) -> list[VetoAuthorization]:
    rows = list(VetoAuthorization.objects.all())
    return [a for a in rows if day is None or a.in_force(day)]


def vetoes_with_items(user) -> list[dict]:
    """Every authorisation (they are law, not regional data) with the items in the caller's
    area that rely on it."""
    using: dict[int | None, list[AssessmentItem]] = {}
    for item in items_for(user).filter(veto_authorization__isnull=False):
        using.setdefault(item.veto_authorization_id, []).append(item)
    today = timezone.localdate()
    return [
        {"auth": a, "in_force": a.in_force(today), "items": using.get(a.pk, [])}
        for a in VetoAuthorization.objects.order_by("-effective_from", "matter")
    ]


def caps_table(user, year: int) -> list[dict]:
    """Every township government and station in scope: inspections received this year against
    its cap. A fixed number of queries for the counts and the caps, whatever the number of units."""
    code = scope_code(user)
    if code is None:
        return []
    units = list(
        Unit.objects.filter(region__level=Level.TOWNSHIP, region__code__startswith=code)
        .filter(kind__in=[k for kinds in guards.TARGET_KINDS.values() for k in kinds])
        .select_related("region")
        .order_by("region__code", "kind", "name")
    )
    used = guards.inspections_used([u.pk for u in units], year)
    caps = list(InspectionCap.objects.filter(year=year).select_related("region"))
    rows = []
    for unit in units:
        target = guards.target_of(unit) or ""
        cap = guards.most_specific_cap(caps, unit, target)
        n = used.get(unit.pk, 0)
        rows.append(
            {
                "unit": unit,
                "target": Target(target).label if target else "",
                "used": n,
                "cap": cap,
                "left": None if cap is None else max(cap.limit - n, 0),
                "full": cap is not None and n >= cap.limit,
            }
        )
    return rows


def caps_set_for(user) -> list[InspectionCap]:
    code = scope_code(user)
    if code is None:
        return []
    return list(
        InspectionCap.objects.filter(
            Q(region__code__startswith=code) | Q(region__code__in=code_prefixes(code, strict=True))
        ).select_related("region")
    )


# ---- two-way evaluation -------------------------------------------------------------------


def rounds_for(user) -> QuerySet[EvaluationRound]:
    code = scope_code(user)
    if code is None:
        return EvaluationRound.objects.none()
    return (
        EvaluationRound.objects.filter(
            Q(county__code__startswith=code) | Q(county__code__in=code_prefixes(code, strict=True))
        )
        .select_related("county", "opened_by")
        .annotate(n_scores=Count("scores"))
    )


def round_get_for(user, pk: int) -> EvaluationRound:
    rnd = rounds_for(user).filter(pk=pk).first()
    if rnd is None:
        raise Http404("未找到，或不在您的管辖范围内")
    return rnd


def _county_units(rnd: EvaluationRound) -> QuerySet[Unit]:
    return Unit.objects.filter(
        region=rnd.county, kind__in=[UnitKind.DEPARTMENT, UnitKind.GOVERNMENT]
    )


def _township_governments(rnd: EvaluationRound) -> QuerySet[Unit]:
    return Unit.objects.filter(
        region__level=Level.TOWNSHIP,
        region__code__startswith=rnd.county.code,
        kind=UnitKind.GOVERNMENT,
    )


def raters_and_ratees(rnd: EvaluationRound) -> tuple[list[Unit], list[Unit]]:
    """县评乡: the county's government and departments rate each township government;
    乡评县: each township government rates the county's departments."""
    townships = list(_township_governments(rnd).order_by("region__code"))
    if rnd.direction == Direction.COUNTY_RATES_TOWNSHIP:
        return list(_county_units(rnd).order_by("kind", "name")), townships
    departments = list(_county_units(rnd).filter(kind=UnitKind.DEPARTMENT).order_by("name"))
    return townships, departments


def may_close(person: Person | None, rnd: EvaluationRound) -> bool:
    """The one who opened a round closes it (or a platform administrator)."""
    return person is not None and (
        person.pk == rnd.opened_by_id or person.has_role(Role.PLATFORM_ADMIN)
    )


def may_open_rounds(user) -> bool:
    """Who sets caps and opens evaluations: county-level administrators and assessors (for their
    own area, `guards.manages`) and platform administrators."""
    person = person_of(user)
    if person is None:
        return False
    region = person.region
    return person.has_role(Role.PLATFORM_ADMIN) or (
        region is not None
        and region.level in guards.UPPER_LEVELS
        and guards.manages(person, region)
    )


def round_results(rnd: EvaluationRound, person: Person | None) -> dict:
    """Per ratee: mean, lowest and highest score and how many raters have scored; the caller's
    own scores; which raters have not finished. Individual scores of other raters are not shown."""
    raters, ratees = raters_and_ratees(rnd)
    stats = {
        row["ratee"]: row
        for row in Evaluation.objects.filter(round=rnd)
        .values("ratee")
        .annotate(mean=Avg("score"), low=Min("score"), high=Max("score"), n=Count("id"))
    }
    done = Counter(Evaluation.objects.filter(round=rnd).values_list("rater", flat=True))
    mine = {}
    if person is not None and person.unit_id is not None:
        mine = {
            e.ratee_id: e for e in Evaluation.objects.filter(round=rnd, rater_id=person.unit_id)
        }
    rows: list[dict[str, Any]] = []
    for unit in ratees:
        s = stats.get(unit.pk)
        rows.append(
            {
                "unit": unit,
                "mean": round(s["mean"], 1) if s else None,
                "low": s["low"] if s else None,
                "high": s["high"] if s else None,
                "n": s["n"] if s else 0,
                "mine": mine.get(unit.pk),
                "rank": None,
            }
        )
    rows.sort(key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["unit"].name))
    scored = [r for r in rows if r["mean"] is not None]
    for r, rank in zip(
        scored, competition_ranks([(False, r["mean"]) for r in scored]), strict=True
    ):
        r["rank"] = rank  # equal means share a place; a unit nobody has scored has none
    pending = [u for u in raters if done.get(u.pk, 0) < len(ratees)]
    i_rate = person is not None and person.unit_id in {u.pk for u in raters}
    return {"rows": rows, "raters": raters, "pending": pending, "i_rate": i_rate}
