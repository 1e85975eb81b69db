"""案件台账: one row per penalty case of the caller's area, as the .xlsx the teams keep and report
(views.ledger_export). Bounded queries whatever the number of cases: the cases with their
relations, and the amount thresholds once (thresholds.preloaded) for 是否重大."""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import payment, review, selectors, thresholds
from .models import Outcome, PenaltyCase


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def _yes(flag) -> str:
    return _("是") if flag else _("否")


def header() -> list[str]:
    return [
        _("案件编号"),
        _("当事人"),
        _("当事人类型"),
        _("当事人住所或地址"),
        _("权力事项"),
        _("程序"),
        _("违法行为发生日"),
        _("立案日期"),
        _("承办单位"),
        _("是否区级审批"),
        _("是否重大（法制审核）"),
        _("是否听证"),
        _("处罚种类"),
        _("罚款金额"),
        _("没收金额"),
        _("决定日期"),
        _("送达日期"),
        _("缴纳方式"),
        _("缴纳日期"),
        _("实缴金额"),
        _("加处罚款"),
        _("结案日期"),
        _("当前状态"),
    ]


def _decided(pc: PenaltyCase) -> str:
    """What was decided: the kinds of a penalty; 不予行政处罚 with its orders; "" before 决定."""
    if pc.outcome == Outcome.NO_PENALTY:
        return "；".join(filter(None, [str(_("不予行政处罚")), pc.penalty_labels]))
    return pc.penalty_labels if pc.outcome == Outcome.PENALTY else ""


def _payment(pc: PenaltyCase) -> list:
    """How the fine was paid, when (the payment at 执行), how much in all (instalments too);
    加处罚款: what was paid with it, or — for a fine still unpaid past its last day — what has
    accrued to today (第七十二条)."""
    if pc.payment_method:
        method = str(pc.get_payment_method_display())
        return [method, pc.paid_on, pc.total_paid, pc.total_surcharge or None]
    late = payment.overdue_unpaid(pc)
    return ["", None, None, late.amount if late else None]


def row(pc: PenaltyCase) -> list:
    penalty = pc.outcome == Outcome.PENALTY
    return [
        pc.code,
        pc.party_name,
        str(pc.get_party_kind_display()),
        pc.party_address,
        f"{pc.power.code} {pc.power.name}",
        str(pc.get_procedure_display()),
        pc.act_date,
        _day(pc.filed_at),
        pc.handling_unit.name,
        _yes(pc.approval_required),
        _yes(review.major_reasons(pc)),
        _yes(pc.hearing_held_at),
        _decided(pc),
        pc.fine_amount if penalty else None,
        pc.confiscation_value if penalty else None,
        _day(pc.decided_at),
        _day(pc.served_at),
        *_payment(pc),
        _day(pc.closed_at),
        str(pc.get_state_display()),
    ]


def rows(user, state: str | None = None) -> list[list]:
    """The header, then every case of the caller's area (the list's state filter applied)."""
    cases = selectors.penalty_cases_for(user, state=state)
    with thresholds.preloaded():
        return [header(), *(row(pc) for pc in cases)]
