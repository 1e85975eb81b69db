"""Pages of the case loop: report (phone), track + rate, patrol, hotline, queue, case, list."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.inputs import date_or_none, datetime_or_none, int_or_none
from jiceng.org.models import Level, Region, Unit
from jiceng.org.scope import person_of
from jiceng.org.selectors import intake_outline

from . import actions, files, routing, selectors
from .errors import CaseError, Invalid
from .guards import ReporterToken
from .models import Source, Status
from .ratelimit import check_rate


def _float(raw) -> float | None:
    try:
        return float(raw) if raw not in (None, "") else None
    except ValueError as exc:
        raise Invalid("坐标应为数字") from exc


def _uploads(request, name="photos"):
    ups = request.FILES.getlist(name)
    files.check_count(ups)
    return [files.from_upload(f) for f in ups]


def _townships():
    return Region.objects.filter(
        level=Level.TOWNSHIP, children__children__level=Level.GRID
    ).distinct()


def _report_from_post(request, source: str) -> actions.Report:
    p = request.POST
    occurred = None
    if p.get("occurred_at"):
        occurred = datetime_or_none(p["occurred_at"])
        if occurred is None:
            raise Invalid("发生时间格式不正确")
    return actions.Report(
        description=p.get("description", ""),
        source=source,
        lon=_float(p.get("lon")),
        lat=_float(p.get("lat")),
        address=p.get("address", ""),
        category_code=next((c for c in p.getlist("category_code") if c), ""),
        township_code=p.get("township_code", ""),
        contact_name=p.get("contact_name", ""),
        contact_phone=p.get("contact_phone", ""),
        occurred_at=occurred,
        files=_uploads(request),
        idempotency_key=p.get("idempotency_key", ""),
    )


def _intake_page(request, source: str, template: str, extra=None):
    ctx = {
        "outline": json.dumps(intake_outline(request.user), ensure_ascii=False),
        "categories": selectors.categories_for_pick(),
        "townships": _townships(),
        "form": request.POST,
        **(extra or {}),
    }
    if request.method == "POST":
        try:
            if not request.user.is_authenticated:
                check_rate(request)
            case, _created = actions.case_report(
                report=_report_from_post(request, source), by=request.user
            )
        except CaseError as exc:
            ctx["error"] = exc.message
            return render(request, template, ctx, status=exc.status)
        if source == Source.CITIZEN:
            return render(request, "cases/reported.html", {"case": case, "secret": case.secret()})
        if selectors.cases_for(request.user).filter(pk=case.pk).exists():
            messages.success(
                request,
                _("已登记案件 %(code)s：%(status)s")
                % {"code": case.code, "status": case.get_status_display()},
            )
            return redirect("cases:detail", case.code)
        # Placed in a township the caller does not manage: it is that township's now.
        messages.success(
            request,
            _("已登记案件 %(code)s，属%(place)s，不在您的管辖范围内，已转由该乡镇（街道）处理。")
            % {"code": case.code, "place": case.township.name if case.township else ""},
        )
        return redirect(request.path)
    return render(request, template, ctx)


def report(request):
    """The public report page for a phone; anonymous allowed."""
    return _intake_page(request, Source.CITIZEN, "cases/report.html")


def _need_role(request, *roles):
    person = person_of(request.user)
    if not (request.user.is_superuser or (person and person.has_role(*roles))):
        raise Http404("此页面仅供相应岗位使用")


@login_required
def patrol(request):
    """The grid worker's patrol page: quick category, photo, location; no verification needed."""
    _need_role(request, "grid_worker", "dispatcher", "leader")
    quick = selectors.categories_for_pick().filter(
        code__in=["M06010", "M06001", "M09006", "M06012", "M07001", "M06027", "M06011"]
    )
    return _intake_page(
        request, Source.PATROL, "cases/patrol.html", {"quick": quick, "suggest": True}
    )


@login_required
def hotline(request):
    """The hotline operator's page (12345-style): record a call as a case. Citizens' requests
    (市民诉求) are among the categories, and the classifier suggests some as the call is typed."""
    _need_role(request, "dispatcher", "leader")
    kinds = (*selectors.PICK_KINDS, "request")
    extra = {"categories": selectors.categories_for_pick(kinds), "suggest": True}
    return _intake_page(request, Source.HOTLINE, "cases/hotline.html", extra)


