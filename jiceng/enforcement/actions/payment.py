"""执行 with the payment of the fine (《行政处罚法》第六十七条至第七十二条; payment.py has the rules),
第七十一条's hand-in of a fine collected on the spot, and 第六十六条第二款's 暂缓 / 分期 with the
instalments paid before 执行."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiceng.core.inputs import date_or_none
from jiceng.org.models import Person

from .. import clocks, guards, payment
from ..content import yuan_parse
from ..errors import Conflict, Forbidden, Invalid
from ..models import Deferral, PaymentMethod, PenaltyCase
from .base import _ground, _move, _required, two_officers


def _handin_start(paid_on: dt.date, ashore_on: dt.date | None) -> dt.datetime:
    """第七十一条: the 2 working days run from the day of collection, or of reaching the shore."""
    day = ashore_on or paid_on
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def penaltycase_execute(
    *,
    penalty_case: PenaltyCase,
    note: str = "",
    method: str = "",
    paid_amount=None,
    paid_on: dt.date | None = None,
    receipt_number: str = "",
    collectors: Iterable[int] = (),
    reason: str = "",
    party_asked: bool = False,
    ashore_on: dt.date | None = None,
    surcharge_waived=None,
    waiver_basis: str = "",
    by,
) -> PenaltyCase:
    """执行. A decision with a fine records how it was paid: at the bank or electronically
    (第六十七条), or collected on the spot (第六十八条第一、二项, 第六十九条) with the 专用票据 number
    (第七十条), the officers, and the 2 working days to hand the money in (第七十一条); the amount
    is the fine plus any 加处罚款 of the day paid (第七十二条). A case with no fine executes with
    a note, as before. Everything is checked under the case's lock before anything is written."""
    given = payment.Payment(
        method=(method or "").strip(),
        amount=yuan_parse(paid_amount, _("实缴金额")),
        paid_on=paid_on,
        receipt=(receipt_number or "").strip()[:50],
        reason=(reason or "").strip(),
        party_asked=bool(party_asked),
        ashore_on=ashore_on,
        waived=yuan_parse(surcharge_waived, _("减免的加处罚款")),
        waiver_basis=(waiver_basis or "").strip(),
    )
    team: list[Person] = []

    def executed(pc, now):
        payment.check(pc, given, timezone.localdate(now))
        if given.waived and not guards.decider(pc, by):
            raise Forbidden(_("减免加处罚款须由行政机关负责人（分管领导）决定"))
        pc.executed_at = now
        if not given.method:
            return
        if given.on_spot:
            team.extend(two_officers(pc.township, collectors, _("当场收缴罚款")))
            pc.collectors.set(team)
            pc.collection_reason, pc.party_asked = given.reason, given.party_asked
            pc.ashore_on = given.ashore_on
            start = _handin_start(given.paid_on, given.ashore_on)
            pc.handin_due_at = clocks.deadline("handin", start)
        pc.payment_method, pc.paid_amount, pc.paid_on = given.method, given.amount, given.paid_on
        waived = given.waived or Decimal("0.00")
        pc.surcharge_paid = payment.surcharge(pc, given.paid_on).amount - waived
        pc.surcharge_waived = given.waived
        pc.waiver_basis = given.waiver_basis if given.waived else ""
        pc.receipt_number = given.receipt

    def data(pc):
        if not pc.payment_method:
            return {}
        return {
            "method": pc.payment_method,
            "paid_amount": str(pc.paid_amount),
            "surcharge": str(pc.surcharge_paid),
            "paid_on": pc.paid_on.isoformat(),
            "receipt_number": pc.receipt_number,
            "collectors": [p.name for p in team],
            "reason": pc.collection_reason,
            "party_asked": pc.party_asked,
            "surcharge_waived": str(pc.surcharge_waived or ""),
            "waiver_basis": pc.waiver_basis,
        }

    note = note.strip() or _note(given)
    return _move(penalty_case, "execute", by, note=note, data=data, apply=executed)


def _note(given: payment.Payment) -> str:
    """The step's note when the officer wrote none (recorded in Chinese, as every note)."""
    if not given.method:
        return ""
    with translation.override("zh-hans"):
        label = str(dict(payment.PaymentMethod.choices).get(given.method, given.method))
    return f"{label}：{given.amount}元，{given.paid_on}"


