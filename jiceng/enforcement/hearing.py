"""听证 (《行政处罚法》第六十三、六十四条): which intended penalties give the party the right to ask
for a hearing, who may not chair it, and how long before it the party must be told."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.org.models import Person

from . import clocks, thresholds
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


def chair_refusal(pc: PenaltyCase, chair: Person) -> str | None:
    """第六十四条第四项: who investigated the case may not chair its hearing."""
    if investigators(pc).filter(pk=chair.pk).exists():
        return _("%(name)s参与了本案调查，不能主持听证（《行政处罚法》第六十四条第四项）") % {
            "name": chair.name
        }
    return None


def notice_earliest(served_on: dt.date) -> dt.date | None:
    """The first day a hearing may be held after a notice served on `served_on` (the 7th working
    day after it, clock `hearing_notice`); None when no rule applied that day."""
    start = timezone.make_aware(dt.datetime.combine(served_on, dt.time(9)))
    due = clocks.deadline("hearing_notice", start)
    return timezone.localtime(due).date() if due else None


def notice_refusal(served_on: dt.date | None, at: dt.datetime) -> str | None:
    """第六十四条第二项 with 第八十五条: the party is told at least 七个工作日 before the hearing."""
    earliest = notice_earliest(served_on) if served_on else None
    if earliest is None or timezone.localtime(at).date() >= earliest:
        return None
    return _(
        "听证应当在通知当事人七个工作日后举行（《行政处罚法》第六十四条第二项）：通知于%(served)s"
        "送达，听证最早为%(day)s，不能在%(at)s举行"
    ) % {
        "served": served_on.isoformat() if served_on else "",
        "day": earliest.isoformat(),
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
    }


def _investigated(pc: PenaltyCase, person: Person, presenters) -> bool:
    """Whether the person took part in the case (presents it at the hearing, or investigated)."""
    return person in presenters or investigators(pc).filter(pk=person.pk).exists()


# 听证员 beside the chair, when needed (《市场监督管理行政处罚听证办法》第十一条第一款: 一至二名).
MAX_MEMBERS = 2


def member_refusal(
    pc: PenaltyCase, members, chair: Person, clerk: Person, presenters
) -> str | None:
    """听证员 help the chair hear the case: at most two, none the chair or the 记录员, and none who
    investigated it (the same rule as the 记录员's, 第十一条第三款)."""
    if len(members) > MAX_MEMBERS:
        return _("听证员最多两名")
    for m in members:
        if m.pk in (chair.pk, clerk.pk):
            return _("%(name)s已担任听证主持人或记录员，不能同时担任听证员") % {"name": m.name}
        if _investigated(pc, m, presenters):
            return _("%(name)s参与了本案调查，不能担任听证员（办案人员不得担任听证员）") % {
                "name": m.name
            }
    return None


def clerk_refusal(pc: PenaltyCase, clerk: Person, chair: Person, presenters) -> str | None:
    """The 记录员 records the hearing, not the case: neither the chair nor one of the case's
    investigators (《市场监督管理行政处罚听证办法》(2021) 第十一条第三款 and the provinces' 听证
    rules: 办案人员不得担任听证主持人、听证员和记录员), nor one who presents the case at the hearing."""
    if clerk.pk == chair.pk:
        return _("听证记录员不能由听证主持人兼任")
    if _investigated(pc, clerk, presenters):
        return _("%(name)s参与了本案调查，不能担任听证记录员（办案人员不得担任记录员）") % {
            "name": clerk.name
        }
    return None
