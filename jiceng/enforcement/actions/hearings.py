"""听证 (《行政处罚法》第六十三、六十四条): request, hearing held, request withdrawn."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import hearing, selectors
from ..errors import Conflict, Invalid
from ..models import (
    PenaltyCase,
)
from .base import (
    _moment,
    _move,
    _required,
    _when,
)


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
