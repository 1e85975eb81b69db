"""API of the case loop at /api/v1/cases: public intake and tracking, staff reads, one endpoint
per transition. Errors a person can cause come back as 4xx with a Chinese `detail`."""

from django.http import Http404
from django.urls import reverse
from ninja import File, Header, Query, Router, UploadedFile
from ninja import Status as Reply
from ninja.responses import codes_4xx

from jiceng.core.errors import caught
from jiceng.core.inputs import Id
from jiceng.core.tokens import user_for_token
from jiceng.org.scope import scope_code

from . import actions, files, indicators, selectors
from .errors import Invalid
from .guards import ReporterToken
from .models import Case, Status
from .ratelimit import check_rate
from .schemas import (
    CaseListOut,
    CaseOut,
    CategoryIn,
    CreatedOut,
    DecideIn,
    DispatchIn,
    Error,
    EventOut,
    ExtensionIn,
    FollowUpIn,
    HandleIn,
    MediationIn,
    MergeIn,
    NoteIn,
    PublicCaseOut,
    RateIn,
    ReasonIn,
    ReportIn,
    ResultIn,
    SiteCheckIn,
    VerifyIn,
    WhistleIn,
)

PREFIX = "/cases"
router = Router(tags=["cases 案件"])
FAIL = {codes_4xx: Error}


def caller(request):
    """The session user, or the owner of a Bearer token (public endpoints skip ninja's auth)."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        user = user_for_token(auth[7:].strip())
        if user is not None:
            return user
    return request.user


def _photos(raw: list[str]):
    files.check_count(raw)
    return [files.from_base64(i, p) for i, p in enumerate(raw)]


def _created(case: Case, created: bool) -> dict:
    return {
        "code": case.code,
        "secret": case.secret(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "created": created,
        "township": case.township.name,
        "route_unit": case.route_unit.name if case.route_unit_id else None,
        "route_explanation": case.route_explanation,
        "triage_reason": case.triage_reason,
        "duplicate_candidates": list(
            Case.objects.filter(pk__in=case.duplicate_candidates).values_list("code", flat=True)
        ),
        "track_url": reverse("cases:track", args=[case.code]) + f"?secret={case.secret()}",
    }


@router.post("", auth=None, response={200: CreatedOut, 201: CreatedOut, codes_4xx: Error})
@caught
def case_create(
    request, payload: ReportIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    """Report a case (public). Resending with the same Idempotency-Key returns the first case."""
    user = caller(request)
    if not user.is_authenticated:
        check_rate(request)
    report = actions.Report(
        description=payload.description,
        source=payload.source,
        lon=payload.lon,
        lat=payload.lat,
        address=payload.address,
        category_code=payload.category_code or "",
        contact_name=payload.contact_name or "",
        contact_phone=payload.contact or "",
        occurred_at=payload.occurred_at,
        files=_photos(payload.photos),
        idempotency_key=(idempotency_key or "").strip(),
    )
    if report.source in ("patrol", "hotline") and not user.is_authenticated:
        raise Invalid("巡查和热线上报需要登录")
    case, created = actions.case_report(report=report, by=user)
    return Reply(201 if created else 200, _created(case, created))


@router.get("", response=list[CaseListOut])
def case_list(
    request,
    status: str | None = None,
    category: str | None = None,
    region: str | None = None,
    unit: Id | None = None,
    source: str | None = None,
    category_source: str | None = None,
    q: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10**9),
):
    """Cases in the caller's scope, newest first; status may be 'open' or a comma list;
    category_source=classifier gives the cases smart dispatch categorised and sent by itself."""
    qs = selectors.cases_for(
        request.user,
        status=status,
        category=category,
        region=region,
        unit=unit,
        source=source,
        category_source=category_source,
        q=q,
    )
    return list(qs[offset : offset + limit])


@router.get("/queue", response=list[CaseListOut])
def case_queue(request):
    """The dispatcher's triage queue: cases waiting to be registered or dispatched."""
    return list(selectors.triage_queue(request.user)[:500])


@router.get("/indicators")
def case_indicators(
    request, start: str, end: str, region: str | None = None, unit: Id | None = None
):
    """Indicators for [start, end) in the caller's scope (dates as YYYY-MM-DD)."""
    from .views_dashboard import period_bounds

    lo, hi = period_bounds(start, end)
    code = scope_code(request.user)
    if code is None:
        raise Http404("无权查看指标")
    region = region if region and region.startswith(code) else code
    return {
        "start": lo,
        "end": hi,
        "region": region,
        "indicators": indicators.compute(lo, hi, region_code=region, unit_id=unit),
    }


