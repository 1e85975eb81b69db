"""Every write of the penalty procedure: open (立案), each step, district approval, evidence.

Each function locks the case, asks selectors.refusal whether the state, the caller and the
conditions allow the step, changes it, and writes the step history and the audit row in the
same transaction: a refused step leaves nothing behind. Messages to the caller go through
gettext; what is recorded (step notes, the holder explanation, inbox subjects) stays in Chinese,
whatever the language of the person who took the step: it is the file of the case.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit, snapshot
from jiceng.org.models import Level, Person, Region, Role, Unit
from jiceng.org.scope import person_of
from jiceng.powers.models import Delegation, PowerItem
from jiceng.powers.selectors import holder
from jiceng.workload.actions import task_open, tasks_finish_by_source

from . import clocks, files, guards, hearing, review, selectors
from .content import Penalty, orders_parse, penalty_parse
from .errors import Conflict, Forbidden, Invalid
from .models import (
    ENDED,
    ENFORCEABLE_TYPES,
    CancelGround,
    Evidence,
    MajorGround,
    NoPenaltyGround,
    Outcome,
    PartyKind,
    PenaltyCase,
    PenaltyStep,
    ReviewResult,
)

TRACKED = [
    "state",
    "approval_required",
    "stop_ordered_at",
    "notified_at",
    "hearing_until",
    "hearing_right",
    "hearing_requested_at",
    "hearing_withdrawn_at",
    "hearing_held_at",
    "hearing_host_id",
    "hearing_note",
    "approved_at",
    "decided_at",
    "served_at",
    "executed_at",
    "closed_at",
    "outcome",
    "decision",
    "no_penalty_ground",
    "cancel_ground",
    "cancel_reason",
    "cancelled_at",
    "major_grounds",
    "major_marked_at",
    "legal_review",
    "legal_review_opinion",
    "legal_reviewed_at",
    "penalty_kinds",
    "fine_amount",
    "confiscation_value",
]


EVIDENCE_FIELDS = [
    "penalty_case_id",
    "name",
    "content_type",
    "size",
    "sha256",
    "captured_by_id",
    "captured_at",
    "device",
    "note",
    "uploaded_by_id",
]


@dataclass(frozen=True)
class Route:
    """Whether the district must approve, which unit, and why (holder()'s explanation)."""

    approval_required: bool
    approval_unit: Unit | None
    explanation: str
    delegation: Delegation | None


def penalty_route(power: PowerItem, township: Region, act_date: dt.date) -> Route:
    """The procedure follows the holder of the power at the township on the date of the act."""
    answer = holder(power, township, act_date)
    day = act_date.isoformat()
    if answer.level == Level.TOWNSHIP:
        text = f"违法行为发生日（{day}）：{answer.explanation}。由乡镇自行作出处罚决定"
        return Route(False, None, text, answer.delegation)
    if answer.unit is None:
        raise Invalid(
            _("违法行为发生日（%(day)s）%(explanation)s，无法确定审批单位")
            % {"day": day, "explanation": answer.explanation}
        )
    text = (
        f"违法行为发生日（{day}）：{answer.explanation}。"
        f"乡镇办理，须报{answer.unit.name}审批后方可作出处罚决定"
    )
    return Route(True, answer.unit, text, None)


def _actor(by):
    return by if getattr(by, "pk", None) else None


def _name_of(by) -> str:
    person = person_of(by)
    return person.name if person else getattr(by, "username", "")


def _record(pc: PenaltyCase, step: str, by, *, frm: str, note: str = "", data=None) -> None:
    """One row of the step history (全过程记录, 《行政处罚法》第四十七条) and its audit row."""
    person = person_of(by)
    last = pc.steps.order_by("-seq").values_list("seq", flat=True).first() or 0
    PenaltyStep.objects.create(
        penalty_case=pc,
        seq=last + 1,
        step=step,
        from_state=frm,
        to_state=pc.state,
        actor=_actor(by),
        actor_name=_name_of(by),
        unit_name=person.unit.name if person and person.unit else "",
        note=note,
        data=data or {},
    )


def _lock(pc: PenaltyCase) -> PenaltyCase:
    return (
        PenaltyCase.objects.select_for_update(of=("self",))
        .select_related("township", "approval_unit", "power")
        .get(pk=pc.pk)
    )


def _new_code(now: dt.datetime) -> str:
    prefix = f"ZF{timezone.localtime(now):%Y%m%d}"
    n = PenaltyCase.objects.filter(code__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}"


def _check_open(power: PowerItem, township: Region, act_date, discovered_on, party, by) -> Unit:
    if power.power_type not in ENFORCEABLE_TYPES:
        raise Invalid(
            _("「%(power)s」不是行政处罚或行政强制事项，不能办理执法案件") % {"power": power.name}
        )
    if not guards.of_township(by, township, Role.ENFORCEMENT_OFFICER):
        raise Forbidden(_("只有%(township)s的执法人员可以立案") % {"township": township.name})
    today = timezone.localdate()
    if act_date > today or discovered_on > today:
        raise Invalid(_("违法行为发生日和发现日期不能晚于今天"))
    if discovered_on < act_date:
        raise Invalid(_("发现日期不能早于违法行为发生日"))
    if not party.strip():
        raise Invalid(_("请填写当事人"))
    person = person_of(by)
    unit = person.unit if person else None
    if unit is None:
        raise Invalid(_("您的账号没有所属单位，不能立案"))
    return unit


def penaltycase_open(
    *,
    power: PowerItem,
    township: Region,
    act_date: dt.date,
    party_name: str,
    facts: str = "",
    discovered_on: dt.date | None = None,
    party_kind: str = PartyKind.INDIVIDUAL,
    case=None,
    demo: bool = False,
    by,
) -> PenaltyCase:
    """立案: the holder on the act's date decides whether the district's approval is required."""
    discovered_on = discovered_on or timezone.localdate()
    unit = _check_open(power, township, act_date, discovered_on, party_name, by)
    party_kind = _ground(party_kind, PartyKind, _("当事人类型须为公民或法人或者其他组织"))
    route = penalty_route(power, township, act_date)
    now = timezone.now()
    with transaction.atomic():
        if (
            case is not None
            and case.penalty_cases.exclude(state__in=ENDED).filter(power=power).exists()
        ):
            raise Conflict(
                _("案件%(case)s已有未结案的「%(power)s」执法案件")
                % {"case": case.code, "power": power.name}
            )
        pc = PenaltyCase(
            code=_new_code(now),
            case=case,
            power=power,
            township=township,
            act_date=act_date,
            discovered_on=discovered_on,
            party_name=party_name.strip()[:100],
            party_kind=party_kind,
            facts=facts.strip(),
            handling_unit=unit,
            approval_required=route.approval_required,
            approval_unit=route.approval_unit,
            holder_explanation=route.explanation[:500],
            delegation=route.delegation,
            filed_at=now,
            filing_due_on=clocks.filing_due(discovered_on),
            decision_due_at=clocks.deadline("decision", now),
            created_by=_actor(by),
            demo=demo,
        )
        try:
            with transaction.atomic():
                pc.save()
        except IntegrityError as exc:
            raise Conflict(_("执法案件编号冲突，请重试")) from exc
        _record(pc, "open", by, frm="", note=route.explanation, data={"power": power.code})
        audit(actor=_actor(by), verb="enforcement.open", obj=pc, after=snapshot(pc))
    return pc


def penaltycase_open_from_case(
    *,
    case,
    party_name: str,
    power_code: str = "",
    act_date=None,
    party_kind: str = PartyKind.INDIVIDUAL,
    by,
) -> PenaltyCase:
    """立案 on a reported case: its township, its act date and its routed power by default."""
    code = power_code or case.route_power
    power = PowerItem.objects.filter(code=code).first()
    if power is None:
        raise Invalid(
            _("未知的权力事项编码「%(code)s」") % {"code": code} if code else _("请选择权力事项")
        )
    occurred = act_date or timezone.localtime(case.occurred_at).date()
    return penaltycase_open(
        power=power,
        township=case.township,
        act_date=occurred,
        discovered_on=timezone.localtime(case.reported_at).date(),
        party_name=party_name,
        facts=case.description,
        party_kind=party_kind,
        case=case,
        by=by,
    )


def _move(
    pc: PenaltyCase, name: str, by, *, note: str = "", data=None, apply=None, transition=True
):
    """Take one step: lock, check, change, save, step history, audit. A step that is not a
    transition (责令停止) records the change `apply` makes and leaves the state as it is. `data`
    may be a function of the locked case."""
    with transaction.atomic():
        pc = _lock(pc)
        exc = selectors.refusal(pc, name, by)
        if exc is not None:
            raise exc
        before, frm = snapshot(pc, TRACKED), pc.state
        if transition:
            getattr(pc, name)()
        if apply is not None:
            apply(pc, timezone.now())
        pc.save()
        data = data(pc) if callable(data) else data
        _record(pc, name, by, frm=frm, note=note.strip(), data=data)
        audit(
            actor=_actor(by),
            verb=f"enforcement.{name}",
            obj=pc,
            before=before,
            after=snapshot(pc, TRACKED),
        )
    return pc


def penaltycase_order_stop(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    """责令停止 (《行政处罚法》第二十八条; 《城乡规划法》第六十五条): an immediate order on site,
    recorded; it does not move the procedure."""

    def stopped(pc, now):
        pc.stop_ordered_at = now

    return _move(
        penalty_case,
        "order_stop",
        by,
        note=note.strip() or "现场责令停止违法行为",
        apply=stopped,
        transition=False,
    )


def penaltycase_investigate(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    return _move(penalty_case, "investigate", by, note=note)


def penaltycase_notify(
    *,
    penalty_case: PenaltyCase,
    kinds: Iterable[str] = (),
    fine_amount=None,
    confiscation_value=None,
    hearing_offered: bool = False,
    note: str = "",
    by,
) -> PenaltyCase:
    """告知 (第四十四条): the party learns the intended penalty (what and how much) and may state,
    defend and, when the penalty carries the right (第六十三条), ask for a hearing within 5
    working days. `hearing_offered` gives the right for 其他较重的行政处罚 the rules do not see.
    A later notice replaces this one until a hearing is asked for."""
    penalty = penalty_parse(
        kinds, fine_amount, confiscation_value, power_type=penalty_case.power.power_type
    )
    reasons: list[str] = []

    def notified(pc, now):
        reasons.extend(hearing.hearing_reasons(pc, penalty))
        _set_penalty(pc, penalty)
        pc.hearing_right = bool(reasons) or hearing_offered
        pc.notified_at, pc.hearing_until = now, clocks.deadline("hearing", now)

    def data(pc):
        return {**penalty.data(), "hearing_right": pc.hearing_right, "offered": hearing_offered}

    return _move(penalty_case, "notify", by, note=note, data=data, apply=notified)


def _approval_key(pc: PenaltyCase) -> str:
    return f"enforcement:{pc.pk}:approval"


def _approval_link(pc: PenaltyCase) -> str:
    return reverse("enforcement:detail", args=[pc.code])


def penaltycase_submit(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    """报区级审批: the district unit that held the power on the act's date gets it in its inbox."""

    def ask(pc, now):
        task_open(
            kind="other",
            subject=f"审批执法案件 {pc.code}（{pc.party_name}）",
            region=pc.township,
            by=_actor(by),
            assignee_unit=pc.approval_unit,
            from_unit=pc.handling_unit,
            due_at=pc.decision_due_at,
            body=pc.holder_explanation,
            link=_approval_link(pc),
            source_key=_approval_key(pc),
            details={"penalty_case": pc.code},
        )

    return _move(penalty_case, "submit", by, note=note, apply=ask)


def _finish_approval_task(pc: PenaltyCase, by, reason: str) -> None:
    tasks_finish_by_source(source_key=_approval_key(pc), by=_actor(by), reason=reason)


def penaltycase_approve(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    def approved(pc, now):
        pc.approved_at = now
        _finish_approval_task(pc, by, "同意")

    return _move(penalty_case, "approve", by, note=note or "同意", apply=approved)


def penaltycase_reject(*, penalty_case: PenaltyCase, reason: str, by) -> PenaltyCase:
    """区级退回: back to investigation (补充调查), with the reason."""
    reason = _required(reason, _("请填写退回理由"))
    return _move(
        penalty_case,
        "reject",
        by,
        note=reason,
        apply=lambda pc, now: _finish_approval_task(pc, by, f"退回：{reason[:150]}"),
    )


def _check_hearing_right(pc: PenaltyCase, penalty: Penalty) -> None:
    """A penalty that carries the right to a hearing needs a notice that offered it."""
    reasons = hearing.hearing_reasons(pc, penalty)
    if reasons and not pc.hearing_right:
        raise Conflict(
            _(
                "决定的处罚属于听证范围（%(why)s），但告知时未告知当事人有要求听证的权利"
                "（《行政处罚法》第四十四条、第六十三条）：请重新告知"
            )
            % {"why": "；".join(reasons)}
        )


def _check_review(pc: PenaltyCase, penalty: Penalty) -> None:
    """A 重大 decision waits for a 法制审核 that passed (第五十八条), judged on what is decided."""
    reason = review.review_refusal(pc, penalty)
    if reason:
        raise Conflict(reason)


def penaltycase_mark_major(*, penalty_case: PenaltyCase, ground: str, note: str, by) -> PenaltyCase:
    """认定重大执法决定 (第五十八条第一款第一、三、四项) by an officer or the leader, with the ground
    and why: the decision then waits for a 法制审核 made after it."""
    ground = _ground(ground, MajorGround, _("请选择重大执法决定的情形"))
    note = _required(note, _("请说明认定为重大执法决定的理由"))

    def marked(pc, now):
        if ground in pc.major_grounds:
            raise Conflict(_("本案已按该情形认定为重大执法决定"))
        pc.major_grounds = [*pc.major_grounds, ground]
        pc.major_note = "\n".join(filter(None, [pc.major_note, note]))
        pc.major_marked_at = now

    return _move(
        penalty_case,
        "mark_major",
        by,
        note=note,
        data={"ground": ground},
        apply=marked,
        transition=False,
    )


def penaltycase_legal_review(
    *, penalty_case: PenaltyCase, result: str, opinion: str, by
) -> PenaltyCase:
    """法制审核 (第五十八条) by a 法制审核人员 of the township: 通过 or 不通过, with the opinion.
    The latest review counts; one made before a later notice, ground or hearing does not."""
    result = _ground(result, ReviewResult, _("请选择法制审核结果：通过或不通过"))
    opinion = _required(opinion, _("请填写法制审核意见"))

    def reviewed(pc, now):
        pc.legal_review, pc.legal_review_opinion, pc.legal_reviewed_at = result, opinion, now
        pc.legal_reviewer = _actor(by)
        pc.legal_reviewer_name = _name_of(by)

    def data(pc):
        return {"result": result, "reasons": [code for code, _t in review.major_reasons(pc)]}

    return _move(
        penalty_case,
        "legal_review",
        by,
        note=opinion,
        data=data,
        apply=reviewed,
        transition=False,
    )


def _set_penalty(pc: PenaltyCase, penalty: Penalty) -> None:
    pc.penalty_kinds = list(penalty.kinds)
    pc.fine_amount, pc.confiscation_value = penalty.fine, penalty.confiscation


def penaltycase_decide(
    *,
    penalty_case: PenaltyCase,
    decision: str,
    kinds: Iterable[str] = (),
    fine_amount=None,
    confiscation_value=None,
    waived: bool = False,
    by,
) -> PenaltyCase:
    """作出处罚决定 with what it imposes (第九条 kinds, the fine in yuan): not before the party's
    5 working days to ask a hearing are over (第六十四条), unless the party waived them in
    writing."""
    decision = _required(decision, _("请填写处罚决定内容"))
    penalty = penalty_parse(
        kinds, fine_amount, confiscation_value, power_type=penalty_case.power.power_type
    )

    def decided(pc, now):
        _check_hearing_right(pc, penalty)
        _check_review(pc, penalty)
        heard = pc.hearing_held_at or pc.hearing_withdrawn_at
        if pc.hearing_until and now < pc.hearing_until and not waived and not heard:
            until = timezone.localtime(pc.hearing_until).strftime("%Y-%m-%d %H:%M")
            raise Conflict(
                _(
                    "当事人陈述、申辩和要求听证的期限至%(until)s未届满（《行政处罚法》第六十四条）；"
                    "如当事人已书面放弃，请勾选“当事人已放弃”"
                )
                % {"until": until}
            )
        pc.outcome, pc.decision, pc.decided_at = Outcome.PENALTY, decision, now
        _set_penalty(pc, penalty)
        pc.serve_due_at = clocks.deadline("service", now)

    data = {"waived": waived, **penalty.data()}
    return _move(penalty_case, "decide", by, note=decision, data=data, apply=decided)


def _required(text: str, missing: str) -> str:
    """A reason, opinion or decision text that may not be left empty."""
    text = (text or "").strip()
    if not text:
        raise Invalid(missing)
    return text


def _ground(raw: str, choices, missing: str) -> str:
    if raw not in choices.values:
        raise Invalid(missing)
    return raw


def penaltycase_no_penalty(
    *, penalty_case: PenaltyCase, ground: str, note: str, kinds: Iterable[str] = (), by
) -> PenaltyCase:
    """不予行政处罚决定 by the leader (第五十七条第一款第二项), on one of the grounds of
    NoPenaltyGround, with a note; orders (责令改正 / 责令限期拆除, 第二十八条) may go with it.
    The decision is then served (第六十一条) and the case closed: there is nothing to execute."""
    ground = _ground(ground, NoPenaltyGround, _("请选择不予处罚的法定情形"))
    note = _required(note, _("请填写不予处罚的事实和理由"))
    orders = orders_parse(kinds)

    def decided(pc, now):
        _check_review(pc, review.NO_PENALTY)
        pc.outcome, pc.no_penalty_ground = Outcome.NO_PENALTY, ground
        pc.decision, pc.decided_at = note, now
        pc.penalty_kinds, pc.fine_amount, pc.confiscation_value = list(orders), None, None
        pc.serve_due_at = clocks.deadline("service", now)

    data = {"ground": ground, "penalty_kinds": list(orders)}
    return _move(penalty_case, "no_penalty", by, note=note, data=data, apply=decided)


def penaltycase_cancel(*, penalty_case: PenaltyCase, ground: str, reason: str, by) -> PenaltyCase:
    """撤销立案 by the leader, before any decision, with the ground and the reason: the case ends
    here (a district approval it waited for is taken out of the district's inbox)."""
    ground = _ground(ground, CancelGround, _("请选择撤销立案的情形"))
    reason = _required(reason, _("请填写撤销立案的理由"))

    def cancelled(pc, now):
        pc.cancel_ground, pc.cancel_reason, pc.cancelled_at = ground, reason, now
        if pc.approval_required:
            _finish_approval_task(pc, by, f"撤销立案：{reason[:150]}")

    return _move(penalty_case, "cancel", by, note=reason, data={"ground": ground}, apply=cancelled)


def penaltycase_serve(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    def served(pc, now):
        pc.served_at, pc.execute_due_at = now, clocks.deadline("performance", now)

    return _move(penalty_case, "serve", by, note=note, apply=served)


def penaltycase_execute(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    def executed(pc, now):
        pc.executed_at = now

    return _move(penalty_case, "execute", by, note=note, apply=executed)


def penaltycase_close(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    def closed(pc, now):
        pc.closed_at = now

    return _move(penalty_case, "close", by, note=note, apply=closed)


def _moment(at: dt.datetime | None, now: dt.datetime, what: str) -> dt.datetime:
    at = at or now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + dt.timedelta(minutes=5):
        raise Invalid(_("%(what)s不能晚于现在") % {"what": what})
    return at


def _when(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def penaltycase_hearing_request(
    *, penalty_case: PenaltyCase, at: dt.datetime | None = None, note: str = "", by
) -> PenaltyCase:
    """当事人要求听证, recorded by an officer: within 5 working days of the notice (第六十四条第一项),
    for a penalty that carries the right (第六十三条). `at` is when the party asked (now if not
    given); a request after the time is refused with the date it ran out."""

    def asked(pc, now):
        when = _moment(at, now, _("要求听证的时间"))
        if pc.notified_at and when < pc.notified_at:
            raise Invalid(_("要求听证的时间不能早于告知时间"))
        if pc.hearing_until and when > pc.hearing_until:
            raise Conflict(
                _(
                    "要求听证的期限已于%(until)s届满（《行政处罚法》第六十四条第一项：告知后五日内提出）"
                )
                % {"until": _when(pc.hearing_until)}
            )
        pc.hearing_requested_at = when

    data = {"at": at.isoformat() if at else None}
    return _move(
        penalty_case,
        "hearing_request",
        by,
        note=note or "当事人要求听证",
        data=data,
        apply=asked,
        transition=False,
    )


def penaltycase_hearing_hold(
    *, penalty_case: PenaltyCase, at: dt.datetime | None, host, note: str, by
) -> PenaltyCase:
    """举行听证 (第六十四条): when it was held, who chaired it — staff of the township who did not
    investigate the case (第四项) — and a summary of the record (第八项). It is held no earlier
    than 7 working days after the request (第二项: the party is told 7 days before)."""
    note = _required(note, _("请填写听证笔录摘要"))
    if at is None:
        raise Invalid(_("请填写举行听证的时间"))
    chair = selectors.township_staff(penalty_case).filter(pk=host or 0).first()
    if chair is None:
        raise Invalid(_("听证主持人须为本乡镇街道的工作人员"))

    def held(pc, now):
        when = _moment(at, now, _("听证时间"))
        earliest = selectors.hearing_earliest(pc)
        if earliest is not None and timezone.localtime(when).date() < earliest:
            raise Invalid(
                _(
                    "听证应当在通知当事人七个工作日后举行（《行政处罚法》第六十四条第二项），最早为%(day)s"
                )
                % {"day": earliest.isoformat()}
            )
        if hearing.investigators(pc).filter(pk=chair.pk).exists():
            raise Invalid(
                _("%(name)s参与了本案调查，不能主持听证（《行政处罚法》第六十四条第四项）")
                % {"name": chair.name}
            )
        pc.hearing_held_at, pc.hearing_host, pc.hearing_note = when, chair, note

    data = {"at": at.isoformat(), "host": chair.pk}
    return _move(
        penalty_case, "hearing_hold", by, note=note, data=data, apply=held, transition=False
    )


def penaltycase_hearing_withdraw(*, penalty_case: PenaltyCase, note: str, by) -> PenaltyCase:
    """当事人撤回听证申请, recorded by an officer with what the party said: the decision may follow."""
    note = _required(note, _("请填写当事人撤回听证申请的情况"))

    def withdrawn(pc, now):
        pc.hearing_withdrawn_at = now

    return _move(penalty_case, "hearing_withdraw", by, note=note, apply=withdrawn, transition=False)


# The form fields each step takes, and the argument each becomes: the pages and the API post a
# form (every field present, empty when not asked) and penaltycase_step calls the action.
_NOTE = {"note": "note"}
_PENALTY = {
    "kinds": "kinds",
    "fine_amount": "fine_amount",
    "confiscation_value": "confiscation_value",
}
STEP_FORMS: dict[str, tuple[Callable[..., PenaltyCase], dict[str, str]]] = {
    "order_stop": (penaltycase_order_stop, _NOTE),
    "investigate": (penaltycase_investigate, _NOTE),
    "notify": (penaltycase_notify, {**_NOTE, **_PENALTY, "hearing_offered": "hearing_offered"}),
    "hearing_request": (penaltycase_hearing_request, {**_NOTE, "at": "at"}),
    "hearing_hold": (penaltycase_hearing_hold, {**_NOTE, "at": "at", "host": "host"}),
    "hearing_withdraw": (penaltycase_hearing_withdraw, _NOTE),
    "mark_major": (penaltycase_mark_major, {**_NOTE, "ground": "ground"}),
    "legal_review": (penaltycase_legal_review, {"note": "opinion", "result": "result"}),
    "submit": (penaltycase_submit, _NOTE),
    "approve": (penaltycase_approve, _NOTE),
    "reject": (penaltycase_reject, {"note": "reason"}),
    "decide": (penaltycase_decide, {"note": "decision", **_PENALTY, "waived": "waived"}),
    "no_penalty": (penaltycase_no_penalty, {**_NOTE, "ground": "ground", "kinds": "kinds"}),
    "cancel": (penaltycase_cancel, {"note": "reason", "ground": "ground"}),
    "serve": (penaltycase_serve, _NOTE),
    "execute": (penaltycase_execute, _NOTE),
    "close": (penaltycase_close, _NOTE),
}


def penaltycase_step(
    *, penalty_case: PenaltyCase, name: str, form: Mapping[str, Any], by
) -> PenaltyCase:
    """One step by name (the pages' and the API's buttons), with the fields of its form."""
    if name not in STEP_FORMS:
        raise Invalid(_("未知的执法环节「%(name)s」") % {"name": name})
    action, fields = STEP_FORMS[name]
    args = {arg: form[key] for key, arg in fields.items() if key in form}
    return action(penalty_case=penalty_case, by=by, **args)


def _check_capture(pc: PenaltyCase, captured_by: Person, captured_at: dt.datetime) -> None:
    region = captured_by.region
    if region is None or not (
        pc.township.code.startswith(region.code) or region.code.startswith(pc.township.code)
    ):
        raise Invalid(
            _("采集人%(person)s不是%(township)s或其上级的工作人员")
            % {"person": captured_by.name, "township": pc.township.name}
        )
    if captured_at > timezone.now() + dt.timedelta(minutes=5):
        raise Invalid(_("采集时间不能晚于现在"))


def evidence_add(
    *,
    penalty_case: PenaltyCase,
    upload,
    captured_by: Person,
    captured_at: dt.datetime,
    device: str = "",
    note: str = "",
    by,
) -> Evidence:
    """Keep one evidence file unchanged under MEDIA, with its SHA-256 computed here."""
    checked = files.check(upload)
    with transaction.atomic():
        pc = _lock(penalty_case)
        exc = selectors.upload_refusal(pc, by)
        if exc is not None:
            raise exc
        _check_capture(pc, captured_by, captured_at)
        ev = Evidence(
            penalty_case=pc,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            captured_by=captured_by,
            captured_at=captured_at,
            device=device.strip()[:100],
            note=note.strip()[:300],
            uploaded_by=_actor(by),
        )
        ev.file.save(f"{pc.code}-{checked.sha256[:16]}", upload, save=False)
        ev.save()
        _record(
            pc,
            "evidence",
            by,
            frm=pc.state,
            note=f"{checked.name}（{device or '未登记设备'}）",
            data={"evidence": ev.pk, "sha256": checked.sha256},
        )
        after = snapshot(ev, EVIDENCE_FIELDS)
        after["file"] = ev.file.name
        audit(actor=_actor(by), verb="enforcement.evidence", obj=ev, after=after)
    return ev
