"""缴纳罚款: how a fine may be paid and the 加处罚款 of a late one, as dated rules (like clocks.py).

《中华人民共和国行政处罚法》(2021 revision, in force from 2021-07-15):
- 第六十七条 决定与收缴分离: the body that decides a fine does not collect it; the party pays at the
  designated bank or through the electronic payment system within 15 days of receiving the
  decision (clocks "performance"), except for the on-the-spot collection of 第六十八、六十九条.
- 第六十八条: after a decision made on the spot under 第五十一条 (简易程序), the officers may collect
  on the spot (一) a fine of 100 yuan or less (20 yuan under the 1996 law, 第四十七条), or (二) when
  not collecting it then would make it hard to execute afterwards.
- 第六十九条: in 边远、水上、交通不便地区, after a decision under 第五十一条 or 第五十七条, when paying at
  the bank or electronically is really difficult for the party and the party asks.
- 第七十条: on-the-spot collection gives the finance department's special receipt (专用票据).
- 第七十一条: the money reaches the agency within 2 working days (clocks "handin").
- 第七十二条第一款第一项: a fine not paid by its due date adds 3% of the fine a day, never more than
  the fine.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .clocks import LAW_2021
from .errors import Conflict, Invalid
from .models import ON_SPOT_PAYMENTS, Outcome, PaymentMethod, PenaltyKind, Procedure, last_day

FEN = Decimal("0.01")


@dataclass(frozen=True)
class SmallFine:
    """第六十八条第一项: the largest fine the officers may collect on the spot for its amount."""

    amount: Decimal
    basis: str
    effective_from: dt.date


SMALL_FINES = [
    SmallFine(Decimal("20"), "《行政处罚法》（1996年）第四十七条第一项", dt.date(1996, 10, 1)),
    SmallFine(Decimal("100"), "《行政处罚法》（2021年）第六十八条第一项", LAW_2021),
]


@dataclass(frozen=True)
class SurchargeRule:
    """第七十二条第一款第一项: `rate` of the fine for each day late, never more than the fine."""

    rate: Decimal
    basis: str
    effective_from: dt.date


SURCHARGES = [
    SurchargeRule(
        Decimal("0.03"),
        "《行政处罚法》（2021年）第七十二条第一款第一项：到期不缴纳罚款的，每日按罚款数额的"
        "百分之三加处罚款，加处罚款的数额不得超出罚款的数额",
        LAW_2021,
    ),
]


def _in_force(rules, on: dt.date):
    found = [r for r in rules if r.effective_from <= on]
    return max(found, key=lambda r: r.effective_from) if found else None


def small_fine(on: dt.date) -> SmallFine | None:
    return _in_force(SMALL_FINES, on)


def surcharge_rule(on: dt.date) -> SurchargeRule | None:
    return _in_force(SURCHARGES, on)


@dataclass(frozen=True)
class Surcharge:
    days: int  # whole days late on the day asked about
    amount: Decimal  # yuan, to the fen, at most the fine
    first_late_day: dt.date | None
    basis: str


NONE = Surcharge(0, Decimal("0.00"), None, "")


def fine_of(pc) -> Decimal | None:
    """The fine the decision imposes (None for a warning only, 不予处罚, confiscation only)."""
    if pc.outcome != Outcome.PENALTY or PenaltyKind.FINE not in pc.penalty_kinds:
        return None
    return pc.fine_amount


def pay_last_day(pc) -> dt.date | None:
    """The last day to pay (第六十七条): the 15th day after the decision was received; on an
    approved deferral or schedule (第六十六条第二款), the day of the last instalment."""
    if pc.payment_schedule:
        return dt.date.fromisoformat(pc.payment_schedule[-1]["due_on"])
    return last_day(pc.execute_due_at)


def unpaid(pc) -> list[dict]:
    """The instalments of an approved schedule not yet paid, in order."""
    return [e for e in pc.payment_schedule if not e.get("paid_on")]


def outstanding(pc) -> Decimal | None:
    """What is left of the fine (without 加处罚款): the unpaid instalments, or the whole fine."""
    fine = fine_of(pc)
    if fine is None or not pc.payment_schedule:
        return fine
    return sum((Decimal(e["amount"]) for e in unpaid(pc)), Decimal(0))


def late(amount: Decimal, last: dt.date, on: dt.date) -> Surcharge:
    """加处罚款 of `amount` due by `last` and paid (or still unpaid) on `on`: see surcharge()."""
    first = last + dt.timedelta(days=1)
    rule = surcharge_rule(first)
    if rule is None:
        return NONE
    days = max(0, (on - last).days)
    extra = min(amount * rule.rate * days, amount).quantize(FEN, rounding=ROUND_HALF_UP)
    return Surcharge(days, extra, first, rule.basis)


def surcharge(pc, on: dt.date) -> Surcharge:
    """加处罚款 (第七十二条第一款第一项) of a fine paid — or still unpaid — on day `on`.

    Which day is the first late day: the 15 days of 第六十七条 run from the day after the decision
    was received (the day of receipt is not counted, as for every period counted in days:
    《民法典》第二百零一条); clocks.deadline("performance") ends them at midnight after that
    15th day (served 3 March → the last day is 18 March, `pay_last_day`). A payment on the last
    day itself is on time: nothing is added. "到期不缴纳的，每日…" then adds 3% for each day after
    it, counted in whole days: the day after the last day is day 1 (paid on 19 March: 3%), any
    time of that day. So days late = `on` − last day, never below 0. The cap comes on day 34
    (34 × 3% = 102% > 100%): from then on the surcharge equals the fine.

    On an approved deferral or schedule (第六十六条第二款) each unpaid instalment counts from its
    own approved day, at 3% of the instalment a day and never more than the instalment (so never
    more than the fine): "罚款数额" is read as the sum that is late, not the whole fine.

    Not done: a last day falling on a public holiday is not moved to the next working day
    (《民法典》第二百零三条 would move it; the performance clock does not, so neither does this).
    The rule applied is the one in force on the first late day; before 2021-07-15 there is none
    (no performance clock either), and nothing is computed.
    """
    fine = fine_of(pc)
    if fine is None:
        return NONE
    if pc.payment_schedule:
        parts = [
            late(Decimal(e["amount"]), dt.date.fromisoformat(e["due_on"]), on) for e in unpaid(pc)
        ]
        parts = [p for p in parts if p.days]
        if not parts:
            return NONE
        return Surcharge(
            max(p.days for p in parts),
            sum((p.amount for p in parts), Decimal("0.00")),
            min(p.first_late_day for p in parts if p.first_late_day),
            parts[0].basis,
        )
    last = last_day(pc.execute_due_at)
    return NONE if last is None else late(fine, last, on)


def amount_due(pc, on: dt.date) -> Decimal | None:
    """What is left of the fine plus the 加处罚款 of day `on` (None when there is no fine)."""
    left = outstanding(pc)
    return None if left is None else left + surcharge(pc, on).amount


def instalment_due(pc, on: dt.date) -> Decimal | None:
    """The next instalment of an approved schedule with its own 加处罚款 on day `on` (None
    without instalments still to pay before the last)."""
    left = unpaid(pc)
    if pc.deferral_kind != "instalments" or len(left) < 2:
        return None
    amount = Decimal(left[0]["amount"])
    return amount + late(amount, dt.date.fromisoformat(left[0]["due_on"]), on).amount


def overdue_unpaid(pc, today: dt.date | None = None) -> Surcharge | None:
    """A served fine not paid by its last day: the 加处罚款 to date (None otherwise)."""
    if pc.state != "served" or fine_of(pc) is None:
        return None
    found = surcharge(pc, today or timezone.localdate())
    return found if found.days > 0 else None


@dataclass(frozen=True)
class Payment:
    """What the officer records at 执行: how, how much, when; for an on-the-spot collection the
    receipt, why (第六十八条第二项, 第六十九条) and whether the party asked (第六十九条)."""

    method: str
    amount: Decimal | None
    paid_on: dt.date | None
    receipt: str = ""
    reason: str = ""
    party_asked: bool = False
    ashore_on: dt.date | None = None
    waived: Decimal | None = None  # 加处罚款 let off under an 执行协议 (《行政强制法》第四十二条)
    waiver_basis: str = ""

    @property
    def on_spot(self) -> bool:
        return self.method in ON_SPOT_PAYMENTS


def check(pc, payment: Payment, today: dt.date) -> None:
    """Raise the refusal (Invalid 400, Conflict 409) of a payment the law does not allow for this
    case; return when it may be recorded. A case without a fine takes no payment."""
    fine = fine_of(pc)
    if fine is None:
        if payment.method:
            raise Conflict(_("本案处罚决定不含罚款，无需登记缴纳罚款"))
        return
    if payment.method not in PaymentMethod.values:
        raise Invalid(_("请选择罚款的缴纳方式（《行政处罚法》第六十七条至第六十九条）"))
    check_day(pc, payment, today)
    if payment.on_spot:
        _check_on_spot(pc, payment, fine, today)
    _check_amount(pc, payment, fine)


def check_day(pc, payment: Payment, today: dt.date) -> None:
    """The day paid: given, not in the future, not before the decision."""
    if payment.paid_on is None:
        raise Invalid(_("请填写缴纳日期（年-月-日）"))
    if payment.paid_on > today:
        raise Invalid(_("缴纳日期%(day)s不能晚于今天") % {"day": payment.paid_on})
    decided = timezone.localtime(pc.decided_at).date() if pc.decided_at else None
    if decided and payment.paid_on < decided:
        raise Invalid(
            _("缴纳日期%(day)s不能早于作出处罚决定的日期%(decided)s")
            % {"day": payment.paid_on, "decided": decided}
        )


def _check_on_spot(pc, payment: Payment, fine: Decimal, today: dt.date) -> None:
    decided = timezone.localtime(pc.decided_at).date()
    if payment.method in (PaymentMethod.ON_SPOT_SMALL, PaymentMethod.ON_SPOT_HARD):
        if pc.procedure != Procedure.SUMMARY:
            raise Conflict(
                _(
                    "第六十八条的当场收缴只适用于依照第五十一条当场作出的处罚决定（简易程序）。"
                    "本案适用普通程序：当事人应当到指定的银行或者通过电子支付系统缴纳罚款"
                    "（第六十七条）；边远、水上、交通不便地区经当事人提出的，可依第六十九条当场收缴"
                )
            )
        if payment.paid_on != decided:
            raise Conflict(
                _(
                    "第六十八条的当场收缴须在当场作出处罚决定时（%(day)s）收缴；事后缴纳的，"
                    "当事人应当到指定的银行或者通过电子支付系统缴纳（第六十七条）"
                )
                % {"day": decided}
            )
    if payment.method == PaymentMethod.ON_SPOT_SMALL:
        rule = small_fine(decided)
        if rule is None or fine > rule.amount:
            limit = rule.amount if rule else 0
            raise Conflict(
                _(
                    "当场收缴一百元以下罚款的规定（%(basis)s）不适用于罚款%(fine)s元（限%(limit)s元以下）；"
                    "不当场收缴事后难以执行的，请选择第六十八条第二项并写明理由"
                )
                % {"basis": rule.basis if rule else "", "fine": fine, "limit": limit}
            )
    if payment.method == PaymentMethod.ON_SPOT_HARD and not payment.reason.strip():
        raise Invalid(_("请写明不当场收缴事后难以执行的理由（第六十八条第二项）"))
    if payment.method == PaymentMethod.ON_SPOT_REMOTE:
        if not payment.party_asked:
            raise Conflict(
                _(
                    "第六十九条的当场收缴须经当事人提出：当事人未提出的，应当到指定的银行或者通过"
                    "电子支付系统缴纳"
                )
            )
        if not payment.reason.strip():
            raise Invalid(
                _(
                    "请写明边远、水上或交通不便地区的情况，以及当事人到指定的银行或者通过电子支付系统"
                    "缴纳罚款确有困难的原因（第六十九条）"
                )
            )
    if not payment.receipt.strip():
        raise Invalid(
            _("当场收缴罚款须向当事人出具财政部门统一制发的专用票据（第七十条）：请填写票据号码")
        )
    if payment.ashore_on is not None and not (payment.paid_on <= payment.ashore_on <= today):
        raise Invalid(_("抵岸日期须在收缴之日与今天之间"))


def _check_amount(pc, payment: Payment, fine: Decimal) -> None:
    if payment.amount is None:
        raise Invalid(_("请填写实缴金额（元）"))
    extra = surcharge(pc, payment.paid_on)
    waived = _check_waiver(payment, extra)
    left = outstanding(pc) or fine
    due = left + extra.amount - waived
    if payment.amount == due:
        return
    parts = _("罚款%(fine)s元") % {"fine": left}
    if extra.days:
        parts += _("，逾期%(days)s日加处罚款%(extra)s元（%(basis)s）") % {
            "days": extra.days,
            "extra": extra.amount,
            "basis": extra.basis,
        }
    if waived:
        parts += _("，减免加处罚款%(waived)s元") % {"waived": waived}
    what = (
        _("实缴金额%(paid)s元少于应缴金额%(due)s元（%(parts)s）")
        if payment.amount < due
        else _("实缴金额%(paid)s元多于应缴金额%(due)s元（%(parts)s），不得多收")
    )
    raise Invalid(what % {"paid": payment.amount, "due": due, "parts": parts})


WAIVER_BASIS = "《中华人民共和国行政强制法》第四十二条第一款"


def _check_waiver(payment: Payment, extra: Surcharge) -> Decimal:
    """The 加处罚款 let off, or the refusal: 《行政强制法》第四十二条第一款 lets the agency agree with
    the party on how the decision is carried out (执行协议) and, when the party has taken remedial
    measures, reduce or waive the 加处罚款. So only 加处罚款 that is due, at most all of it, and
    with the agreement and the measures written down (that a leader decides it: the action)."""
    waived = payment.waived or Decimal("0.00")
    if not waived:
        return waived
    if not extra.amount:
        raise Conflict(_("缴纳之日尚未逾期，没有加处罚款可以减免"))
    if waived > extra.amount:
        raise Invalid(
            _("减免的加处罚款%(waived)s元不能超过应加处的%(extra)s元")
            % {"waived": waived, "extra": extra.amount}
        )
    if not payment.waiver_basis.strip():
        raise Invalid(
            _(
                "请写明执行协议和当事人采取的补救措施（%(basis)s：当事人采取补救措施的，可以减免加处的罚款）"
            )
            % {"basis": WAIVER_BASIS}
        )
    return waived
