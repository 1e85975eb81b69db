"""API of assessment: items and their approval, inspections, caps, two-way evaluation (S4, S6).

Every write answers 400 with the reasons (joined by "；") when the item breaks a rule, and 403
when the caller may not do it; nothing is changed then.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja import Status as Reply
from ninja.responses import codes_4xx

from jiceng.core.inputs import Id
from jiceng.org.scope import person_of
from jiceng.org.selectors import region_get_for

from . import actions, guards, selectors
from .models import AssessmentItem, VetoAuthorization

router = Router(tags=["assessment 考核"])


# A year an assessment, cap or round can be for (a year past 2100 is a typing mistake).
Year = Annotated[int, Field(ge=2000, le=2100)]


class Error(Schema):
    detail: str


class IndicatorSchema(Schema):
    name: str
    points: Decimal = Field(..., description="分值；一个事项的指标合计100分")
    method: str = ""
    power_code: str = Field("", description="考核某项权力的行使时填写权力事项编码")


class IndicatorOut(IndicatorSchema):
    id: int


class ItemIn(Schema):
    name: str
    year: Year
    target: str = Field(..., description="township 乡镇（街道） / station 基层站所")
    indicators: list[IndicatorSchema]
    basis: str = ""
    one_vote_veto: bool = False
    veto_authorization: Id | None = Field(None, description="一票否决授权的编号")


class ItemOut(Schema):
    id: int
    name: str
    year: int
    issuer: str
    target: str
    status: str
    one_vote_veto: bool
    veto_authorization: str | None
    parent: int | None
    approval_document: str
    decision_note: str
    indicators_sha256: str
    indicators_intact: bool | None
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_issuer(obj):
        return obj.issuer.name

    @staticmethod
    def resolve_veto_authorization(obj):
        return str(obj.veto_authorization) if obj.veto_authorization_id else None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent_id

    @staticmethod
    def resolve_indicators_intact(obj):
        return obj.indicators_intact()

    @staticmethod
    def resolve_indicators(obj):
        return list(obj.indicators.all())


def _bad(exc: ValidationError):
    return Reply(400, {"detail": "；".join(exc.messages)})


def _veto(pk: int | None) -> VetoAuthorization | None:
    if pk is None:
        return None
    found = VetoAuthorization.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError(f"没有编号为 {pk} 的一票否决授权")
    return found


def _indicators(payload) -> list[dict]:
    return [i.dict() for i in payload.indicators]


@router.get("/items", response=list[ItemOut])
def item_list(request, status: str | None = None, year: Year | None = None):
    items = selectors.items_for(request.user).prefetch_related("indicators")
    if status:
        items = items.filter(status=status)
    if year:
        items = items.filter(year=year)
    return list(items[:500])


@router.get("/items/{pk}", response=ItemOut)
def item_get(request, pk: int):
    return selectors.item_get_for(request.user, pk)


@router.post("/items", response={201: ItemOut, codes_4xx: Error})
def item_create(request, payload: ItemIn):
    """Draft an item (S6: only county-level units and above organise assessments)."""
    try:
        item = actions.item_create(
            person=person_of(request.user),
            name=payload.name,
            year=payload.year,
            target=payload.target,
            indicators=_indicators(payload),
            basis=payload.basis,
            one_vote_veto=payload.one_vote_veto,
            veto_authorization=_veto(payload.veto_authorization),
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(201, item)


@router.put("/items/{pk}", response={200: ItemOut, codes_4xx: Error})
def item_update(request, pk: int, payload: ItemIn):
    """Change a draft; a submitted or approved item's indicators are frozen (400)."""
    item = selectors.item_get_for(request.user, pk)
    try:
        return Reply(
            200,
            actions.item_update(
                item=item,
                person=person_of(request.user),
                name=payload.name,
                target=payload.target,
                indicators=_indicators(payload),
                basis=payload.basis,
                one_vote_veto=payload.one_vote_veto,
                veto_authorization=_veto(payload.veto_authorization),
                by=request.user,
            ),
        )
    except ValidationError as exc:
        return _bad(exc)


class DecisionIn(Schema):
    document: str = Field("", description="批准文号（批准时必填）")
    note: str = Field("", description="审批意见（不予批准时必填）")


