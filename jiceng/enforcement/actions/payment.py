"""执行 with the payment of the fine (《行政处罚法》第六十七条至第七十二条; payment.py has the rules),
and 第七十一条's hand-in of a fine collected on the spot."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiceng.org.models import Person, Region, Role

from .. import clocks, guards, payment
from ..content import yuan_parse
from ..errors import Invalid
from ..models import PenaltyCase
from .base import _move, _required


def _collectors(township: Region, ids: Iterable[int]) -> list[Person]:
    """The officers who collected the money on the spot: two at least (第四十二条: 执法人员不得少于
    两人), each an enforcement officer of the township itself."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if len(wanted) < 2:
        raise Invalid(_("当场收缴罚款须有两名以上执法人员（《行政处罚法》第四十二条）"))
    people = {p.pk: p for p in Person.objects.filter(pk__in=wanted).select_related("user")}
    for pk in wanted:
        person = people.get(pk)
        if person is None or not guards.of_township(
            person.user, township, Role.ENFORCEMENT_OFFICER
        ):
            raise Invalid(
                _("%(name)s不是%(township)s的执法人员，不能当场收缴罚款")
                % {"name": person.name if person else pk, "township": township.name}
            )
    return [people[pk] for pk in wanted]


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
    )
    team: list[Person] = []

    def executed(pc, now):
        payment.check(pc, given, timezone.localdate(now))
        pc.executed_at = now
        if not given.method:
            return
        if given.on_spot:
            team.extend(_collectors(pc.township, collectors))
            pc.collectors.set(team)
            pc.collection_reason, pc.party_asked = given.reason, given.party_asked
            pc.ashore_on = given.ashore_on
            start = _handin_start(given.paid_on, given.ashore_on)
            pc.handin_due_at = clocks.deadline("handin", start)
        pc.payment_method, pc.paid_amount, pc.paid_on = given.method, given.amount, given.paid_on
        pc.surcharge_paid = payment.surcharge(pc, given.paid_on).amount
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