def penaltycase_hand_in(
    *, penalty_case: PenaltyCase, handed_in_on: dt.date | None, handed_to: str, note: str = "", by
) -> PenaltyCase:
    """第七十一条: the money collected on the spot handed in to the agency — the day and to whom.
    Recorded late too (the agency must still get the money), and then shown as late."""
    if handed_in_on is None:
        raise Invalid(_("请填写交至行政机关的日期（年-月-日）"))
    handed_to = _required(handed_to, _("请填写交款接收人（行政机关的收款人员）"))[:100]

    def handed(pc, now):
        if handed_in_on > timezone.localdate(now):
            raise Invalid(_("交款日期%(day)s不能晚于今天") % {"day": handed_in_on})
        if pc.paid_on and handed_in_on < pc.paid_on:
            raise Invalid(
                _("交款日期%(day)s不能早于收缴日期%(paid)s")
                % {"day": handed_in_on, "paid": pc.paid_on}
            )
        pc.handed_in_on, pc.handed_in_to = handed_in_on, handed_to

    def data(pc):
        return {
            "handed_in_on": handed_in_on.isoformat(),
            "handed_to": handed_to,
            "late": pc.handin_late,
            "last_day": pc.handin_last_day.isoformat() if pc.handin_last_day else None,
        }

    text = note.strip() or f"交至{handed_to}"
    return _move(penalty_case, "hand_in", by, note=text, data=data, apply=handed, transition=False)


MAX_INSTALMENTS = 60


def _schedule(kind: str, due_on, schedule) -> list[tuple[dt.date, Decimal | None]]:
    """The approved days (and amounts, for instalments) as typed, or Invalid."""
    if kind == Deferral.DEFER:
        day = date_or_none(due_on)
        if day is None:
            raise Invalid(_("请填写暂缓后的缴纳期限（年-月-日）"))
        return [(day, None)]
    rows = list(schedule or [])[: MAX_INSTALMENTS + 1]
    if len(rows) < 2:
        raise Invalid(_("分期缴纳须至少分两期：请逐期填写缴纳期限和金额"))
    if len(rows) > MAX_INSTALMENTS:
        raise Invalid(_("分期不能超过%(n)s期") % {"n": MAX_INSTALMENTS})
    out = []
    for i, row in enumerate(rows, 1):
        row = row if isinstance(row, dict) else {}
        day = date_or_none(row.get("due_on"))
        if day is None:
            raise Invalid(_("第%(i)s期：请填写有效的缴纳期限（年-月-日）") % {"i": i})
        out.append((day, yuan_parse(row.get("amount"), _("第%(i)s期金额") % {"i": i})))
        if out[-1][1] is None:
            raise Invalid(_("第%(i)s期：请填写金额") % {"i": i})
    return out


def _check_schedule(pc, kind, entries, applied_on: dt.date, today: dt.date) -> list[dict]:
    """第六十六条第二款 on this case: applied for within the time to pay, the new day(s) later
    than today, instalments in order and adding up to the fine."""
    fine, last = payment.fine_of(pc), payment.pay_last_day(pc)
    served = timezone.localtime(pc.served_at).date() if pc.served_at else None
    if applied_on > today:
        raise Invalid(_("申请日期%(day)s不能晚于今天") % {"day": applied_on})
    if served and applied_on < served:
        raise Invalid(
            _("申请日期%(day)s不能早于送达日期%(served)s") % {"day": applied_on, "served": served}
        )
    if last and applied_on > last:
        raise Conflict(
            _(
                "缴纳罚款的期限已于%(last)s届满：暂缓或者分期缴纳须在缴纳期限内申请（第六十六条第二款）"
            )
            % {"last": last}
        )
    if kind == Deferral.DEFER:
        day = entries[0][0]
        if last and day <= last:
            raise Invalid(_("暂缓后的缴纳期限须晚于原期限%(last)s") % {"last": last})
        return [{"due_on": day.isoformat(), "amount": str(fine)}]
    days = [d for d, _a in entries]
    if days[0] < today or any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise Invalid(_("各期缴纳期限须不早于今天，并逐期推后"))
    total = sum((a for _d, a in entries if a is not None), Decimal(0))
    if total != fine:
        raise Invalid(
            _("各期金额合计%(total)s元，须等于罚款%(fine)s元") % {"total": total, "fine": fine}
        )
    return [{"due_on": d.isoformat(), "amount": str(a)} for d, a in entries]