class DecomposeIn(Schema):
    name: str
    indicators: list[Id] = Field(..., description="上级事项中已批准指标的编号")


def _step(request, pk: int, run):
    item = selectors.item_get_for(request.user, pk)
    try:
        return Reply(200, run(item, person_of(request.user)))
    except ValidationError as exc:
        return _bad(exc)


@router.post("/items/{pk}/submit", response={200: ItemOut, codes_4xx: Error})
def item_submit(request, pk: int):
    return _step(
        request, pk, lambda item, p: actions.item_submit(item=item, person=p, by=request.user)
    )


@router.post("/items/{pk}/approve", response={200: ItemOut, codes_4xx: Error})
def item_approve(request, pk: int, payload: DecisionIn):
    return _step(
        request,
        pk,
        lambda item, p: actions.item_approve(
            item=item, person=p, document=payload.document, note=payload.note, by=request.user
        ),
    )


@router.post("/items/{pk}/reject", response={200: ItemOut, codes_4xx: Error})
def item_reject(request, pk: int, payload: DecisionIn):
    return _step(
        request,
        pk,
        lambda item, p: actions.item_reject(
            item=item, person=p, note=payload.note, by=request.user
        ),
    )


@router.post("/items/{pk}/decompose", response={201: ItemOut, codes_4xx: Error})
def item_decompose(request, pk: int, payload: DecomposeIn):
    parent = selectors.item_get_for(request.user, pk)
    try:
        part = actions.item_decompose(
            parent=parent,
            person=person_of(request.user),
            name=payload.name,
            indicator_ids=payload.indicators,
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(201, part)


class InspectIn(Schema):
    units: list[Id] = Field(..., description="被检查单位的编号")
    kind: str = Field(..., description="supervision 督查 / check 检查 / assessment 考核")
    on_date: dt.date | None = Field(None, description="日期，默认今天")
    note: str = ""


class InspectionOut(Schema):
    id: int
    item: int
    unit: str
    kind: str
    on_date: dt.date
    task: int | None
    total: Decimal | None = Field(None, description="得分（未评分为空）")
    vetoed: bool

    @staticmethod
    def resolve_item(obj):
        return obj.item_id

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_task(obj):
        return obj.task_id


@router.get("/items/{pk}/inspections", response=list[InspectionOut])
def inspection_list(request, pk: int):
    item = selectors.item_get_for(request.user, pk)
    return list(selectors.inspections_of(item, request.user)[:1000])


@router.post("/items/{pk}/inspections", response={201: list[InspectionOut], codes_4xx: Error})
def inspection_create(request, pk: int, payload: InspectIn):
    """Run an approved item over units: each counts against its yearly cap (S6)."""
    item: AssessmentItem = selectors.item_get_for(request.user, pk)
    wanted = set(payload.units)
    units = [u for u in selectors.target_units(item) if u.pk in wanted]
    try:
        if len(units) != len(wanted):
            raise ValidationError("所选单位不是本事项在组织单位辖区内的考核对象")
        made = actions.inspections_record(
            item=item,
            person=person_of(request.user),
            units=units,
            kind=payload.kind,
            on_date=payload.on_date or timezone.localdate(),
            note=payload.note,
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(201, made)


class ScoreRow(Schema):
    indicator: Id
    score: Decimal
    note: str = ""


class ScoreOut(ScoreRow):
    name: str
    points: Decimal


class AppealOut(Schema):
    id: int
    status: str = Field(..., description="open 复核中 / upheld 维持 / changed 变更")
    indicators: list[int] = Field(..., description="有异议的指标编号")
    reasons: str
    by: str
    created_at: dt.datetime
    due_at: dt.datetime = Field(..., description="组织单位作出复核决定的期限")
    total_before: Decimal
    total_after: Decimal | None
    decision: str
    decided_by: str | None
    decided_at: dt.datetime | None
    overdue: bool = Field(False, description="复核中且已超过作出决定的期限")
    withdrawn_by: str | None = None
    withdrawn_at: dt.datetime | None = None
    withdraw_reason: str = ""

    @staticmethod
    def resolve_overdue(obj):
        return obj.overdue(timezone.now())

    @staticmethod
    def resolve_withdrawn_by(obj):
        return obj.withdrawn_by.name if obj.withdrawn_by_id else None

    @staticmethod
    def resolve_indicators(obj):
        return [i.pk for i in obj.indicators.all()]

    @staticmethod
    def resolve_by(obj):
        return obj.by.name

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.name if obj.decided_by_id else None


class InspectionDetail(InspectionOut):
    veto_reason: str
    scored_by: str | None
    scored_at: dt.datetime | None
    scores: list[ScoreOut]
    appeal_until: dt.datetime | None = Field(None, description="被检查单位申请复核的截止时间")
    appeal: AppealOut | None

    @staticmethod
    def resolve_scored_by(obj):
        return obj.scored_by.name if obj.scored_by else None

    @staticmethod
    def resolve_appeal_until(obj):
        return guards.appeal_until(obj)

    @staticmethod
    def resolve_appeal(obj):
        return selectors.appeal_of(obj)

    @staticmethod
    def resolve_scores(obj):
        return [
            {
                "indicator": s.indicator_id,
                "name": s.indicator.name,
                "points": s.indicator.points,
                "score": s.score,
                "note": s.note,
            }
            for s in obj.scores.select_related("indicator")
        ]


class ScoresIn(Schema):
    scores: list[ScoreRow] = Field(..., description="每项指标一行：indicator 指标编号, score 得分")
    vetoed: bool = False
    veto_reason: str = ""


@router.get("/inspections/{pk}", response=InspectionDetail)
def inspection_get(request, pk: int):
    """One inspection with its scores: the organiser's area and the inspected unit's own."""
    return selectors.inspection_get_for(request.user, pk)


@router.put("/inspections/{pk}/scores", response={200: InspectionDetail, codes_4xx: Error})
def inspection_score(request, pk: int, payload: ScoresIn):
    """Score every indicator (all or none); the organising unit only. Again replaces."""
    inspection = selectors.inspection_get_for(request.user, pk)
    try:
        actions.inspection_score(
            inspection=inspection,
            person=person_of(request.user),
            scores=[r.dict() for r in payload.scores],
            vetoed=payload.vetoed,
            veto_reason=payload.veto_reason,
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return selectors.inspection_get_for(request.user, pk)


class AppealIn(Schema):
    indicators: list[Id] = Field(..., description="有异议的指标编号")
    reasons: str = Field(..., description="申请复核的理由（必填）")


class AppealDecisionIn(Schema):
    outcome: str = Field(..., description="upheld 维持 / changed 变更")
    decision: str = Field(..., description="复核意见：维持或变更的理由（必填）")
    scores: list[ScoreRow] = Field([], description="变更时：每项指标的新得分（同评分）")
    vetoed: bool = False
    veto_reason: str = ""


@router.post("/inspections/{pk}/appeal", response={201: AppealOut, codes_4xx: Error})
def appeal_create(request, pk: int, payload: AppealIn):
    """The inspected unit asks for a review (复核) of its scored result: once, within the time
    limit after scoring; it lands in the organising unit's inbox."""
    inspection = selectors.inspection_get_for(request.user, pk)
    try:
        appeal = actions.appeal_create(
            inspection=inspection,
            person=person_of(request.user),
            indicator_ids=payload.indicators,
            reasons=payload.reasons,
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(201, selectors.appeal_of(appeal.inspection))


@router.post("/inspections/{pk}/appeal/decision", response={200: AppealOut, codes_4xx: Error})
def appeal_decide(request, pk: int, payload: AppealDecisionIn):
    """The organising unit decides the open review: upheld, or changed with new scores."""
    inspection = selectors.inspection_get_for(request.user, pk)
    appeal = selectors.appeal_get(inspection)
    try:
        actions.appeal_decide(
            appeal=appeal,
            person=person_of(request.user),
            outcome=payload.outcome,
            decision=payload.decision,
            scores=[r.dict() for r in payload.scores],
            vetoed=payload.vetoed,
            veto_reason=payload.veto_reason,
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(200, selectors.appeal_of(inspection))


class WithdrawIn(Schema):
    reason: str = Field("", description="撤回理由（可不填）")


@router.post("/inspections/{pk}/appeal/withdraw", response={200: AppealOut, codes_4xx: Error})
def appeal_withdraw(request, pk: int, payload: WithdrawIn):
    """The one who asked, or a leader of the inspected unit, withdraws the open review request;
    it cannot be asked again."""
    inspection = selectors.inspection_get_for(request.user, pk)
    appeal = selectors.appeal_get(inspection)
    try:
        actions.appeal_withdraw(
            appeal=appeal, person=person_of(request.user), reason=payload.reason, by=request.user
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(200, selectors.appeal_of(inspection))


class NoticeIn(Schema):
    document: str = Field(..., description="通报文号（必填）")


class NoticeOut(Schema):
    id: int
    item: int = Field(..., alias="item_id")
    document: str
    issued_on: dt.date
    issued_by: str
    issued_at: dt.datetime
    sent: int = Field(..., description="收到通报的被检查单位结果数")

    @staticmethod
    def resolve_issued_by(obj):
        return obj.issued_by.name

    @staticmethod
    def resolve_sent(obj):
        return len(obj.ranks)


@router.post("/items/{pk}/notice", response={201: NoticeOut, codes_4xx: Error})
def notice_issue(request, pk: int, payload: NoticeIn):
    """The organiser issues the 通报 of the item's ranking, once, with its 文号 (dated today);
    refused while a review is open. Each ranked unit finds its own place in its inbox."""
    item = selectors.item_get_for(request.user, pk)
    try:
        notice = actions.notice_issue(
            item=item, person=person_of(request.user), document=payload.document, by=request.user
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(201, selectors.notice_of(notice.item))


@router.get("/items/{pk}/ranking")
def ranking(request, pk: int):
    """The item's scored inspections in the caller's area ranked by total (a vetoed result last;
    equal totals share a rank), with how many are scored, the mean, and the open reviews."""
    item = selectors.item_get_for(request.user, pk)
    board, notice = selectors.ranking(item, request.user), selectors.notice_of(item)
    return {
        "item": item.pk,
        "name": item.name,
        "document": item.approval_document,
        "ranked": board["ranked"],
        "scored": board["scored"],
        "unscored": board["unscored"],
        "mean": board["mean"],
        "appeals_open": board["appeals_open"],
        "provisional": board["appeals_open"] > 0,
        "notice": {"document": notice.document, "issued_on": notice.issued_on} if notice else None,
        "rows": [
            {
                "rank": r["rank"],
                "inspection": x.pk,
                "unit": x.unit.name,
                "unit_id": x.unit_id,
                "region": x.unit.region.code,
                "on_date": x.on_date,
                "kind": x.kind,
                "total": x.total,
                "vetoed": x.vetoed,
                "appeal": r["appeal"].status if r["appeal"] else None,
            }
            for r in board["rows"]
            for x in [r["inspection"]]
        ],
    }


@router.get("/caps")
def caps(request, year: Year | None = None):
    """Each township and station in scope: inspections received in the year against its cap."""
    year = year or timezone.localdate().year
    return [
        {
            "unit": r["unit"].name,
            "unit_id": r["unit"].pk,
            "region": r["unit"].region.code,
            "target": str(r["target"]),
            "used": r["used"],
            "limit": r["cap"].limit if r["cap"] else None,
            "left": r["left"],
            "document": r["cap"].document if r["cap"] else None,
        }
        for r in selectors.caps_table(request.user, year)
    ]


class CapIn(Schema):
    region: str = Field(..., description="设定上限的县（区）代码")
    year: Year
    target: str
    limit: int
    document: str


@router.put("/caps", response={200: dict, codes_4xx: Error})
def cap_set(request, payload: CapIn):
    region = region_get_for(request.user, payload.region)
    try:
        cap = actions.cap_set(
            region=region,
            year=payload.year,
            target=payload.target,
            limit=payload.limit,
            document=payload.document,
            person=person_of(request.user),
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return {"region": region.code, "year": cap.year, "target": cap.target, "limit": cap.limit}


@router.get("/vetoes")
def veto_list(request):
    """The matters a one-vote veto over townships is allowed on (S4), with their documents."""
    return [_veto_out(a) for a in selectors.veto_authorizations()]


class VetoIn(Schema):
    matter: str
    authority: str
    document: str
    effective_from: dt.date
    effective_to: dt.date | None = None


class VetoEndIn(Schema):
    effective_to: dt.date


def _veto_out(a: VetoAuthorization) -> dict:
    return {
        "id": a.pk,
        "matter": a.matter,
        "authority": a.authority,
        "document": a.document,
        "effective_from": a.effective_from,
        "effective_to": a.effective_to,
    }


@router.post("/vetoes", response={201: dict, codes_4xx: Error})
def veto_add(request, payload: VetoIn):
    """Record a one-vote-veto authorisation (platform administrators)."""
    try:
        auth = actions.veto_authorization_add(
            **payload.dict(), person=person_of(request.user), by=request.user
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(201, _veto_out(auth))


@router.post("/vetoes/{pk}/end", response={200: dict, codes_4xx: Error})
def veto_end(request, pk: int, payload: VetoEndIn):
    """End an authorisation: items relying on it neither run nor veto after that day."""
    auth = VetoAuthorization.objects.filter(pk=pk).first()
    if auth is None:
        return Reply(404, {"detail": "没有这项一票否决授权"})
    try:
        auth = actions.veto_authorization_end(
            authorization=auth,
            effective_to=payload.effective_to,
            person=person_of(request.user),
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return _veto_out(auth)


# ---- two-way evaluation -------------------------------------------------------------------


class RoundIn(Schema):
    county: str = Field(..., description="县（区）代码")
    year: Year
    direction: str = Field(..., description="down 县评乡 / up 乡评县")


def _round_dict(rnd, person) -> dict:
    results = selectors.round_results(rnd, person)
    return {
        "id": rnd.pk,
        "county": rnd.county.code,
        "year": rnd.year,
        "direction": rnd.direction,
        "status": rnd.status,
        "results": [
            {
                "unit": r["unit"].name,
                "unit_id": r["unit"].pk,
                "rank": r["rank"],
                "mean": r["mean"],
                "low": r["low"],
                "high": r["high"],
                "n": r["n"],
                "mine": r["mine"].score if r["mine"] else None,
            }
            for r in results["rows"]
        ],
        "pending": [u.name for u in results["pending"]],
    }


@router.get("/rounds")
def round_list(request):
    return [
        {
            "id": r.pk,
            "county": r.county.code,
            "year": r.year,
            "direction": r.direction,
            "status": r.status,
            "scores": r.n_scores,
        }
        for r in selectors.rounds_for(request.user)[:500]
    ]


@router.post("/rounds", response={201: dict, codes_4xx: Error})
def round_open(request, payload: RoundIn):
    county = region_get_for(request.user, payload.county)
    person = person_of(request.user)
    try:
        rnd = actions.round_open(
            county=county,
            year=payload.year,
            direction=payload.direction,
            person=person,
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(201, _round_dict(rnd, person))


@router.get("/rounds/{pk}")
def round_get(request, pk: int):
    """Mean, lowest and highest score per ratee; the caller's own scores; who has not finished."""
    return _round_dict(selectors.round_get_for(request.user, pk), person_of(request.user))


class ScoreIn(Schema):
    unit: Id = Field(..., description="被评议单位的编号")
    score: int = Field(..., description="0–100")
    comment: str = ""


class RateIn(Schema):
    scores: list[ScoreIn]


@router.post("/rounds/{pk}/scores", response={200: dict, codes_4xx: Error})
def round_rate(request, pk: int, payload: RateIn):
    rnd = selectors.round_get_for(request.user, pk)
    person = person_of(request.user)
    _raters, ratees = selectors.raters_and_ratees(rnd)
    by_pk = {u.pk: u for u in ratees}
    try:
        unknown = [s.unit for s in payload.scores if s.unit not in by_pk]
        if unknown:
            raise ValidationError(f"这些单位不是本次评议的被评议单位：{unknown}")
        actions.evaluations_submit(
            rnd=rnd,
            person=person,
            scores=[(by_pk[s.unit], s.score, s.comment) for s in payload.scores],
            by=request.user,
        )
    except ValidationError as exc:
        return _bad(exc)
    return Reply(200, _round_dict(rnd, person))


@router.post("/rounds/{pk}/close", response={200: dict, codes_4xx: Error})
def round_close(request, pk: int):
    rnd = selectors.round_get_for(request.user, pk)
    person = person_of(request.user)
    try:
        actions.round_close(rnd=rnd, person=person, by=request.user)
    except ValidationError as exc:
        return _bad(exc)
    return Reply(200, _round_dict(rnd, person))
