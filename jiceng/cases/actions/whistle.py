"""吹哨报到: the township summons assisting units; each reports in, then reports its part done.

Also the extension request (延期) a unit asks its leader for, and mediation records of disputes.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jiceng.org.models import Person, Unit
from jiceng.org.models import Role as OrgRole
from jiceng.workload.actions import task_open
from jiceng.workload.models import TaskKind, TaskState

from ..clock import due_and_warn, start_step, stop_clock, warn_for
from ..errors import Conflict, Forbidden, Invalid
from ..guards import leader, township_desk, unit_member
from ..models import (
    LIVE_ASSIGNMENT,
    Assignment,
    AssignmentState,
    Case,
    MediationRecord,
    Role,
    Status,
)
from ._common import (
    audit_actor,
    case_link,
    category_of,
    finish_task,
    lock,
    lock_assignment,
    note_event,
    open_unit_task,
)
from .flow import assignment_for_member

WHISTLE_STATUSES = [Status.DISPATCHED, Status.ACCEPTED, Status.HANDLED]


def case_whistle(*, case: Case, units: list[Unit], by, message: str, required: bool = True):
    """Summon assisting units; each gets an inbox task and must report in within its limit."""
    if not units:
        raise Invalid("请至少选择一个协办单位")
    with transaction.atomic():
        case = lock(case)
        if not township_desk(case, by):
            raise Forbidden("只有本乡镇街道的派遣员或分管领导可以吹哨")
        if case.status not in WHISTLE_STATUSES:
            raise Conflict(f"案件当前状态为「{case.get_status_display()}」，不能吹哨")
        now, cat = timezone.now(), category_of(case)
        live = set(
            case.assignments.filter(state__in=LIVE_ASSIGNMENT).values_list("unit_id", flat=True)
        )
        made = []
        for unit in units:
            if unit.pk in live:
                continue
            report_due, _ = due_and_warn(now, cat.report_in_limit, cat.report_in_unit)
            a = Assignment(
                case=case,
                unit=unit,
                role=Role.ASSIST,
                message=(message or "")[:500],
                required=required,
                created_at=now,
                report_due_at=report_due,
                handle_due_at=case.handle_due_at,
            )
            start_step(a, "report_in", now, report_due)
            a.save()
            open_unit_task(
                case,
                a,
                kind=TaskKind.WHISTLE,
                by=by,
                due_at=report_due,
                subject=f"吹哨报到 案件 {case.code}：{(message or '')[:60]}",
            )
            made.append(a)
        note_event(
            case, "whistle", by, note=message or "吹哨", data={"units": [a.unit.name for a in made]}
        )
    return made


def assignment_report_in(*, case: Case, by, note: str = "") -> Assignment:
    """报到: an assisting unit says it is on the case; the time is kept for evaluation."""
    with transaction.atomic():
        case = lock(case)
        a = lock_assignment(assignment_for_member(case, by, Role.ASSIST))
        if a.state != AssignmentState.PENDING:
            raise Conflict(f"{a.unit.name}已报到")
        now = timezone.now()
        a.state, a.accepted_at = AssignmentState.ACTIVE, now
        due = a.handle_due_at
        if due is None:
            cat = category_of(case)
            due = due_and_warn(now, cat.handle_limit, cat.handle_unit)[0]
        start_step(a, "handle", now, max(due, now))
        a.save()
        on_time = now <= a.report_due_at if a.report_due_at else True
        note_event(
            case,
            "report_in",
            by,
            note=note or f"{a.unit.name}报到",
            unit=a.unit,
            data={"on_time": on_time},
        )
    return a


def assignment_finish(*, case: Case, by, result: str) -> Assignment:
    """An assisting unit reports its part done."""
    if not (result or "").strip():
        raise Invalid("请填写本单位的办理结果")
    with transaction.atomic():
        case = lock(case)
        a = lock_assignment(assignment_for_member(case, by, Role.ASSIST))
        if a.state != AssignmentState.ACTIVE:
            raise Conflict("请先报到，再报告办理结果")
        a.state, a.done_at, a.result = AssignmentState.DONE, timezone.now(), result.strip()
        stop_clock(a)
        a.save()
        finish_task(a.task_id, by)
        note_event(case, "assist_done", by, note=a.result[:300], unit=a.unit)
    return a


def _township_leader(case: Case) -> Person | None:
    return (
        Person.objects.filter(region=case.township, role_grants__role=OrgRole.LEADER)
        .order_by("id")
        .first()
    )


def assignment_request_extension(*, case: Case, by, until: dt.datetime, reason: str):
    """延期: the lead unit asks; only the township leader may approve."""
    if not (reason or "").strip():
        raise Invalid("请填写延期理由")
    with transaction.atomic():
        case = lock(case)
        a = lock_assignment(assignment_for_member(case, by))
        if a.handle_due_at and until <= a.handle_due_at:
            raise Invalid("申请的期限须晚于现有处置时限")
        a.extension_until, a.extension_reason, a.extension_state = until, reason[:300], "requested"
        a.save()
        boss = _township_leader(case)
        task_open(
            kind=TaskKind.OTHER,
            subject=f"延期审批 案件 {case.code}：{a.unit.name}",
            region=case.township,
            by=audit_actor(by),
            assignee_person=boss,
            assignee_unit=None if boss else a.unit,
            link=case_link(case),
            source_key=f"case:{case.pk}:ext:{a.pk}",
            body=reason,
            details={"case": case.code, "assignment": a.pk},
        )
        note_event(case, "extension_request", by, note=reason, unit=a.unit, data={"until": until})
    return a


def _requested_until(a: Assignment) -> dt.datetime:
    """The date a pending extension asks for (assignment_request_extension always sets it)."""
    if a.extension_until is None:
        raise Conflict("延期申请没有填写期限")
    return a.extension_until


def assignment_decide_extension(*, case: Case, by, approve: bool, note: str = ""):
    from jiceng.workload.actions import tasks_finish_by_source

    with transaction.atomic():
        case = lock(case)
        if not leader(case, by):
            raise Forbidden("只有分管领导可以审批延期")
        a = (
            case.assignments.filter(extension_state="requested")
            .select_for_update(of=("self",))
            .first()
        )
        if a is None:
            raise Conflict("没有待审批的延期申请")
        a.extension_state = "approved" if approve else "refused"
        if approve:
            until = _requested_until(a)
            a.handle_due_at = until
            if a.step == "handle":
                a.due_at, a.escalated_at = until, None
                a.warn_at = warn_for(a.step_started_at or timezone.now(), until)
            if a.role == Role.LEAD:
                case.handle_due_at = until
                case.save(update_fields=["handle_due_at"])
        a.save()
        tasks_finish_by_source(
            source_key=f"case:{case.pk}:ext:{a.pk}",
            by=audit_actor(by),
            state=TaskState.DONE,
            reason=a.extension_state,
        )
        note_event(
            case,
            "extension_" + a.extension_state,
            by,
            note=note,
            unit=a.unit,
            data={"until": a.extension_until},
        )
    return a


def case_add_mediation(
    *, case: Case, by, mediator: str, parties: str, content: str, outcome: str, follow_up_at=None
) -> MediationRecord:
    """矛盾纠纷: one mediation session, with the date of the follow-up visit."""
    if not all((v or "").strip() for v in (mediator, parties, content, outcome)):
        raise Invalid("请填写调解人、当事人、调解经过和结果")
    with transaction.atomic():
        case = lock(case)
        member = any(unit_member(by, a.unit_id) for a in case.assignments.all())
        if not (member or township_desk(case, by)):
            raise Forbidden("只有承办单位或本乡镇街道派遣员可以记录调解")
        rec = MediationRecord.objects.create(
            case=case,
            mediator=mediator[:100],
            parties=parties[:300],
            content=content,
            outcome=outcome[:300],
            follow_up_at=follow_up_at,
            recorded_by=by if getattr(by, "pk", None) else None,
        )
        note_event(
            case,
            "mediation",
            by,
            note=f"调解：{outcome[:100]}",
            data={"follow_up_at": follow_up_at},
        )
    return rec