@router.get("/categories", auth=None)
def category_list(request, kind: str | None = None):
    """The active leaf categories a report may name (code, name, kind, priority)."""
    qs = selectors.categories_for_pick()
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values("code", "name", "kind", "priority"))


@router.get("/{code}/track", auth=None, response={200: PublicCaseOut, codes_4xx: Error})
def case_track(request, code: str, secret: str):
    """A reporter's view: status and history, by case code + tracking secret."""
    case = selectors.case_for_reporter(code, secret)
    live = selectors.surviving(case)
    return {
        "code": case.code,
        "status": live.status,
        "status_label": live.get_status_display(),
        "category_name": live.category.name if live.category_id else None,
        "reported_at": case.reported_at,
        "closed_at": live.closed_at,
        "merged_into": live.code if live.pk != case.pk else None,
        "can_rate": live.status == Status.CLOSED,
        "events": [
            {
                "at": e.at,
                "verb": e.verb,
                "to_status": e.to_status,
                "unit": e.unit.name if e.unit_id else "",
            }
            for e in selectors.timeline(live)
        ],
    }


@router.get("/{code}", response=CaseOut)
def case_get(request, code: str):
    return selectors.case_get_for(request.user, code)


@router.get("/{code}/events", response=list[EventOut])
def case_events(request, code: str):
    return list(selectors.timeline(selectors.case_get_for(request.user, code)))


def _act(request, code: str, fn, **kwargs):
    case = selectors.case_get_for(request.user, code)
    fn(case=case, by=request.user, **kwargs)
    return selectors.case_get_for(request.user, code)


def _public_act(request, code: str, secret: str | None, fn, **kwargs):
    """Verify or rate: staff in scope, or the reporter with the tracking secret."""
    if secret:
        case = selectors.surviving(selectors.case_for_reporter(code, secret))
        fn(case=case, by=ReporterToken(case.pk), **kwargs)
        return {"code": case.code, "status": Case.objects.get(pk=case.pk).status}
    user = caller(request)
    if not user.is_authenticated:
        raise Http404("请登录，或提供查询码")
    case = selectors.case_get_for(user, code)
    fn(case=case, by=user, **kwargs)
    return {"code": case.code, "status": Case.objects.get(pk=case.pk).status}


RESP = {200: CaseOut, codes_4xx: Error}


@router.post("/{code}/register", response=RESP)
@caught
def case_register(request, code: str, payload: NoteIn):
    """立案 (dispatcher or leader of the township)."""
    return _act(request, code, actions.case_register, note=payload.note)


@router.post("/{code}/reject", response=RESP)
@caught
def case_reject(request, code: str, payload: ReasonIn):
    """不予立案, with the reason."""
    return _act(request, code, actions.case_reject, reason=payload.reason)


@router.post("/{code}/merge", response=RESP)
@caught
def case_merge(request, code: str, payload: MergeIn):
    """Merge this duplicate into another case; its reporter follows that one."""
    into = selectors.case_get_for(request.user, payload.into)
    return _act(request, code, actions.case_merge, into=into)


@router.post("/{code}/category", response=RESP)
@caught
def case_category(request, code: str, payload: CategoryIn):
    """Set the category and route again (triage)."""
    return _act(request, code, actions.case_set_category, category_code=payload.category_code)


@router.post("/{code}/site-check", response=RESP)
@caught
def case_site_check(request, code: str, payload: SiteCheckIn):
    """A grid worker confirms a public report on site."""
    return _act(request, code, actions.case_site_check, ok=payload.ok, note=payload.note)


@router.post("/{code}/dispatch", response=RESP)
@caught
def case_dispatch(request, code: str, payload: DispatchIn):
    """派遣 to the routed unit, or to the unit the dispatcher picks."""
    case = selectors.case_get_for(request.user, code)
    unit = selectors.unit_in_reach(case, payload.unit_id) if payload.unit_id else None
    return _act(request, code, actions.case_dispatch, unit=unit, message=payload.message)


@router.post("/{code}/accept", response=RESP)
@caught
def case_accept(request, code: str):
    """签收 by the lead unit."""
    return _act(request, code, actions.case_accept)