# Fewer characters than this say too little to suggest a category from.
SUGGEST_MIN_CHARS = 6
# A category the classifier gives less than this share is not offered (the best one always is):
# on a phone, a "0%" chip is one more thing to tap by mistake.
SUGGEST_MIN_SHARE = 0.02


@login_required
@require_POST
def suggest(request):
    """While a call or a patrol finding is typed: the classifier's top three categories for the
    text so far, as buttons that fill in the category (an htmx fragment). It shows no township's
    data and writes nothing; the case is classified again when it is saved."""
    _need_role(request, "grid_worker", "dispatcher", "leader")
    text = request.POST.get("description", "").strip()
    info = routing.classify(text).prediction if len(text) >= SUGGEST_MIN_CHARS else {}
    picks = [
        s
        for i, s in enumerate(info.get("suggestions", []))
        if s.get("category") and (i == 0 or s["p"] >= SUGGEST_MIN_SHARE)
    ]
    return render(
        request, "cases/_intake_suggest.html", {"picks": picks, "error": info.get("error")}
    )


def track_lookup(request):
    """A reporter who kept the case code and tracking secret, but not the link, types them here."""
    code = request.GET.get("code", "").strip()
    secret = request.GET.get("secret", "").strip()
    error, status = None, 200
    if code or secret:
        try:
            check_rate(request, "case-track")  # 48-bit secrets, and guesses are slowed down too
            selectors.case_for_reporter(code, secret)
            target = reverse("cases:track", args=[code])
            return redirect(f"{target}?{urlencode({'secret': secret})}")
        except CaseError as exc:
            error, status = exc.message, exc.status
        except Http404 as exc:
            error, status = str(exc), 404
    ctx = {"code": code, "error": error}
    return render(request, "cases/track_lookup.html", ctx, status=status)


def track(request, code: str):
    """The reporter's tracking page: status, history, and once closed, the rating."""
    secret = request.GET.get("secret") or request.POST.get("secret", "")
    case = selectors.case_for_reporter(code, secret)
    live = selectors.surviving(case)
    error = None
    if request.method == "POST":
        try:
            _reporter_action(request, live)
            return redirect(f"{request.path}?secret={secret}")
        except CaseError as exc:
            error = exc.message
    return render(
        request,
        "cases/track.html",
        {
            "case": case,
            "live": live,
            "secret": secret,
            "error": error,
            "events": selectors.timeline(live),
            "Status": Status,
        },
    )


def _reporter_action(request, case):
    by = ReporterToken(case.pk)
    p = request.POST
    if p.get("action") == "rate":
        actions.case_rate(
            case=case,
            by=by,
            satisfaction=p.get("satisfaction", ""),
            solved=p.get("solved") == "1",
            responded=p.get("responded") == "1",
            comment=p.get("comment", ""),
        )
    elif p.get("action") == "verify":
        actions.case_verify(case=case, by=by, ok=p.get("ok") == "1", note=p.get("note", ""))
    else:
        raise Invalid("未知操作")


@login_required
def queue(request):
    """The dispatcher's queue: waiting cases with their routing suggestion and triage reason."""
    cases = list(selectors.triage_queue(request.user)[:200])
    return render(request, "cases/queue.html", {"cases": cases, "now": timezone.now()})


@login_required
def case_list(request):
    filters = selectors.list_filters(request.GET)
    cases = selectors.cases_for(request.user, **filters)
    return render(
        request,
        "cases/list.html",
        {
            "cases": list(cases[:300]),
            "status": filters["status"],
            "q": request.GET.get("q", ""),
            "auto": filters["category_source"] is not None,
            # the export link carries the list's filters (always `status`, which marks it listed)
            "export_query": urlencode(
                {k: request.GET[k] for k in ("category", "auto", "q") if request.GET.get(k)}
                | {"status": filters["status"]}
            ),
            "statuses": Status.choices,
            "now": timezone.now(),
        },
    )


@login_required
def detail(request, code: str):
    """The case page: routing explanation, parts, clocks, timeline and the actions allowed."""
    case = selectors.case_get_for(request.user, code)
    units = Unit.objects.filter(region__code__startswith=case.township.code[:6]).order_by(
        "region__code", "name"
    )
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "events": selectors.timeline(case),
            "assignments": selectors.assignments_of(case),
            "duplicates": selectors.duplicates_of(case),
            "attachments": case.attachments.all(),
            "can": selectors.allowed_actions(case, request.user),
            "mediations": case.mediations.all(),
            "units": units,
            "township_units": [u for u in units if u.region_id == case.township_id],
            "categories": selectors.categories_for_pick()
            if case.status in (Status.REPORTED, Status.REGISTERED)
            else [],
            "now": timezone.now(),
            "Status": Status,
        },
    )


