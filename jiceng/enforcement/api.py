"""API of the penalty procedure at /api/v1/enforcement: list, detail, 立案, one endpoint per step,
evidence upload and verification. Errors a person can cause come back as 4xx with a Chinese
`detail`."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja import Status as Reply
from ninja.responses import codes_4xx

from jiceng.cases.selectors import case_get_for
from jiceng.core.errors import caught
from jiceng.powers.models import PowerItem

from . import actions, documents, selectors, thresholds
from .errors import Invalid
from .models import Evidence, PenaltyCase
from .schemas import (
    SCHEMAS,
    Error,
    EvidenceIn,
    EvidenceOut,
    OnSpotIn,
    OpenIn,
    PenaltyListOut,
    PenaltyOut,
    StepIn,
    ThresholdEndIn,
    ThresholdIn,
    ThresholdOut,
    VerifyOut,
)

router = Router(tags=["enforcement 综合执法"])


def _row(pc: PenaltyCase) -> dict:
    return {
        "code": pc.code,
        "party_name": pc.party_name,
        "party_kind": pc.party_kind,
        "power": pc.power.code,
        "township": pc.township.code,
        "act_date": pc.act_date,
        "state": pc.state,
        "state_label": pc.get_state_display(),
        "approval_required": pc.approval_required,
        "outcome": pc.outcome,
        "penalty_kinds": pc.penalty_kinds,
        "penalty_labels": pc.penalty_labels,
        "fine_amount": pc.fine_amount,
        "procedure": pc.procedure,
        "procedure_label": pc.get_procedure_display(),
    }


def _detail(pc: PenaltyCase, user) -> dict:
    return {
        **{f: getattr(pc, f) for f in PenaltyOut.model_fields if hasattr(pc, f)},
        **_row(pc),
        "case": pc.case.code if pc.case_id else None,
        "handling_unit": pc.handling_unit.name,
        "approval_unit": pc.approval_unit.name if pc.approval_unit_id else None,
        **selectors.procedure_notes(pc),
        "hearing_host": pc.hearing_host.name if pc.hearing_host_id else None,
        "hearing_chair": pc.hearing_chair.name if pc.hearing_chair_id else None,
        "hearing_clerk": pc.hearing_clerk.name if pc.hearing_clerk_id else None,
        "hearing_presenters": [p.name for p in pc.hearing_presenters.order_by("name")],
        "hearing_members": [p.name for p in pc.hearing_members.order_by("name")],
        "officers": [p.name for p in pc.officers.order_by("name")],
        "collectors": [p.name for p in pc.collectors.order_by("name")],
        **documents.remedy_bodies(pc),
        "steps": list(selectors.steps_of(pc)),
        "evidence": list(selectors.evidence_of(pc)),
        "options": selectors.step_options(pc, user),
    }


@router.get("", response=list[PenaltyListOut])
def penalty_list(
    request,
    state: str | None = None,
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10**9),
):
    """Penalty cases in the caller's area, newest first; state may be 'open' or one state."""
    qs = selectors.penalty_cases_for(request.user, state=state)
    return [_row(pc) for pc in qs[offset : offset + limit]]


def _township_power(request, code: str, not_township: str):
    """The caller's township and the power item of that code, or Invalid."""
    township = selectors.my_township(request.user)
    if township is None:
        raise Invalid(not_township)
    power = PowerItem.objects.filter(code=code).first()
    if power is None:
        raise Invalid(_("未知的权力事项编码「%(code)s」") % {"code": code})
    return township, power


@router.post("", response={201: PenaltyOut, codes_4xx: Error})
@caught
def penalty_open(request, payload: OpenIn):
    """立案, standalone (the caller's township) or on a reported case (`case`: its code)."""
    if payload.case:
        pc = actions.penaltycase_open_from_case(
            case=case_get_for(request.user, payload.case),
            party_name=payload.party_name,
            power_code=payload.power,
            act_date=payload.act_date,
            party_kind=payload.party_kind,
            party_address=payload.party_address,
            by=request.user,
        )
        return Reply(201, _detail(pc, request.user))
    township, power = _township_power(request, payload.power, _("只有乡镇街道的执法人员可以立案"))
    if payload.act_date is None:
        raise Invalid(_("请填写违法行为发生日"))
    pc = actions.penaltycase_open(
        power=power,
        township=township,
        act_date=payload.act_date,
        discovered_on=payload.discovered_on,
        party_name=payload.party_name,
        facts=payload.facts,
        party_kind=payload.party_kind,
        party_address=payload.party_address,
        by=request.user,
    )
    return Reply(201, _detail(pc, request.user))


