"""听证 (《行政处罚法》第六十三、六十四条): which intended penalties give the party the right to ask
for a hearing, and who may not chair it."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.org.models import Person

from . import thresholds
from .content import Penalty
from .models import HEARING_KINDS, PenaltyCase, PenaltyKind

# Steps whose actors investigated the case (第六十四条第四项: they may not chair its hearing).
INVESTIGATING_STEPS = ("open", "order_stop", "investigate", "notify", "evidence")


def hearing_reasons(pc: PenaltyCase, penalty: Penalty) -> list[str]:
    """Why the penalty gives a right to a hearing (第六十三条第一款); empty when it does not.
    Amounts are judged by the rules in force on the day of 立案 for the party's kind."""
    day = timezone.localtime(pc.filed_at).date()
    names = dict(PenaltyKind.choices)
    out = [
        _("%(kind)s（第六十三条第一款）") % {"kind": names[k]}
        for k in penalty.kinds
        if k in HEARING_KINDS
    ]
    for name, amount, what in (
        ("hearing_fine", penalty.fine, _("较大数额罚款")),
        ("hearing_confiscation", penalty.confiscation, _("没收较大数额违法所得或较大价值非法财物")),
    ):
        rule = thresholds.reached(name, pc.party_kind, pc.township.code, day, amount)
        if rule is not None:
            out.append(
                _("%(what)s：%(amount)s元，达到%(limit)s元（%(basis)s）")
                % {
                    "what": what,
                    "amount": amount,
                    "limit": thresholds.yuan(rule.amount),
                    "basis": thresholds.basis_label(rule),
                }
            )
    return out


def investigators(pc: PenaltyCase):
    """The people who investigated the case: took an investigating step or captured evidence."""
    actors = pc.steps.filter(step__in=INVESTIGATING_STEPS, actor__isnull=False).values("actor")
    return Person.objects.filter(Q(user__in=actors) | Q(captured_evidence__penalty_case=pc))
