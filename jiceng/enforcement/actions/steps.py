"""The steps of the procedure, from 责令停止 to 结案, with district approval, 不予处罚 and
撤销立案."""

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.workload.actions import task_open, tasks_finish_by_source

from .. import clocks, hearing, review
from ..content import Penalty, heavier, notified, orders_parse, penalty_parse
from ..errors import Conflict, Invalid
from ..models import (
    CancelGround,
    NoPenaltyGround,
    Outcome,
    PenaltyCase,
)
from .base import _actor, _ground, _move, _required, _when
from .onspot import close_unfiled


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
    A later notice (重新告知) replaces this one until a hearing is asked for: the intended penalty
    the decision is compared with (第四十五条), and the 5 days, start again; a statement recorded
    on the earlier notice stays in the step history only."""
    penalty = penalty_parse(
        kinds, fine_amount, confiscation_value, power_type=penalty_case.power.power_type
    )
    reasons: list[str] = []

    def notified(pc, now):
        reasons.extend(hearing.hearing_reasons(pc, penalty))
        _set_penalty(pc, penalty)
        pc.notified_kinds = list(penalty.kinds)
        pc.notified_fine, pc.notified_confiscation = penalty.fine, penalty.confiscation
        pc.statement, pc.statement_at, pc.statement_heard = "", None, False
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


def _check_not_heavier(pc: PenaltyCase, penalty: Penalty) -> None:
    """第四十五条: no heavier penalty than the one notified; to impose more, notify again."""
    intended = notified(pc)
    why = heavier(penalty, intended) if intended is not None else []
    if why:
        raise Conflict(
            _(
                "决定的处罚重于告知的拟处罚（%(why)s）。《行政处罚法》第四十五条：行政机关不得因"
                "当事人陈述、申辩而给予更重的处罚。如须加重，请先重新告知当事人拟作出的处罚，"
                "当事人陈述、申辩和要求听证的期限重新计算"
            )
            % {"why": "；".join(why)}
        )


def _check_review(pc: PenaltyCase, penalty: Penalty) -> None:
    """A 重大 decision waits for a 法制审核 that passed (第五十八条), judged on what is decided."""
    reason = review.review_refusal(pc, penalty)
    if reason:
        raise Conflict(reason)


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
        _check_not_heavier(pc, penalty)
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


def penaltycase_extend(
    *, penalty_case: PenaltyCase, due_on: dt.date | None, reason: str, by
) -> PenaltyCase:
    """延长作出决定期限, once, by the leader, before the 90 days run out: 第六十条 lets laws,
    regulations and rules set another limit ("另有规定的，从其规定"); the reason names that basis.
    The case then runs to the end of `due_on`; the first limit is kept."""
    reason = _required(reason, _("请填写延长的理由和所依据的法律、法规、规章"))
    if due_on is None:
        raise Invalid(_("请填写延长后的作出决定期限（年-月-日）"))

    def extended(pc, now):
        due = pc.decision_due_at
        if due is None:
            raise Conflict(_("本案没有作出决定的时限，无需延长"))
        if now > due:
            raise Conflict(_("作出决定的期限已于%(day)s届满，不能再延长") % {"day": _when(due)})
        if due_on <= pc.decision_last_day:
            raise Invalid(_("延长后的期限须晚于原期限%(day)s") % {"day": pc.decision_last_day})
        pc.decision_due_original, pc.decision_due_at = due, clocks.end_of_day(due_on)
        pc.decision_extended_at, pc.decision_extension_reason = now, reason

    data = {"due_on": due_on.isoformat()}
    return _move(
        penalty_case, "extend", by, note=reason, data=data, apply=extended, transition=False
    )


def penaltycase_serve(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    def served(pc, now):
        pc.served_at, pc.execute_due_at = now, clocks.deadline("performance", now)

    return _move(penalty_case, "serve", by, note=note, apply=served)


def penaltycase_close(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    """结案. An on-the-spot case nobody recorded 备案 for says so in its note (actions/onspot.py)."""
    if penalty_case.summary and penalty_case.summary_filed_at is None:
        note = "；".join(filter(None, [note.strip(), "简易程序处罚决定结案时尚未备案"]))

    def closed(pc, now):
        pc.closed_at = now
        close_unfiled(pc, by)

    return _move(penalty_case, "close", by, note=note, apply=closed)
