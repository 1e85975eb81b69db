"""法制审核 (《行政处罚法》第五十八条): why a decision on a case is 重大, and whether the legal review
recorded lets the leader make it."""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import thresholds
from .content import Penalty
from .models import MajorGround, PenaltyCase, ReviewResult

NO_PENALTY = Penalty(())


def stored_penalty(pc: PenaltyCase) -> Penalty:
    """What the case says is intended (after 告知) or decided."""
    return Penalty(tuple(pc.penalty_kinds), pc.fine_amount, pc.confiscation_value)


def _amount_reasons(pc: PenaltyCase, penalty: Penalty) -> list[tuple[str, str]]:
    day = timezone.localtime(pc.filed_at).date()
    out = []
    for name, amount, what in (
        ("major_fine", penalty.fine, _("罚款")),
        ("major_confiscation", penalty.confiscation, _("没收数额或价值")),
    ):
        rule = thresholds.reached(name, pc.party_kind, pc.township.code, day, amount)
        if rule is not None:
            text = _("%(what)s%(amount)s元，达到重大执法决定标准%(limit)s元（%(basis)s）") % {
                "what": what,
                "amount": amount,
                "limit": thresholds.yuan(rule.amount),
                "basis": thresholds.basis_label(rule),
            }
            out.append((name, text))
    return out


def major_reasons(pc: PenaltyCase, penalty: Penalty | None = None) -> list[tuple[str, str]]:
    """(code, explanation) of each reason the decision is 重大: the grounds the officer named,
    a hearing held, an amount at or over the threshold in force on the day of 立案."""
    labels = dict(MajorGround.choices)
    out = [(g, str(labels.get(g, g))) for g in pc.major_grounds]
    if pc.hearing_held_at:
        out.append(("hearing", _("直接关系当事人重大权益，经过听证程序（第五十八条第一款第二项）")))
    return out + _amount_reasons(pc, stored_penalty(pc) if penalty is None else penalty)


def _since(pc: PenaltyCase):
    """The review must come after everything it reviews: the notice of the intended penalty,
    the last ground named, the hearing."""
    moments = [pc.notified_at, pc.major_marked_at, pc.hearing_held_at]
    return max((m for m in moments if m is not None), default=None)


def review_refusal(pc: PenaltyCase, penalty: Penalty | None = None) -> str | None:
    """Why the leader may not decide yet for want of a 法制审核 that passed; None if nothing."""
    reasons = major_reasons(pc, penalty)
    if not reasons:
        return None
    why = "；".join(text for _code, text in reasons)
    current = _reviewed_since(pc)
    if current and pc.legal_review == ReviewResult.FAILED:
        return _("法制审核未通过（%(opinion)s），不能作出决定：%(why)s") % {
            "opinion": pc.legal_review_opinion,
            "why": why,
        }
    if current and pc.legal_review == ReviewResult.PASSED:
        return None
    return _(
        "本案属于重大执法决定（%(why)s），须经法制审核通过后方可作出决定（《行政处罚法》第五十八条）"
    ) % {"why": why}


def _reviewed_since(pc: PenaltyCase) -> bool:
    """A review is recorded after everything it reviews (`_since`)."""
    since = _since(pc)
    return pc.legal_reviewed_at is not None and (since is None or pc.legal_reviewed_at > since)


def awaiting_review(pc: PenaltyCase) -> bool:
    """A 重大 case whose latest notice, ground or hearing no review has come after yet."""
    return bool(major_reasons(pc)) and not _reviewed_since(pc)