@router.post("/on-spot", response={201: PenaltyOut, codes_4xx: Error})
@caught
def penalty_on_spot(request, payload: OnSpotIn):
    """当场处罚（简易程序）in the caller's township: recorded decided and served at once."""
    township, power = _township_power(
        request, payload.power, _("只有乡镇街道的执法人员可以当场处罚")
    )
    pc = actions.penaltycase_decide_on_spot(
        power=power, township=township, **payload.model_dump(exclude={"power"}), by=request.user
    )
    return Reply(201, _detail(pc, request.user))


# ---- 金额标准 (before "/{code}": "thresholds" is not a case code) -----------------------------


def _threshold(t: selectors.ThresholdRow) -> dict:
    row = t.row
    return {
        **{f: getattr(row, f) for f in ("id", "name", "party_kind", "amount", "region_code")},
        **{f: getattr(row, f) for f in ("effective_from", "effective_to", "recorded_at")},
        "name_label": row.get_name_display(),
        "region_name": t.region_name,
        "default": row.is_default,
        "status": t.status,
        "status_label": t.status_label,
        "basis": thresholds.basis_label(row),
        "recorded_by": t.recorder,
        "end_reason": row.end_reason,
        "may_end": t.may_end,
    }


def _threshold_of(user, pk: int) -> dict:
    return next(_threshold(t) for t in selectors.threshold_rows(user) if t.row.pk == pk)


@router.get("/thresholds", response=list[ThresholdOut])
def threshold_list(request):
    """The amount rules of the caller's area: platform defaults, the regions above and inside it."""
    return [_threshold(t) for t in selectors.threshold_rows(request.user)]


@router.post("/thresholds", response={201: ThresholdOut, codes_4xx: Error})
@caught
def threshold_add(request, payload: ThresholdIn):
    """新增金额标准 (a platform administrator anywhere; a province, city or county administrator in
    their own area)."""
    row = actions.threshold_add(**payload.model_dump(), by=request.user)
    return Reply(201, _threshold_of(request.user, row.pk))


@router.post("/thresholds/{pk}/end", response={200: ThresholdOut, codes_4xx: Error})
@caught
def threshold_end(request, pk: int, payload: ThresholdEndIn):
    """为金额标准设定终止日期 (its last day)."""
    row = actions.threshold_end(
        threshold=selectors.threshold_get_for(request.user, pk),
        effective_to=payload.effective_to,
        reason=payload.note,
        by=request.user,
    )
    return _threshold_of(request.user, row.pk)


@router.get("/{code}", response=PenaltyOut)
def penalty_get(request, code: str):
    return _detail(selectors.penalty_case_get_for(request.user, code), request.user)


def _step_endpoint(name: str, schema: type[StepIn]) -> None:
    path = "/{code}/" + name.replace("_", "-")

    @router.post(path, response={200: PenaltyOut, codes_4xx: Error}, operation_id=f"step_{name}")
    @caught
    def step(request, code: str, payload: schema):  # type: ignore[valid-type]
        pc = selectors.penalty_case_get_for(request.user, code)
        pc = actions.penaltycase_step(
            penalty_case=pc, name=name, form=payload.model_dump(), by=request.user
        )
        return _detail(pc, request.user)

    step.__doc__ = f"{selectors.STEP_LABEL[name]}。{schema.__doc__ or ''}".strip()


for _name in selectors.STEPS:
    _step_endpoint(_name, SCHEMAS.get(_name, StepIn))


@router.post("/{code}/evidence", response={201: EvidenceOut, codes_4xx: Error})
@caught
def evidence_upload(request, code: str, meta: Form[EvidenceIn], file: File[UploadedFile]):
    """Upload one evidence file (multipart): the server computes and keeps its SHA-256."""
    pc = selectors.penalty_case_get_for(request.user, code)
    person = selectors.township_staff(pc).filter(pk=meta.captured_by).first()
    if person is None:
        raise Invalid(_("采集人须为本乡镇街道的工作人员"))
    captured_at = meta.captured_at or timezone.now()
    if timezone.is_naive(captured_at):
        captured_at = timezone.make_aware(captured_at)
    ev = actions.evidence_add(
        penalty_case=pc,
        upload=file,
        captured_by=person,
        captured_at=captured_at,
        device=meta.device,
        note=meta.note,
        by=request.user,
    )
    return Reply(201, ev)


@router.get("/{code}/evidence/{pk}/verify", response=VerifyOut)
def evidence_verify(request, code: str, pk: int):
    """Hash the stored file again and compare with the SHA-256 taken at upload."""
    ev: Evidence = selectors.evidence_get_for(request.user, code, pk)
    return {"id": ev.pk, "sha256": ev.sha256, "intact": selectors.evidence_verify(ev)}
