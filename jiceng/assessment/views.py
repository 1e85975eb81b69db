"""Pages of assessment: items and their approval, inspections, yearly caps, two-way evaluation."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.inputs import date_or_none, int_or_none
from jiceng.core.tables import workbook_bytes
from jiceng.core.views import xlsx_response
from jiceng.org.models import Region, Role
from jiceng.org.scope import person_of, scope_code
from jiceng.org.selectors import region_get_for

from . import actions, guards, selectors
from .models import Direction, InspectionKind, Target, VetoAuthorization

MAX_RESULTS_BYTES = 5 * 1024 * 1024  # an uploaded sheet (indicators or results)


def _year(raw: str | None) -> int:
    year = int_or_none(raw)
    return year if year and 1000 <= year <= 9999 else timezone.localdate().year


@login_required
def index(request):
    items = list(selectors.items_for(request.user)[:500])
    return render(
        request,
        "assessment/index.html",
        {"items": items, "may_issue": selectors.may_issue(request.user)},
    )


def _veto(raw: str | None) -> VetoAuthorization | None:
    pk = int_or_none(raw)
    return VetoAuthorization.objects.filter(pk=pk).first() if pk else None


def _item_form(request, item=None):
    """新建 or 修改: one form, indicators as lines "名称｜分值｜评分方法｜权力代码"."""
    errors: list[str] = []
    if request.method == "POST":
        p = request.POST
        indicators: str | list[dict] = p.get("indicators", "")
        sheet = request.FILES.get("indicator_sheet")
        common = {
            "person": person_of(request.user),
            "name": p.get("name", ""),
            "target": p.get("target", ""),
            "basis": p.get("basis", ""),
            "one_vote_veto": p.get("one_vote_veto") == "on",
            "veto_authorization": _veto(p.get("veto_authorization")),
            "by": request.user,
        }
        try:
            if sheet is not None:  # a sheet of indicators stands in for the lines
                if sheet.size > MAX_RESULTS_BYTES:
                    raise ValidationError(_("表格不能超过5 MB"))
                indicators = guards.indicators_from_sheet(sheet.name, sheet.read())
            if item is None:
                item = actions.item_create(
                    year=_year(p.get("year")), indicators=indicators, **common
                )
            else:
                actions.item_update(item=item, indicators=indicators, **common)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已保存为草稿，确认无误后请报批"))
            return redirect("assessment:item", pk=item.pk)
        form = request.POST
    elif item is not None:
        form = {
            "name": item.name,
            "year": item.year,
            "target": item.target,
            "basis": item.basis,
            "one_vote_veto": "on" if item.one_vote_veto else "",
            "veto_authorization": str(item.veto_authorization_id or ""),
            "indicators": "\n".join(
                "｜".join([i.name, f"{i.points.normalize():f}", i.method, i.power_code]).rstrip(
                    "｜"
                )
                for i in item.indicators.all()
            ),
        }
    else:
        form = {"year": timezone.localdate().year}
    return render(
        request,
        "assessment/item_form.html",
        {
            "item": item,
            "form": form,
            "errors": errors,
            "targets": Target.choices,
            "vetoes": selectors.veto_authorizations(),
        },
        status=400 if errors else 200,
    )


@login_required
def item_new(request):
    refused = actions.guards.issue_refusal(person_of(request.user))
    if refused:
        raise PermissionDenied(refused)
    return _item_form(request)


@login_required
def item_edit(request, pk: int):
    item = selectors.item_get_for(request.user, pk)
    if "edit" not in selectors.allowed(request.user, item):
        raise PermissionDenied(_("只有组织单位可以修改草稿；已报批或已批准的事项指标已冻结"))
    return _item_form(request, item)


def _detail(request, item, errors=(), status=200):
    can = selectors.allowed(request.user, item)
    board, notice = selectors.ranking(item, request.user), selectors.notice_of(item)
    return render(
        request,
        "assessment/item.html",
        {
            "item": item,
            "indicators": list(item.indicators.all()),
            "intact": item.indicators_intact(),
            "inspections": list(selectors.inspections_of(item, request.user)[:500]),
            "parts": list(item.parts.all()),
            "board": board,
            "notice": notice,
            **selectors.notice_options(request.user, item, board, notice),
            "can": can,
            "units": list(selectors.target_units(item)) if "inspect" in can else [],
            "kinds": InspectionKind.choices,
            "today": timezone.localdate(),
            "errors": list(errors),
        },
        status=status,
    )


@login_required
def item_detail(request, pk: int):
    return _detail(request, selectors.item_get_for(request.user, pk))


def _act(request, pk: int, step, done: str):
    """Run one step on an item: 403 with the reason for the wrong person, the page again with the
    reasons (400) for anything the item breaks; nothing is changed either way."""
    item = selectors.item_get_for(request.user, pk)
    try:
        result = step(item, person_of(request.user), request.POST)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        item = selectors.item_get_for(request.user, pk)
        return _detail(request, item, exc.messages, status=400)
    messages.success(request, done)
    return redirect("assessment:item", pk=getattr(result, "pk", None) or item.pk)


@login_required
@require_POST
def item_submit(request, pk: int):
    return _act(
        request,
        pk,
        lambda item, person, p: actions.item_submit(item=item, person=person, by=request.user),
        _("已报批，等待审批"),
    )


@login_required
@require_POST
def item_approve(request, pk: int):
    return _act(
        request,
        pk,
        lambda item, person, p: actions.item_approve(
            item=item,
            person=person,
            document=p.get("document", ""),
            note=p.get("note", ""),
            by=request.user,
        ),
        _("已批准，指标已冻结"),
    )


@login_required
@require_POST
def item_reject(request, pk: int):
    return _act(
        request,
        pk,
        lambda item, person, p: actions.item_reject(
            item=item, person=person, note=p.get("note", ""), by=request.user
        ),
        _("已退回，不予批准"),
    )


@login_required
@require_POST
def item_decompose(request, pk: int):
    return _act(
        request,
        pk,
        lambda item, person, p: actions.item_decompose(
            parent=item,
            person=person,
            name=p.get("name", ""),
            indicator_ids=[v for v in map(int_or_none, p.getlist("indicator")) if v],
            by=request.user,
        ),
        _("已分解为新草稿，须重新报批后方可开展"),
    )


def _date(raw: str) -> dt.date:
    day = date_or_none(raw)
    if day is None:
        raise ValidationError(_("日期的格式应为 年-月-日"))
    return day


@login_required
@require_POST
def item_inspect(request, pk: int):
    def step(item, person, p):
        wanted = {v for v in map(int_or_none, p.getlist("unit")) if v}
        units = [u for u in selectors.target_units(item) if u.pk in wanted]
        actions.inspections_record(
            item=item,
            person=person,
            units=units,
            kind=p.get("kind", ""),
            on_date=_date(p.get("on_date", "")),
            note=p.get("note", ""),
            by=request.user,
        )
        return item

    return _act(request, pk, step, _("已登记，并已进入被检查单位的待办"))


def _score_rows(post, indicators) -> list[dict]:
    return [
        {
            "indicator": i.pk,
            "score": post.get(f"score_{i.pk}", ""),
            "note": post.get(f"note_{i.pk}", ""),
        }
        for i in indicators
    ]


def _inspection_page(request, inspection, errors=(), status=200):
    item = inspection.item
    indicators = list(item.indicators.all())
    got = {s.indicator_id: s for s in inspection.scores.all()}
    posted = request.POST if errors else {}
    rows = [
        {
            "indicator": i,
            "score": posted.get(f"score_{i.pk}") if posted else getattr(got.get(i.pk), "score", ""),
            "note": posted.get(f"note_{i.pk}") if posted else getattr(got.get(i.pk), "note", ""),
        }
        for i in indicators
    ]
    appeal = selectors.appeal_of(inspection)
    return render(
        request,
        "assessment/inspection.html",
        {
            "x": inspection,
            "item": item,
            "rows": rows,
            "appeal": appeal,
            "contested": {i.pk for i in appeal.indicators.all()} if appeal else set(),
            **selectors.appeal_options(person_of(request.user), inspection, appeal),
            "posted": posted,
            "errors": list(errors),
        },
        status=status,
    )


@login_required
def inspection_detail(request, pk: int):
    """One inspection's result: the inspected unit sees its scores and may ask for a review, the
    organiser records them and decides the review."""
    return _inspection_page(request, selectors.inspection_get_for(request.user, pk))


def _on_inspection(request, pk: int, step, done: str):
    """Run one step on an inspection: 403 with the reason for the wrong person, the page again
    with the reasons (400) for anything else; nothing is changed either way."""
    inspection = selectors.inspection_get_for(request.user, pk)
    try:
        step(inspection, person_of(request.user), request.POST)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return _inspection_page(request, inspection, exc.messages, status=400)
    messages.success(request, done)
    return redirect("assessment:inspection", pk=inspection.pk)


@login_required
@require_POST
def inspection_score(request, pk: int):
    return _on_inspection(
        request,
        pk,
        lambda x, person, p: actions.inspection_score(
            inspection=x,
            person=person,
            scores=_score_rows(p, x.item.indicators.all()),
            vetoed=p.get("vetoed") == "on",
            veto_reason=p.get("veto_reason", ""),
            by=request.user,
        ),
        _("评分已保存"),
    )


@login_required
@require_POST
def appeal_create(request, pk: int):
    """The inspected unit asks for a review (复核) of its result."""
    return _on_inspection(
        request,
        pk,
        lambda x, person, p: actions.appeal_create(
            inspection=x,
            person=person,
            indicator_ids=p.getlist("indicator"),
            reasons=p.get("reasons", ""),
            by=request.user,
        ),
        _("已申请复核，已进入组织单位的待办"),
    )


def _decide(request, x, person, p):
    appeal = selectors.appeal_get(x)
    outcome = p.get("outcome", "")
    actions.appeal_decide(
        appeal=appeal,
        person=person,
        outcome=outcome,
        decision=p.get("decision", ""),
        scores=_score_rows(p, x.item.indicators.all()) if outcome == "changed" else (),
        vetoed=p.get("vetoed") == "on",
        veto_reason=p.get("veto_reason", ""),
        by=request.user,
    )


@login_required
@require_POST
def appeal_decide(request, pk: int):
    """The organiser decides the review: 维持 or 变更 (with the scores on the form)."""
    return _on_inspection(
        request,
        pk,
        lambda x, person, p: _decide(request, x, person, p),
        _("复核已办结，结果已送达被检查单位的待办"),
    )


@login_required
@require_POST
def appeal_withdraw(request, pk: int):
    """The one who asked, or a leader of the unit, withdraws the open review request."""

    def withdraw(x, person, p):
        actions.appeal_withdraw(
            appeal=selectors.appeal_get(x),
            person=person,
            reason=p.get("reason", ""),
            by=request.user,
        )

    return _on_inspection(request, pk, withdraw, _("复核申请已撤回"))


@login_required
@require_POST
def notice_issue(request, pk: int):
    """The organiser issues the 通报 of the item's ranking; each ranked unit is told its place."""

    def issue(item, person, p):
        actions.notice_issue(
            item=item, person=person, document=p.get("document", ""), by=request.user
        )
        return item  # back to the item's page (not the 通报's own number)

    return _act(request, pk, issue, _("通报已印发，各被检查单位已在待办中收到本单位的名次和得分"))


