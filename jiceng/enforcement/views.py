"""Pages of the penalty procedure: the list for the caller's area, 立案, one case, its steps; and
the amount thresholds of the caller's area (金额标准)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiceng.cases.selectors import case_get_for
from jiceng.core.inputs import date_or_none, datetime_or_none, int_or_none
from jiceng.core.tables import workbook_bytes
from jiceng.core.views import xlsx_response
from jiceng.org.models import Role
from jiceng.org.scope import person_of
from jiceng.powers.models import PowerItem

from . import actions, documents, guards, ledger, onspot, selectors
from . import thresholds as thresholds_rules
from .errors import EnforcementError, Invalid
from .models import (
    ORDERS,
    CancelGround,
    Deferral,
    MajorGround,
    NoPenaltyGround,
    PartyKind,
    PaymentMethod,
    PenaltyKind,
    ReviewResult,
    Signature,
    State,
    ThresholdName,
)


def _state_filter(request) -> str:
    """The list's state filter: one state, "open", or "" for every case."""
    state = request.GET.get("state", "")
    return state if state in State.values or state == "open" else ""


@login_required
def case_list(request):
    state = _state_filter(request)
    cases = list(selectors.penalty_cases_for(request.user, state=state or None)[:500])
    return render(
        request,
        "enforcement/list.html",
        {
            "cases": cases,
            "state": state,
            "states": State.choices,
            "township": selectors.my_township(request.user),
            "now": timezone.now(),
        },
    )


def _date(raw: str, what: str) -> dt.date:
    day = date_or_none(raw)
    if day is None:
        raise Invalid(_("请填写有效的%(what)s（年-月-日）") % {"what": what})
    return day


def _open(request, township):
    p = request.POST
    if p.get("case"):
        case = case_get_for(request.user, p["case"].strip())
        return actions.penaltycase_open_from_case(
            case=case,
            party_name=p.get("party_name", ""),
            power_code=p.get("power", ""),
            act_date=date_or_none(p.get("act_date")),
            party_kind=p.get("party_kind") or PartyKind.INDIVIDUAL,
            party_address=p.get("party_address", ""),
            by=request.user,
        )
    if township is None:
        raise Invalid(_("只有乡镇街道的执法人员可以立案"))
    power = PowerItem.objects.filter(code=p.get("power", "")).first()
    if power is None:
        raise Invalid(_("请选择权力事项"))
    return actions.penaltycase_open(
        power=power,
        township=township,
        act_date=_date(p.get("act_date", ""), gettext_lazy("违法行为发生日")),
        discovered_on=(
            _date(p["discovered_on"], gettext_lazy("发现日期"))
            if p.get("discovered_on")
            else timezone.localdate()
        ),
        party_name=p.get("party_name", ""),
        facts=p.get("facts", ""),
        party_kind=p.get("party_kind") or PartyKind.INDIVIDUAL,
        party_address=p.get("party_address", ""),
        by=request.user,
    )


def _created(request, run, done: str):
    """On a POST: (the new case's page, 200), or (None, the refusal's status) with its message
    shown; (None, 200) on a GET."""
    if request.method != "POST":
        return None, 200
    try:
        pc = run()
    except EnforcementError as exc:
        messages.error(request, exc.message)
        return None, exc.status
    messages.success(request, done)
    return redirect("enforcement:detail", code=pc.code), 200