@router.post("/{code}/return", response=RESP)
@caught
def case_return(request, code: str, payload: ReasonIn):
    """退回 by the lead unit, with the reason; the case goes back to the dispatcher."""
    return _act(request, code, actions.case_return, reason=payload.reason)


@router.post("/{code}/handle", response=RESP)
@caught
def case_handle(request, code: str, payload: HandleIn):
    """处置完成 by the lead unit, with the result and photos."""
    return _act(
        request, code, actions.case_handle, result=payload.result, files=_photos(payload.photos)
    )


@router.post("/{code}/verify", auth=None, response={200: dict, codes_4xx: Error})
@caught
def case_verify(request, code: str, payload: VerifyIn):
    """核查: passes, or fails and reopens (返工). Grid worker, dispatcher, or the reporter."""
    return _public_act(
        request,
        code,
        payload.secret,
        actions.case_verify,
        ok=payload.ok,
        note=payload.note,
        files=_photos(payload.photos),
    )


@router.post("/{code}/close", response=RESP)
@caught
def case_close(request, code: str, payload: NoteIn):
    """结案: only when the lead part and every required assisting part are done."""
    return _act(request, code, actions.case_close, note=payload.note)


@router.post("/{code}/rate", auth=None, response={200: dict, codes_4xx: Error})
@caught
def case_rate(request, code: str, payload: RateIn):
    """评价 by the reporter (with the secret) or recorded by the desk for a caller."""
    return _public_act(
        request,
        code,
        payload.secret,
        actions.case_rate,
        satisfaction=payload.satisfaction,
        solved=payload.solved,
        responded=payload.responded,
        comment=payload.comment,
    )


@router.post("/{code}/hold", response=RESP)
@caught
def case_hold(request, code: str, payload: ReasonIn):
    """挂账 by the leader, with a written reason."""
    return _act(request, code, actions.case_hold, reason=payload.reason)


@router.post("/{code}/resume", response=RESP)
@caught
def case_resume(request, code: str, payload: NoteIn):
    return _act(request, code, actions.case_resume, note=payload.note)


@router.post("/{code}/whistle", response=RESP)
@caught
def case_whistle(request, code: str, payload: WhistleIn):
    """吹哨: summon assisting units, each must report in within its limit."""
    case = selectors.case_get_for(request.user, code)
    units = [selectors.unit_in_reach(case, uid) for uid in payload.unit_ids]
    return _act(
        request,
        code,
        actions.case_whistle,
        units=units,
        message=payload.message,
        required=payload.required,
    )


@router.post("/{code}/report-in", response=RESP)
@caught
def case_report_in(request, code: str, payload: NoteIn):
    """报到 by an assisting unit."""
    return _act(request, code, actions.assignment_report_in, note=payload.note)


@router.post("/{code}/assist-done", response=RESP)
@caught
def case_assist_done(request, code: str, payload: ResultIn):
    """An assisting unit reports its part done."""
    return _act(request, code, actions.assignment_finish, result=payload.result)


@router.post("/{code}/extension", response=RESP)
@caught
def case_extension(request, code: str, payload: ExtensionIn):
    """延期申请 by the unit; the township leader decides."""
    return _act(
        request,
        code,
        actions.assignment_request_extension,
        until=payload.until,
        reason=payload.reason,
    )


@router.post("/{code}/extension/decide", response=RESP)
@caught
def case_extension_decide(request, code: str, payload: DecideIn):
    return _act(
        request,
        code,
        actions.assignment_decide_extension,
        approve=payload.approve,
        note=payload.note,
    )


@router.post("/{code}/mediation", response=RESP)
@caught
def case_mediation(request, code: str, payload: MediationIn):
    """A mediation record of a dispute (矛盾纠纷)."""
    return _act(request, code, actions.case_add_mediation, **payload.dict())


@router.post("/{code}/mediation/{record}/follow-up", response=RESP)
@caught
def case_mediation_follow_up(request, code: str, record: Id, payload: FollowUpIn):
    """回访 after a mediation that planned one; the case closes only after it."""
    return _act(request, code, actions.mediation_follow_up, record_id=record, result=payload.result)


@router.post("/{code}/attachments", response=RESP)
@caught
def case_attachments(request, code: str, upload: list[UploadedFile] = File(...)):  # noqa: B008
    """Evidence files (image, video, PDF): type-checked, size-limited, SHA-256 kept."""
    files.check_count(upload)
    prepared = [files.from_upload(f) for f in upload]
    return _act(request, code, actions.case_attach, files=prepared)
