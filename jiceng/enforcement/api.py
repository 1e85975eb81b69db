"""API of the penalty procedure at /api/v1/enforcement: list, detail, 立案, one endpoint per step,
evidence upload and verification. Errors a person can cause come back as 4xx with a Chinese
`detail`."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja import Status as Reply
from ninja.responses import codes_4xx

from jiceng.cases.selectors import case_get_for
from jiceng.core.errors import caught
from jiceng.core.inputs import Id
from jiceng.powers.models import PowerItem

from . import actions, selectors
from .errors import Invalid
from .models import Evidence, PenaltyCase

router = Router(tags=["enforcement 综合执法"])


class Error(Schema):
    detail: str


FAIL = {codes_4xx: Error}


class PenaltyListOut(Schema):
    code: str
    party_name: str
    party_kind: str
    power: str
    township: str
    act_date: dt.date
    state: str
    state_label: str
    approval_required: bool
    outcome: str
    penalty_kinds: list[str]
    penalty_labels: str
    fine_amount: Decimal | None


class StepOut(Schema):
    seq: int
    step: str
    label: str
    from_state: str
    to_state: str
    actor_name: str
    at: dt.datetime
    note: str


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    captured_by: str
    captured_at: dt.datetime
    device: str

    @staticmethod
    def resolve_captured_by(obj):
        return obj.captured_by.name


class OptionOut(Schema):
    name: str
    label: str
    refusal: str


class PenaltyOut(PenaltyListOut):
    case: str | None = None
    facts: str
    handling_unit: str
    approval_unit: str | None = None
    holder_explanation: str
    decision: str
    no_penalty_ground: str
    cancel_ground: str
    cancel_reason: str
    cancelled_at: dt.datetime | None
    major_grounds: list[str]
    major_reasons: list[str]  # every reason the decision is 重大, those counted by themselves too
    legal_review: str
    legal_review_opinion: str
    legal_reviewed_at: dt.datetime | None
    legal_reviewer_name: str
    confiscation_value: Decimal | None
    hearing_right: bool
    hearing_reasons: list[str]  # why the intended penalty carries the right (第六十三条)
    hearing_requested_at: dt.datetime | None
    hearing_earliest: dt.date | None  # earliest day the hearing asked for may be held
    hearing_held_at: dt.datetime | None
    hearing_host: str | None
    hearing_note: str
    hearing_withdrawn_at: dt.datetime | None
    stop_ordered_at: dt.datetime | None
    filed_at: dt.datetime
    filing_due_on: dt.date | None
    decision_due_at: dt.datetime | None
    decision_due_original: dt.datetime | None  # before an extension
    decision_extended_at: dt.datetime | None
    decision_extension_reason: str
    hearing_until: dt.datetime | None
    serve_due_at: dt.datetime | None
    execute_due_at: dt.datetime | None
    limitation: str
    steps: list[StepOut]
    evidence: list[EvidenceOut]
    options: list[OptionOut]


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


class OpenIn(Schema):
    power: str = ""
    party_name: str
    party_kind: str = "individual"  # or "organisation" (法人或者其他组织)
    act_date: dt.date | None = None
    discovered_on: dt.date | None = None
    facts: str = ""
    case: str | None = None


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
            by=request.user,
        )
        return Reply(201, _detail(pc, request.user))
    township = selectors.my_township(request.user)
    if township is None:
        raise Invalid(_("只有乡镇街道的执法人员可以立案"))
    power = PowerItem.objects.filter(code=payload.power).first()
    if power is None:
        raise Invalid(_("未知的权力事项编码「%(code)s」") % {"code": payload.power})
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
        by=request.user,
    )
    return Reply(201, _detail(pc, request.user))


@router.get("/{code}", response=PenaltyOut)
def penalty_get(request, code: str):
    return _detail(selectors.penalty_case_get_for(request.user, code), request.user)


class StepIn(Schema):
    note: str = ""  # reject: the reason


class NotifyIn(StepIn):
    """告知: the intended penalty — `kinds` PenaltyKind values, amounts in yuan; the hearing right
    follows from them (第六十三条); `hearing_offered` gives it for another heavier penalty."""

    kinds: list[str] = []
    fine_amount: Decimal | str | None = None
    confiscation_value: Decimal | str | None = None
    hearing_offered: bool = False


class HearingRequestIn(StepIn):
    """当事人要求听证: `at` when the party asked (now if left out)."""

    at: dt.datetime | None = None


class HearingHoldIn(StepIn):
    """举行听证: `at` when it was held, `host` the Person who chaired it (township staff who did
    not investigate), `note` a summary of the record."""

    at: dt.datetime | None = None
    host: Id | None = None


class ExtendIn(StepIn):
    """延长作出决定期限: `due_on` the new last day, `note` the reason and its legal basis."""

    due_on: dt.date | None = None


class DecideIn(StepIn):
    """决定: `note` is the decision text; `kinds` PenaltyKind values; amounts in yuan (strings
    such as "5000.00" or numbers)."""

    kinds: list[str] = []
    fine_amount: Decimal | str | None = None
    confiscation_value: Decimal | str | None = None
    waived: bool = False  # the party waived the hearing window in writing


class NoPenaltyIn(StepIn):
    """不予处罚: `ground` a NoPenaltyGround value, `note` the facts and reasons, `kinds` the
    orders that go with it (order_correct, order_demolish), if any."""

    ground: str = ""
    kinds: list[str] = []


class CancelIn(StepIn):
    """撤销立案: `ground` a CancelGround value, `note` the reason."""

    ground: str = ""


class MarkMajorIn(StepIn):
    """认定重大执法决定: `ground` a MajorGround value, `note` why."""

    ground: str = ""


class LegalReviewIn(StepIn):
    """法制审核: `result` "passed" (通过) or "failed" (不通过), `note` the opinion."""

    result: str = ""


SCHEMAS: dict[str, type[StepIn]] = {
    "notify": NotifyIn,
    "hearing_request": HearingRequestIn,
    "hearing_hold": HearingHoldIn,
    "decide": DecideIn,
    "no_penalty": NoPenaltyIn,
    "cancel": CancelIn,
    "extend": ExtendIn,
    "mark_major": MarkMajorIn,
    "legal_review": LegalReviewIn,
}


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


class EvidenceIn(Schema):
    captured_by: Id  # the Person who captured it (staff of the township)
    captured_at: dt.datetime | None = None
    device: str = ""  # e.g. 执法记录仪 number
    note: str = ""


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


class VerifyOut(Schema):
    id: int
    sha256: str
    intact: bool


@router.get("/{code}/evidence/{pk}/verify", response=VerifyOut)
def evidence_verify(request, code: str, pk: int):
    """Hash the stored file again and compare with the SHA-256 taken at upload."""
    ev: Evidence = selectors.evidence_get_for(request.user, code, pk)
    return {"id": ev.pk, "sha256": ev.sha256, "intact": selectors.evidence_verify(ev)}