@login_required
def results_export(request, pk: int):
    """The item's results in the caller's area as a sheet, one row per inspection; the
    organiser fills in the scores and uploads it again (`results_import`)."""
    item = selectors.item_get_for(request.user, pk)
    data = workbook_bytes(
        [
            (str(_("考核结果")), selectors.results_sheet(item, request.user)),
            (str(_("排名")), selectors.ranking_sheet(selectors.ranking(item, request.user))),
        ]
    )
    return xlsx_response(data, f"{item.year}-{item.name}-{_('考核结果')}.xlsx")


@login_required
def notice_export(request, pk: int):
    """通报: the item's ranking in the caller's area, with its 文号 and date, as a sheet."""
    item = selectors.item_get_for(request.user, pk)
    today = timezone.localdate()
    board = selectors.ranking(item, request.user)
    rows = selectors.notice_sheet(item, board, today, selectors.notice_of(item))
    data = workbook_bytes([(str(_("通报")), rows)])
    name = _("排名通报")
    return xlsx_response(data, f"{item.year}-{item.name}-{name}.xlsx")


@login_required
def notice_document(request, pk: int):
    """The 通报 as issued, as a document to print: the places of its day, in the caller's area."""
    item = selectors.item_get_for(request.user, pk)
    if selectors.notice_of(item) is None:
        messages.warning(request, _("本事项尚未印发考核结果通报"))
        return redirect("assessment:item", pk=item.pk)
    doc = selectors.notice_document(item, request.user)
    return render(request, "assessment/notice_document.html", {"item": item, "doc": doc})


