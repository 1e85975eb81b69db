"""What the party does after 告知: 陈述、申辩 (《行政处罚法》第四十五条) and 听证 (第六十三、六十四条):
request, notice of time and place, hearing held, request withdrawn."""

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


def penaltycase_record_statement(
    *, penalty_case: PenaltyCase, statement: str, at: dt.datetime | None = None, by
) -> PenaltyCase:
    """记录当事人陈述、申辩 (第四十五条: the team must hear them) after the notice and before the
    decision: what the party said, and when (now if not given; not before the notice). "当事人未
    陈述申辩" is a record too. A later record replaces it on the case; each stays in the step
    history."""
    statement = _required(
        statement, _("请填写当事人陈述、申辩的内容；当事人未陈述申辩的，请填写“当事人未陈述申辩”")
    )

    def stated(pc, now):
        when = _moment(at, now, _("陈述、申辩的时间"))
        # the page's time has minutes only: the minute of the notice is not earlier than it
        if pc.notified_at and when < pc.notified_at.replace(second=0, microsecond=0):
            raise Invalid(_("陈述、申辩的时间不能早于告知时间"))
        pc.statement, pc.statement_at, pc.statement_heard = statement, when, True

    return _move(
        penalty_case,
        "statement",
        by,
        note=statement,
        data=lambda pc: {"at": pc.statement_at.isoformat()},
        apply=stated,
        transition=False,
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


def _chair(penalty_case: PenaltyCase, host):
    chair = selectors.township_staff(penalty_case).filter(pk=host or 0).first()
    if chair is None:
        raise Invalid(_("听证主持人须为本乡镇街道的工作人员"))
    return chair


def _aware(at: dt.datetime) -> dt.datetime:
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def penaltycase_hearing_notice(
    *,
    penalty_case: PenaltyCase,
    at: dt.datetime | None,
    place: str,
    chair,
    served_on: dt.date | None,
    note: str = "",
    by,
) -> PenaltyCase:
    """听证通知 (第六十四条第二项): the time, place and chair of the hearing asked for, and the day
    the notice was served on the party — at least 7 working days before the hearing (第八十五条).
    The chair did not investigate the case (第四项). A new notice (another time) replaces the
    schedule; the step history keeps every notice."""
    place = _required(place, _("请填写听证地点"))
    if at is None:
        raise Invalid(_("请填写通知的听证时间"))
    if served_on is None:
        raise Invalid(_("请填写听证通知送达当事人的日期（年-月-日）"))
    person = _chair(penalty_case, chair)
    when = _aware(at)
    previous: list = []

    def noticed(pc, now):
        asked = timezone.localtime(pc.hearing_requested_at).date()
        if served_on > timezone.localdate(now):
            raise Invalid(_("听证通知的送达日期不能晚于今天"))
        if served_on < asked:
            raise Invalid(
                _("听证通知的送达日期不能早于当事人要求听证的日期%(day)s") % {"day": asked}
            )
        refusal = hearing.notice_refusal(served_on, when) or hearing.chair_refusal(pc, person)
        if refusal:
            raise Invalid(refusal)
        previous.append(pc.hearing_scheduled_at)
        pc.hearing_scheduled_at, pc.hearing_place, pc.hearing_chair = when, place[:200], person
        pc.hearing_notice_served_on = served_on

    def data(pc):
        before = previous[0].isoformat() if previous and previous[0] else None
        return {
            "at": when.isoformat(),
            "place": place,
            "chair": person.pk,
            "served_on": served_on.isoformat(),
            "replaces": before,
        }

    text = note.strip() or (
        f"通知当事人：{_when(when)}在{place}举行听证，主持人{person.name}；"
        f"通知于{served_on.isoformat()}送达"
    )
    return _move(
        penalty_case, "hearing_notice", by, note=text, data=data, apply=noticed, transition=False
    )


def penaltycase_hearing_hold(
    *, penalty_case: PenaltyCase, at: dt.datetime | None, host=None, note: str, by
) -> PenaltyCase:
    """举行听证 (第六十四条): when it was held, who chaired it — the chair of the notice unless
    another is named; staff of the township who did not investigate the case (第四项) — and a
    summary of the record (第八项). Only after a notice (selectors: a condition of the step), at
    or after the time it gave, and 7 working days after it was served (第二项)."""
    note = _required(note, _("请填写听证笔录摘要"))
    if at is None:
        raise Invalid(_("请填写举行听证的时间"))
    named = _chair(penalty_case, host) if host else None

    def held(pc, now):
        when = _moment(at, now, _("听证时间"))
        if pc.hearing_scheduled_at and when < pc.hearing_scheduled_at:
            raise Invalid(
                _("听证通知的时间为%(at)s，不能早于通知的时间举行")
                % {"at": _when(pc.hearing_scheduled_at)}
            )
        chair = named or pc.hearing_chair
        refusal = hearing.notice_refusal(pc.hearing_notice_served_on, when)
        refusal = refusal or (hearing.chair_refusal(pc, chair) if chair else None)
        if chair is None or refusal:
            raise Invalid(refusal or _("听证主持人须为本乡镇街道的工作人员"))
        pc.hearing_held_at, pc.hearing_host, pc.hearing_note = when, chair, note

    def data(pc):
        return {"at": _aware(at).isoformat(), "host": pc.hearing_host_id}

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