@login_required
def open_page(request):
    """立案: standalone, or on a reported case (its code in ?case=)."""
    township = selectors.my_township(request.user)
    done, status = _created(request, lambda: _open(request, township), _("已立案"))
    if done is not None:
        return done
    powers = selectors.enforceable_powers(township) if township else []
    return render(
        request,
        "enforcement/open.html",
        {
            "township": township,
            "powers": powers,
            "form": request.POST if request.method == "POST" else request.GET,
            "party_kinds": PartyKind.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _on_spot(request, township):
    p = request.POST
    if township is None:
        raise Invalid(_("只有乡镇街道的执法人员可以当场处罚"))
    power = PowerItem.objects.filter(code=p.get("power", "")).first()
    if power is None:
        raise Invalid(_("请选择权力事项"))
    return actions.penaltycase_decide_on_spot(
        power=power,
        township=township,
        party_name=p.get("party_name", ""),
        party_kind=p.get("party_kind") or PartyKind.INDIVIDUAL,
        party_address=p.get("party_address", ""),
        facts=p.get("facts", ""),
        kinds=p.getlist("kinds"),
        fine_amount=p.get("fine_amount"),
        statement=p.get("statement", ""),
        statement_heard=p.get("statement_heard") == "1",
        officers=[i for i in map(int_or_none, p.getlist("officers")) if i],
        place=p.get("place", ""),
        at=datetime_or_none(p.get("at")),
        act_date=date_or_none(p.get("act_date")),
        by=request.user,
    )


@login_required
def on_spot_page(request):
    """当场处罚（简易程序）: one form, filled in on the spot on a phone."""
    township = selectors.my_township(request.user)
    done, status = _created(
        request,
        lambda: _on_spot(request, township),
        _("已当场作出处罚决定，请打印或交付当场处罚决定书"),
    )
    if done is not None:
        return done
    form = request.POST if request.method == "POST" else request.GET
    me = person_of(request.user)
    return render(
        request,
        "enforcement/on_spot.html",
        {
            "township": township,
            "may": township is not None
            and guards.of_township(request.user, township, Role.ENFORCEMENT_OFFICER),
            "powers": selectors.enforceable_powers(township).filter(power_type="penalty")
            if township
            else [],
            "officers": selectors.township_officers(township) if township else [],
            "chosen": form.getlist("officers") if form else [],
            "kinds": [(k.value, k.label) for k in onspot.KINDS],
            "chosen_kinds": form.getlist("kinds") if form else [],
            "form": form,
            "me": me,
            "party_kinds": PartyKind.choices,
            "now": timezone.now(),
            "limits": [onspot.limit(k, timezone.localdate()) for k in PartyKind.values],
        },
        status=status,
    )


def _detail(request, pc, status=200):
    return render(
        request,
        "enforcement/detail.html",
        {
            "pc": pc,
            "steps": selectors.steps_of(pc),
            "evidence": selectors.evidence_of(pc),
            "options": selectors.step_options(pc, request.user),
            "can_upload": selectors.upload_refusal(pc, request.user) is None,
            "capturers": selectors.township_staff(pc),
            "now": timezone.now(),
            "kinds": PenaltyKind.choices,
            "orders": [(k.value, k.label) for k in ORDERS],
            "no_penalty_grounds": NoPenaltyGround.choices,
            "cancel_grounds": CancelGround.choices,
            "major_grounds": MajorGround.choices,
            "review_results": ReviewResult.choices,
            "officers": selectors.township_officers(pc.township),
            "signatures": Signature.choices,
            "payment_methods": PaymentMethod.choices,
            "deferrals": Deferral.choices,
            "today": timezone.localdate(),
            "documents": documents.offered(pc),
            **selectors.procedure_notes(pc),
        },
        status=status,
    )


@login_required
def detail(request, code: str):
    return _detail(request, selectors.penalty_case_get_for(request.user, code))


@login_required
def ledger_export(request):
    """案件台账: every case of the caller's area, the list's state filter applied, as .xlsx."""
    state = _state_filter(request)
    data = workbook_bytes([(str(_("案件台账")), ledger.rows(request.user, state=state or None))])
    return xlsx_response(data, f"{_('案件台账')}.xlsx")


@login_required
def case_document(request, code: str, kind: str):
    """One document of the case file (执法文书), for print: read-only, scoped like the case."""
    pc = selectors.penalty_case_get_for(request.user, code)
    doc_kind = documents.kind_of(pc, kind)
    return render(
        request,
        "enforcement/documents/page.html",
        {
            "pc": pc,
            "kind": doc_kind,
            "doc": documents.document(pc, doc_kind),
            "template": doc_kind.template,
        },
    )


def _step_form(p) -> dict:
    """Every field a step form may carry (actions.STEP_FORMS says which step takes which)."""
    return {
        "note": p.get("note", ""),
        "waived": p.get("waived") == "1",
        "hearing_offered": p.get("hearing_offered") == "1",
        "kinds": p.getlist("kinds"),
        "fine_amount": p.get("fine_amount"),
        "confiscation_value": p.get("confiscation_value"),
        "ground": p.get("ground", ""),
        "result": p.get("result", ""),
        "at": datetime_or_none(p.get("at")),
        "host": int_or_none(p.get("host")),
        "due_on": date_or_none(p.get("due_on")),
        "place": p.get("place", ""),
        "served_on": date_or_none(p.get("served_on")),
        **_hearing_form(p),
        **_payment_form(p),
    }


def _payment_form(p) -> dict:
    """缴纳罚款 (执行) and the hand-in of a fine collected on the spot (第七十一条)."""
    return {
        "method": p.get("method", ""),
        "paid_amount": p.get("paid_amount"),
        "paid_on": date_or_none(p.get("paid_on")),
        "receipt_number": p.get("receipt_number", ""),
        "collectors": [i for i in map(int_or_none, p.getlist("collectors")) if i],
        "reason": p.get("reason", ""),
        "party_asked": p.get("party_asked") == "1",
        "ashore_on": date_or_none(p.get("ashore_on")),
        "surcharge_waived": p.get("surcharge_waived"),
        "waiver_basis": p.get("waiver_basis", ""),
        "handed_in_on": date_or_none(p.get("handed_in_on")),
        "handed_to": p.get("handed_to", ""),
        "kind": p.get("kind", ""),
        "applied_on": date_or_none(p.get("applied_on")),
        "schedule": _schedule_lines(p.get("schedule", "")),
    }


def _schedule_lines(text: str) -> list[dict]:
    """分期: one instalment a line, "2026-12-01 500" (the day, then the amount in yuan)."""
    rows = []
    for line in text.replace("，", " ").replace(",", " ").splitlines():
        parts = line.split()
        if parts:
            rows.append({"due_on": parts[0], "amount": parts[1] if len(parts) > 1 else ""})
    return rows


def _hearing_form(p) -> dict:
    """The 听证笔录 (举行听证) and 听证报告 fields."""
    texts = ("party_present", "case_presented", "defence", "final_statement", "signature")
    return {
        "clerk": int_or_none(p.get("clerk")),
        "presenters": [i for i in map(int_or_none, p.getlist("presenters")) if i],
        "members": [i for i in map(int_or_none, p.getlist("members")) if i],
        "interpreter": p.get("interpreter", ""),
        **{name: p.get(name, "") for name in texts},
        "signature_note": p.get("signature_note", ""),
        **{name: p.get(name, "") for name in ("facts", "law", "proposal")},
    }


@login_required
@require_POST
def act(request, code: str, name: str):
    """One form post per step; the action decides whether the caller may take it."""
    pc = selectors.penalty_case_get_for(request.user, code)
    try:
        actions.penaltycase_step(
            penalty_case=pc, name=name, form=_step_form(request.POST), by=request.user
        )
    except EnforcementError as exc:
        messages.error(request, exc.message)
        return _detail(request, selectors.penalty_case_get_for(request.user, code), exc.status)
    messages.success(request, _("操作成功"))
    return redirect("enforcement:detail", code=pc.code)


def _captured_at(raw: str) -> dt.datetime:
    moment = datetime_or_none(raw)
    if moment is None:
        raise Invalid(_("请填写有效的采集时间"))
    return moment


@login_required
@require_POST
def evidence_upload(request, code: str):
    pc = selectors.penalty_case_get_for(request.user, code)
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid(_("请选择证据文件"))
        captured_by = selectors.township_staff(pc).filter(
            pk=int_or_none(request.POST.get("captured_by")) or 0
        )
        if not captured_by.exists():
            raise Invalid(_("请选择采集人"))
        actions.evidence_add(
            penalty_case=pc,
            upload=upload,
            captured_by=captured_by.get(),
            captured_at=_captured_at(request.POST.get("captured_at", "")),
            device=request.POST.get("device", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except EnforcementError as exc:
        messages.error(request, exc.message)
        return _detail(request, pc, exc.status)
    messages.success(request, _("证据已上传"))
    return redirect("enforcement:detail", code=pc.code)


@login_required
def evidence_file(request, code: str, pk: int):
    """The evidence file itself, only for those who may see the case."""
    ev = selectors.evidence_get_for(request.user, code, pk)
    return FileResponse(ev.file.open("rb"), filename=ev.name, content_type=ev.content_type)


# ---- 金额标准 (thresholds.py): the rules of the caller's area; add, end, export ----------------


def _thresholds_page(request, status=200):
    region, applying = selectors.thresholds_applying(request.user)
    regions = selectors.threshold_regions(request.user)
    return render(
        request,
        "enforcement/thresholds.html",
        {
            "rows": selectors.threshold_rows(request.user),
            "region": region,
            "applying": applying,
            "regions": regions,
            "may_default": guards.may_set_threshold(request.user, ""),
            "may_add": guards.threshold_area(request.user) is not None,
            "names": ThresholdName.choices,
            "party_kinds": PartyKind.choices,
            "tomorrow": timezone.localdate() + dt.timedelta(days=1),
            "today": timezone.localdate(),
            "form": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
def thresholds(request):
    return _thresholds_page(request)


def _threshold_done(request, run, done: str):
    try:
        run()
    except EnforcementError as exc:
        messages.error(request, exc.message)
        return _thresholds_page(request, exc.status)
    messages.success(request, done)
    return redirect("enforcement:thresholds")


@login_required
@require_POST
def threshold_add(request):
    p = request.POST
    return _threshold_done(
        request,
        lambda: actions.threshold_add(
            name=p.get("name", ""),
            party_kind=p.get("party_kind", ""),
            amount=p.get("amount"),
            region_code=p.get("region_code", ""),
            effective_from=date_or_none(p.get("effective_from")),
            effective_to=date_or_none(p.get("effective_to")),
            basis=p.get("basis", ""),
            by=request.user,
        ),
        _("已新增金额标准"),
    )


@login_required
@require_POST
def threshold_end(request, pk: int):
    row = selectors.threshold_get_for(request.user, pk)
    return _threshold_done(
        request,
        lambda: actions.threshold_end(
            threshold=row,
            effective_to=date_or_none(request.POST.get("effective_to")),
            reason=request.POST.get("reason", ""),
            by=request.user,
        ),
        _("已设定终止日期"),
    )


@login_required
def thresholds_export(request):
    """The same rows as the page, as .xlsx."""
    header = [
        _("标准"),
        _("当事人类型"),
        _("金额（元）"),
        _("地区"),
        _("区划代码"),
        _("生效日期"),
        _("终止日期"),
        _("状态"),
        _("依据文件"),
    ]
    rows = [
        [
            t.row.get_name_display(),
            t.row.get_party_kind_display(),
            t.row.amount,
            t.region_name,
            t.row.region_code,
            t.row.effective_from,
            t.row.effective_to,
            t.status_label,
            thresholds_rules.basis_label(t.row),
        ]
        for t in selectors.threshold_rows(request.user)
    ]
    data = workbook_bytes([(str(_("金额标准")), [header, *rows])])
    return xlsx_response(data, f"{_('金额标准')}.xlsx")