def _unit(case, raw) -> Unit | None:
    return selectors.unit_in_reach(case, raw) if raw else None


def _do(request, case, name: str):
    p, by = request.POST, request.user
    simple = {
        "register": lambda: actions.case_register(case=case, by=by, note=p.get("note", "")),
        "reject": lambda: actions.case_reject(case=case, by=by, reason=p.get("reason", "")),
        "accept": lambda: actions.case_accept(case=case, by=by),
        "return": lambda: actions.case_return(case=case, by=by, reason=p.get("reason", "")),
        "close": lambda: actions.case_close(case=case, by=by, note=p.get("note", "")),
        "hold": lambda: actions.case_hold(case=case, by=by, reason=p.get("reason", "")),
        "resume": lambda: actions.case_resume(case=case, by=by),
        "report_in": lambda: actions.assignment_report_in(case=case, by=by),
        "assist_done": lambda: actions.assignment_finish(
            case=case, by=by, result=p.get("result", "")
        ),
        "category": lambda: actions.case_set_category(
            case=case, by=by, category_code=p.get("category_code", "")
        ),
        "site_check": lambda: actions.case_site_check(
            case=case, by=by, ok=p.get("ok") == "1", note=p.get("note", "")
        ),
        "decide_extension": lambda: actions.assignment_decide_extension(
            case=case, by=by, approve=p.get("approve") == "1", note=p.get("note", "")
        ),
    }
    if name in simple:
        return simple[name]()
    if name == "register_dispatch":
        unit = _unit(case, p.get("unit_id"))
        if case.status == Status.REPORTED:
            actions.case_register(case=case, by=by)
        return actions.case_dispatch(case=case, by=by, unit=unit, message=p.get("message", ""))
    if name == "dispatch":
        return actions.case_dispatch(
            case=case, by=by, unit=_unit(case, p.get("unit_id")), message=p.get("message", "")
        )
    if name == "handle":
        return actions.case_handle(
            case=case, by=by, result=p.get("result", ""), files=_uploads(request)
        )
    if name == "verify":
        return actions.case_verify(
            case=case, by=by, ok=p.get("ok") == "1", note=p.get("note", ""), files=_uploads(request)
        )
    if name == "whistle":
        units = [_unit(case, u) for u in p.getlist("unit_ids")]
        return actions.case_whistle(
            case=case, by=by, units=[u for u in units if u], message=p.get("message", "")
        )
    if name == "merge":
        into = selectors.case_get_for(by, p.get("into", ""))
        return actions.case_merge(case=case, by=by, into=into)
    if name == "attach":
        return actions.case_attach(case=case, by=by, files=_uploads(request))
    if name == "extension":
        until = datetime_or_none(p.get("until"))
        if until is None:
            raise Invalid("请填写延期到的时间")
        return actions.assignment_request_extension(
            case=case, by=by, until=until, reason=p.get("reason", "")
        )
    if name == "mediation":
        follow_up = date_or_none(p.get("follow_up_at"))
        if p.get("follow_up_at") and follow_up is None:
            raise Invalid("回访日期的格式应为 年-月-日")
        return actions.case_add_mediation(
            case=case,
            by=by,
            mediator=p.get("mediator", ""),
            parties=p.get("parties", ""),
            content=p.get("content", ""),
            outcome=p.get("outcome", ""),
            follow_up_at=follow_up,
        )
    if name == "follow_up":
        return actions.mediation_follow_up(
            case=case,
            by=by,
            record_id=int_or_none(p.get("record")) or 0,
            result=p.get("result", ""),
        )
    raise Invalid("未知操作")


@login_required
@require_POST
def act(request, code: str, name: str):
    """One form post per action; the action decides whether the caller may take it."""
    case = selectors.case_get_for(request.user, code)
    try:
        with transaction.atomic():  # a step of two actions (登记并派遣) is kept whole or not at all
            _do(request, case, name)
        messages.success(request, "操作成功")
    except CaseError as exc:
        messages.error(request, exc.message)
    nxt = request.POST.get("next", "")
    local = nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None)
    return redirect(nxt if local else f"/cases/{case.code}/")