@login_required
@require_POST
def results_import(request, pk: int):
    """Scores for many units at once from the filled-in results sheet: all rows or none."""
    item = selectors.item_get_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _detail(request, item, [_("请选择要上传的表格")], status=400)
    if upload.size > MAX_RESULTS_BYTES:
        return _detail(request, item, [_("表格不能超过5 MB")], status=400)
    try:
        n = actions.results_import(
            item=item,
            person=person_of(request.user),
            filename=upload.name,
            data=upload.read(),
            by=request.user,
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return _detail(request, item, exc.messages, status=400)
    messages.success(request, _("已导入%(n)d个单位的评分") % {"n": n})
    return redirect("assessment:item", pk=item.pk)


# ---- one-vote-veto authorisations ---------------------------------------------------------


@login_required
def vetoes(request):
    """The matters a one-vote veto is authorised on, with the items relying on each; platform
    administrators add and end them here."""
    person = person_of(request.user)
    is_admin = person is not None and person.has_role(Role.PLATFORM_ADMIN)
    errors: list[str] = []
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied(_("一票否决授权由平台管理员依据法律法规和省级文件登记"))
        p = request.POST
        try:
            actions.veto_authorization_add(
                matter=p.get("matter", ""),
                authority=p.get("authority", ""),
                document=p.get("document", ""),
                effective_from=_date(p.get("effective_from", "")),
                effective_to=_date(p["effective_to"]) if p.get("effective_to") else None,
                person=person,
                by=request.user,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("一票否决授权已登记"))
            return redirect("assessment:vetoes")
    return render(
        request,
        "assessment/vetoes.html",
        {
            "rows": selectors.vetoes_with_items(request.user),
            "today": timezone.localdate(),
            "is_admin": is_admin,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def veto_end(request, pk: int):
    auth = get_object_or_404(VetoAuthorization, pk=pk)
    try:
        actions.veto_authorization_end(
            authorization=auth,
            effective_to=_date(request.POST.get("effective_to", "")),
            person=person_of(request.user),
            by=request.user,
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已设定失效日期"))
    return redirect("assessment:vetoes")


@login_required
def caps(request):
    """督查检查考核年度上限: what each township and station has received this year."""
    year = _year(request.GET.get("year"))
    settable = []
    if selectors.may_open_rounds(request.user):
        code = scope_code(request.user) or ""
        settable = list(
            Region.objects.filter(code__startswith=code, level="county").order_by("code")[:200]
        )
    return render(
        request,
        "assessment/caps.html",
        {
            "year": year,
            "rows": selectors.caps_table(request.user, year),
            "caps": selectors.caps_set_for(request.user),
            "settable": settable,
            "targets": Target.choices,
        },
    )


@login_required
@require_POST
def cap_set(request):
    p = request.POST
    region = region_get_for(request.user, p.get("region", ""))
    limit = int_or_none(p.get("limit"))
    try:
        actions.cap_set(
            region=region,
            year=_year(p.get("year")),
            target=p.get("target", ""),
            limit=-1 if limit is None else limit,
            document=p.get("document", ""),
            person=person_of(request.user),
            by=request.user,
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("年度上限已设定"))
    return redirect(f"{reverse('assessment:caps')}?year={_year(p.get('year'))}")


@login_required
def summary(request):
    """年度考核结果汇总: each unit's score and place in every item of the year, in the area."""
    year = _year(request.GET.get("year"))
    return render(
        request,
        "assessment/summary.html",
        {"year": year, "summary": selectors.year_summary(request.user, year)},
    )


@login_required
def summary_export(request):
    year = _year(request.GET.get("year"))
    rows = selectors.year_summary_sheet(selectors.year_summary(request.user, year))
    data = workbook_bytes([(str(_("考核结果汇总")), rows)])
    return xlsx_response(data, f"{year}-{_('考核结果汇总')}.xlsx")


@login_required
def caps_export(request):
    year = _year(request.GET.get("year"))
    rows = [
        [
            _("单位"),
            _("所属区域"),
            _("考核对象"),
            _("已接受次数"),
            _("年度上限"),
            _("剩余"),
            _("依据文件"),
        ],
        *(
            [
                r["unit"].name,
                r["unit"].region.name,
                str(r["target"]),
                r["used"],
                r["cap"].limit if r["cap"] else "",
                r["left"] if r["left"] is not None else "",
                r["cap"].document if r["cap"] else "",
            ]
            for r in selectors.caps_table(request.user, year)
        ),
    ]
    data = workbook_bytes([(str(_("年度上限")), rows)])
    return xlsx_response(data, f"inspection-caps-{scope_code(request.user) or 'all'}-{year}.xlsx")


# ---- two-way evaluation -------------------------------------------------------------------


@login_required
def rounds(request):
    person = person_of(request.user)
    counties = []
    if selectors.may_open_rounds(request.user):
        code = scope_code(request.user) or ""
        counties = list(Region.objects.filter(level="county", code__startswith=code)[:200])
    if request.method == "POST":
        if not counties:
            raise PermissionDenied(_("只有本县（区）的县级管理员或考核人员可以发起双向考核评议"))
        county = region_get_for(request.user, request.POST.get("county", ""))
        try:
            rnd = actions.round_open(
                county=county,
                year=_year(request.POST.get("year")),
                direction=request.POST.get("direction", ""),
                person=person,
                by=request.user,
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("assessment:rounds")
        messages.success(request, _("已发起评议"))
        return redirect("assessment:round", pk=rnd.pk)
    return render(
        request,
        "assessment/rounds.html",
        {
            "rounds": list(selectors.rounds_for(request.user)[:200]),
            "counties": counties,
            "directions": Direction.choices,
            "year": timezone.localdate().year,
        },
    )


def _round_page(request, rnd, errors=(), status=200):
    person = person_of(request.user)
    return render(
        request,
        "assessment/round.html",
        {
            "rnd": rnd,
            "results": selectors.round_results(rnd, person),
            "may_close": selectors.may_close(person, rnd),
            "errors": list(errors),
        },
        status=status,
    )


@login_required
def round_detail(request, pk: int):
    return _round_page(request, selectors.round_get_for(request.user, pk))


@login_required
def round_export(request, pk: int):
    """The round's results as on its page (ranked means, never one rater's score), and the rater
    units that have not finished."""
    rnd = selectors.round_get_for(request.user, pk)
    results = selectors.round_results(rnd, person_of(request.user))
    header = [_("排名"), _("被评议单位"), _("平均分"), _("最低"), _("最高"), _("已评单位数")]
    rows = [
        [r["rank"], r["unit"].name, r["mean"], r["low"], r["high"], r["n"]] for r in results["rows"]
    ]
    pending = [[_("尚未评完的评议单位")], *([u.name] for u in results["pending"])]
    title = f"{rnd.county.name}{rnd.year}{rnd.get_direction_display()}"
    data = workbook_bytes([(_("评议结果"), [header, *rows]), (_("尚未评完"), pending)])
    return xlsx_response(data, f"{title}.xlsx")


@login_required
@require_POST
def round_rate(request, pk: int):
    """A rater unit scores every ratee on one form; all scores or none are kept."""
    rnd = selectors.round_get_for(request.user, pk)
    person = person_of(request.user)
    _raters, ratees = selectors.raters_and_ratees(rnd)
    given = [
        (u, request.POST.get(f"score-{u.pk}", "").strip(), request.POST.get(f"comment-{u.pk}", ""))
        for u in ratees
    ]
    given = [g for g in given if g[1] != ""]
    try:
        actions.evaluations_submit(
            rnd=rnd,
            person=person,
            scores=[(u, score, comment) for u, score, comment in given],
            by=request.user,
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return _round_page(request, rnd, exc.messages, status=400)
    messages.success(request, _("评议得分已提交"))
    return redirect("assessment:round", pk=rnd.pk)


@login_required
@require_POST
def round_close(request, pk: int):
    rnd = selectors.round_get_for(request.user, pk)
    try:
        actions.round_close(rnd=rnd, person=person_of(request.user), by=request.user)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return _round_page(request, rnd, exc.messages, status=400)
    messages.success(request, _("评议已结束"))
    return redirect("assessment:round", pk=rnd.pk)