def penaltycase_defer_payment(
    *,
    penalty_case: PenaltyCase,
    kind: str,
    applied_on: dt.date | None,
    reason: str,
    due_on=None,
    schedule=(),
    note: str = "",
    by,
) -> PenaltyCase:
    """第六十六条第二款: the party in real economic difficulty applied, and the leader approves
    paying later (暂缓: a new last day) or in instalments (分期: days and amounts adding up to the
    fine). Once, while the fine is unpaid and the application was made within the time to pay.
    加处罚款 then counts from the approved day(s) (payment.surcharge)."""
    kind = _ground(kind, Deferral, _("请选择暂缓缴纳或者分期缴纳"))
    reason = _required(reason, _("请填写当事人确有经济困难的情况（第六十六条第二款）"))
    if applied_on is None:
        raise Invalid(_("请填写当事人申请的日期（年-月-日）"))
    entries = _schedule(kind, due_on, schedule)

    def approved(pc, now):
        pc.payment_schedule = _check_schedule(
            pc, kind, entries, applied_on, timezone.localdate(now)
        )
        pc.deferral_kind, pc.deferral_applied_on = kind, applied_on
        pc.deferral_reason, pc.deferral_approved_at = reason, now

    def data(pc):
        return {"kind": kind, "applied_on": applied_on.isoformat(), "schedule": pc.payment_schedule}

    text = note.strip() or f"当事人申请{_KINDS[kind]}：{reason}"
    return _move(
        penalty_case, "defer_payment", by, note=text, data=data, apply=approved, transition=False
    )


_KINDS: dict[str, str] = {"defer": "暂缓缴纳罚款", "instalments": "分期缴纳罚款"}


def penaltycase_pay_instalment(
    *,
    penalty_case: PenaltyCase,
    method: str,
    paid_amount,
    paid_on: dt.date | None,
    receipt_number: str = "",
    note: str = "",
    by,
) -> PenaltyCase:
    """One instalment of an approved schedule paid at the bank or electronically (第六十七条),
    before the last (that one is recorded with 执行): the instalment plus its own 加处罚款 if it is
    paid after its day. The case stays 已送达 until everything is paid."""
    if method not in (PaymentMethod.BANK, PaymentMethod.ELECTRONIC):
        raise Invalid(
            _(
                "分期缴纳的罚款由当事人到指定的银行或者通过电子支付系统缴纳（第六十七条）：请选择缴纳方式"
            )
        )
    amount = yuan_parse(paid_amount, _("实缴金额"))
    if amount is None:
        raise Invalid(_("请填写实缴金额（元）"))
    given = payment.Payment(method=method, amount=amount, paid_on=paid_on)

    def paid(pc, now):
        payment.check_day(pc, given, timezone.localdate(now))
        schedule = [dict(e) for e in pc.payment_schedule]
        entry = next(e for e in schedule if not e.get("paid_on"))
        extra = payment.late(
            Decimal(entry["amount"]), dt.date.fromisoformat(entry["due_on"]), given.paid_on
        )
        due = Decimal(entry["amount"]) + extra.amount
        if amount != due:
            raise Invalid(
                _(
                    "本期（%(day)s）应缴%(due)s元（分期金额%(part)s元，加处罚款%(extra)s元），实缴%(paid)s元"
                )
                % {
                    "day": entry["due_on"],
                    "due": due,
                    "part": entry["amount"],
                    "extra": extra.amount,
                    "paid": amount,
                }
            )
        entry.update(
            paid_on=given.paid_on.isoformat(),
            paid=str(amount),
            surcharge=str(extra.amount),
            method=method,
            receipt=(receipt_number or "").strip()[:50],
        )
        pc.payment_schedule = schedule

    def data(pc):
        return {"method": method, "paid_amount": str(amount), "paid_on": str(paid_on)}

    text = note.strip() or f"分期缴纳罚款{amount}元，{paid_on}"
    return _move(
        penalty_case, "pay_instalment", by, note=text, data=data, apply=paid, transition=False
    )
