"""What the party does after 告知: 陈述、申辩 (《行政处罚法》第四十五条) and 听证 (第六十三、六十四条):
request, notice of time and place, hearing held, request withdrawn."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.org.models import Person

from .. import hearing, selectors
from ..errors import Conflict, Invalid
from ..models import PenaltyCase, Signature
from .base import (
    _ground,
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


@dataclass(frozen=True)
class Record:
    """What the 听证笔录 holds besides the time and the chair (第六十四条第七、八项)."""

    clerk: Person
    presenters: list[Person]
    members: list[Person]
    interpreter: str
    party_present: str
    case_presented: str
    defence: str
    final_statement: str
    signature: str
    signature_note: str


def _record_of(penalty_case: PenaltyCase, form: dict) -> Record:
    """Read and check the record's fields before anything is written."""
    staff = selectors.township_staff(penalty_case)
    clerk = staff.filter(pk=form["clerk"] or 0).first()
    if clerk is None:
        raise Invalid(_("听证记录员须为本乡镇街道的工作人员"))
    ids = [i for i in form["presenters"] or [] if i]
    presenters = list(selectors.township_officers(penalty_case.township).filter(pk__in=ids))
    if not ids or len(presenters) != len(set(ids)):
        raise Invalid(_("请选择出席听证、提出违法事实和证据的调查人员（本乡镇街道的执法人员）"))
    wanted = list(dict.fromkeys(i for i in form["members"] or [] if i))
    members = list(staff.filter(pk__in=wanted).order_by("name"))
    if len(members) != len(wanted):
        raise Invalid(_("听证员须为本乡镇街道的工作人员"))
    interpreter = (form["interpreter"] or "").strip()[:100]
    texts = [
        _required(form["party_present"], _("请填写出席听证的当事人及其代理人"))[:200],
        _required(form["case_presented"], _("请填写调查人员提出的违法事实、证据和行政处罚建议")),
        _required(form["defence"], _("请填写当事人的申辩和质证意见")),
        _required(form["final_statement"], _("请填写当事人的最后陈述（未作陈述的，请注明）")),
    ]
    signature = _ground(form["signature"], Signature, _("请选择当事人是否在笔录上签字或者盖章"))
    note = (form["signature_note"] or "").strip()
    if signature == Signature.REFUSED and not note:
        raise Invalid(
            _(
                "当事人拒绝签字或者盖章的，由听证主持人在笔录中注明（《行政处罚法》第六十四条第八项）"
            )
        )
    present, case, defence, final = texts
    return Record(
        clerk, presenters, members, interpreter, present, case, defence, final, signature, note
    )


def _keep_record(pc: PenaltyCase, record: Record) -> None:
    pc.hearing_clerk, pc.hearing_party_present = record.clerk, record.party_present
    pc.hearing_case_presented, pc.hearing_defence = record.case_presented, record.defence
    pc.hearing_final_statement, pc.hearing_signature = record.final_statement, record.signature
    pc.hearing_signature_note = record.signature_note
    pc.hearing_presenters.set(record.presenters)
    pc.hearing_members.set(record.members)
    pc.hearing_interpreter = record.interpreter


def penaltycase_hearing_hold(
    *,
    penalty_case: PenaltyCase,
    at: dt.datetime | None,
    host=None,
    note: str = "",
    clerk=None,
    presenters=(),
    members=(),
    interpreter: str = "",
    party_present: str = "",
    case_presented: str = "",
    defence: str = "",
    final_statement: str = "",
    signature: str = "",
    signature_note: str = "",
    by,
) -> PenaltyCase:
    """举行听证 and its 听证笔录 (第六十四条): when it was held, who chaired it — the chair of the
    notice unless another is named; staff of the township who did not investigate the case (第四
    项) — the 记录员 (neither the chair nor an investigator), the investigators who presented the
    case, the party and any agent, what each side said (第七项), and whether the party signed
    the record or refused (第八项: the chair notes the refusal). `note` is anything else the
    record holds. Only after a notice (selectors: a condition of the step), at or after the time
    it gave, and 7 working days after it was served (第二项)."""
    if at is None:
        raise Invalid(_("请填写举行听证的时间"))
    named = _chair(penalty_case, host) if host else None
    record = _record_of(
        penalty_case,
        {
            "clerk": clerk,
            "presenters": presenters,
            "members": members,
            "interpreter": interpreter,
            "party_present": party_present,
            "case_presented": case_presented,
            "defence": defence,
            "final_statement": final_statement,
            "signature": signature,
            "signature_note": signature_note,
        },
    )

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
        if chair in record.presenters:
            raise Invalid(
                _("%(name)s作为调查人员出席听证，不能主持听证（《行政处罚法》第六十四条第四项）")
                % {"name": chair.name}
            )
        refusal = hearing.clerk_refusal(pc, record.clerk, chair, record.presenters)
        refusal = refusal or hearing.member_refusal(
            pc, record.members, chair, record.clerk, record.presenters
        )
        if refusal:
            raise Invalid(refusal)
        pc.hearing_held_at, pc.hearing_host, pc.hearing_note = when, chair, note.strip()
        _keep_record(pc, record)

    def data(pc):
        return {
            "at": _aware(at).isoformat(),
            "host": pc.hearing_host_id,
            "clerk": record.clerk.pk,
            "presenters": [p.pk for p in record.presenters],
            "members": [p.pk for p in record.members],
            "interpreter": record.interpreter,
            "signature": record.signature,
        }

    summary = note.strip() or f"举行听证，记录员{record.clerk.name}；{record.party_present}出席"
    return _move(
        penalty_case, "hearing_hold", by, note=summary, data=data, apply=held, transition=False
    )


def penaltycase_hearing_report(
    *, penalty_case: PenaltyCase, facts: str, law: str, penalty: str, by
) -> PenaltyCase:
    """听证报告: the chair's opinion on the facts and evidence, the law and the penalty, after the
    hearing and before the decision, which follows the record (第六十五条). Only the chair
    writes it (selectors); a later report replaces it on the case, the history keeps each."""
    facts = _required(facts, _("请填写听证主持人对案件事实和证据的意见"))
    law = _required(law, _("请填写听证主持人对适用法律的意见"))
    penalty = _required(penalty, _("请填写听证主持人的处理意见（对行政处罚建议的意见）"))

    def reported(pc, now):
        pc.hearing_report_facts, pc.hearing_report_law = facts, law
        pc.hearing_report_penalty, pc.hearing_reported_at = penalty, now

    return _move(
        penalty_case,
        "hearing_report",
        by,
        note=f"事实和证据：{facts}\n适用法律：{law}\n处理意见：{penalty}",
        apply=reported,
        transition=False,
    )


def penaltycase_hearing_withdraw(*, penalty_case: PenaltyCase, note: str, by) -> PenaltyCase:
    """当事人撤回听证申请, recorded by an officer with what the party said: the decision may follow."""
    note = _required(note, _("请填写当事人撤回听证申请的情况"))

    def withdrawn(pc, now):
        pc.hearing_withdrawn_at = now

    return _move(penalty_case, "hearing_withdraw", by, note=note, apply=withdrawn, transition=False)


# The form fields each step takes, and the argument each becomes: the pages and the API post a
# form (every field present, empty when not asked) and penaltycase_step calls the action.
