"""What every write of a penalty case shares: lock, check, change, step history, audit."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit, snapshot
from jiceng.org.models import Person, Region, Role
from jiceng.org.scope import person_of
from jiceng.workload.actions import task_open, tasks_finish_by_source
from jiceng.workload.models import TaskKind

from .. import guards, review, selectors
from ..errors import Invalid
from ..models import (
    PenaltyCase,
    PenaltyStep,
    State,
)
from .overdue import clock_key

TRACKED = [
    "state",
    "approval_required",
    "stop_ordered_at",
    "notified_at",
    "decision_due_at",
    "decision_due_original",
    "decision_extended_at",
    "decision_extension_reason",
    "hearing_until",
    "hearing_right",
    "notified_kinds",
    "notified_fine",
    "notified_confiscation",
    "statement",
    "statement_at",
    "hearing_requested_at",
    "hearing_withdrawn_at",
    "hearing_scheduled_at",
    "hearing_place",
    "hearing_chair_id",
    "hearing_notice_served_on",
    "hearing_held_at",
    "hearing_host_id",
    "hearing_note",
    "hearing_clerk_id",
    "hearing_interpreter",
    "hearing_party_present",
    "hearing_case_presented",
    "hearing_defence",
    "hearing_final_statement",
    "hearing_signature",
    "hearing_signature_note",
    "hearing_report_facts",
    "hearing_report_law",
    "hearing_report_penalty",
    "hearing_reported_at",
    "approved_at",
    "decided_at",
    "served_at",
    "executed_at",
    "closed_at",
    "outcome",
    "decision",
    "no_penalty_ground",
    "cancel_ground",
    "cancel_reason",
    "cancelled_at",
    "major_grounds",
    "major_marked_at",
    "legal_review",
    "legal_review_opinion",
    "legal_reviewed_at",
    "penalty_kinds",
    "fine_amount",
    "confiscation_value",
    "summary_filed_at",
    "payment_method",
    "paid_amount",
    "surcharge_paid",
    "paid_on",
    "receipt_number",
    "collection_reason",
    "party_asked",
    "ashore_on",
    "handin_due_at",
    "handed_in_on",
    "handed_in_to",
    "deferral_kind",
    "deferral_applied_on",
    "deferral_reason",
    "deferral_approved_at",
    "payment_schedule",
]


def _actor(by):
    return by if getattr(by, "pk", None) else None


def _name_of(by) -> str:
    person = person_of(by)
    return person.name if person else getattr(by, "username", "")


def _record(pc: PenaltyCase, step: str, by, *, frm: str, note: str = "", data=None) -> None:
    """One row of the step history (全过程记录, 《行政处罚法》第四十七条) and its audit row."""
    person = person_of(by)
    last = pc.steps.order_by("-seq").values_list("seq", flat=True).first() or 0
    PenaltyStep.objects.create(
        penalty_case=pc,
        seq=last + 1,
        step=step,
        from_state=frm,
        to_state=pc.state,
        actor=_actor(by),
        actor_name=_name_of(by),
        unit_name=person.unit.name if person and person.unit else "",
        note=note,
        data=data or {},
    )


def _lock(pc: PenaltyCase) -> PenaltyCase:
    return (
        PenaltyCase.objects.select_for_update(of=("self",))
        .select_related("township", "approval_unit", "power")
        .get(pk=pc.pk)
    )


def _move(
    pc: PenaltyCase, name: str, by, *, note: str = "", data=None, apply=None, transition=True
):
    """Take one step: lock, check, change, save, step history, audit. A step that is not a
    transition (责令停止) records the change `apply` makes and leaves the state as it is. `data`
    may be a function of the locked case."""
    with transaction.atomic():
        pc = _lock(pc)
        exc = selectors.refusal(pc, name, by)
        if exc is not None:
            raise exc
        before, frm = snapshot(pc, TRACKED), pc.state
        if transition:
            getattr(pc, name)()
        if apply is not None:
            apply(pc, timezone.now())
        pc.save()
        data = data(pc) if callable(data) else data
        _record(pc, name, by, frm=frm, note=note.strip(), data=data)
        _sync_review_tasks(pc, by)
        # the step taken answers a time-limit reminder (actions/overdue.py: once per limit)
        tasks_finish_by_source(source_key=clock_key(pc), by=_actor(by), reason=name, prefix=True)
        audit(
            actor=_actor(by),
            verb=f"enforcement.{name}",
            obj=pc,
            before=before,
            after=snapshot(pc, TRACKED),
        )
    return pc


# While a decision can still be made: a 法制审核 asked for in these states waits in the inbox.
BEFORE_DECISION = (State.INVESTIGATING, State.NOTIFIED, State.AWAITING_APPROVAL, State.APPROVED)


def _review_key(pc: PenaltyCase) -> str:
    return f"enforcement:{pc.pk}:review:"


def _sync_review_tasks(pc: PenaltyCase, by) -> None:
    """S7, one inbox: while a 重大 case waits for its 法制审核, each 法制审核人员 of the township
    has it in the inbox (the enforcement team, if the township has none); a review recorded, or
    the case going past a decision or ended, takes it out."""
    key = _review_key(pc)
    if pc.state not in BEFORE_DECISION or not review.awaiting_review(pc):
        tasks_finish_by_source(
            source_key=key, by=_actor(by), reason="法制审核已完成或无需审核", prefix=True
        )
        return
    reviewers = list(
        Person.objects.filter(
            region__code__startswith=pc.township.code, role_grants__role=Role.LEGAL_REVIEWER
        ).distinct()
    )
    common = {
        "kind": TaskKind.OTHER,
        "region": pc.township,
        "by": _actor(by),
        "from_unit": pc.handling_unit,
        "due_at": pc.decision_due_at,
        "body": "；".join(text for _code, text in review.major_reasons(pc)),
        "link": reverse("enforcement:detail", args=[pc.code]),
        "details": {"penalty_case": pc.code},
    }
    # recorded, like the approval task's subject: in Chinese whoever takes the step
    subject = f"法制审核：执法案件 {pc.code}（{pc.party_name}）"
    if not reviewers:
        subject += "——本乡镇（街道）尚无法制审核人员，请配备"
        task_open(
            subject=subject, assignee_unit=pc.handling_unit, source_key=f"{key}unit", **common
        )
    for person in reviewers:
        task_open(subject=subject, assignee_person=person, source_key=f"{key}{person.pk}", **common)


def _required(text: str, missing: str) -> str:
    """A reason, opinion or decision text that may not be left empty."""
    text = (text or "").strip()
    if not text:
        raise Invalid(missing)
    return text


def _ground(raw: str, choices, missing: str) -> str:
    if raw not in choices.values:
        raise Invalid(missing)
    return raw


def _moment(at: dt.datetime | None, now: dt.datetime, what: str) -> dt.datetime:
    at = at or now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + dt.timedelta(minutes=5):
        raise Invalid(_("%(what)s不能晚于现在") % {"what": what})
    return at


def _when(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def two_officers(township: Region, ids: Iterable[int], what: str) -> list[Person]:
    """第四十二条 (执法人员不得少于两人): the officers named for `what` (当场处罚, 当场收缴罚款), at
    least two, each an enforcement officer of the township itself; in the order given."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if len(wanted) < 2:
        raise Invalid(
            _("%(what)s须有两名以上执法人员（《行政处罚法》第四十二条）") % {"what": what}
        )
    people = {p.pk: p for p in Person.objects.filter(pk__in=wanted).select_related("user")}
    for pk in wanted:
        person = people.get(pk)
        if person is None or not guards.of_township(
            person.user, township, Role.ENFORCEMENT_OFFICER
        ):
            raise Invalid(
                _("%(name)s不是%(township)s的执法人员，不能参与%(what)s")
                % {"name": person.name if person else pk, "township": township.name, "what": what}
            )
    return [people[pk] for pk in wanted]
