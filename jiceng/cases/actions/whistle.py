"""吹哨报到: the township summons assisting units; each reports in, then reports its part done.

Also the extension request (延期) a unit asks its leader for, and mediation records of disputes.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jiceng.org.models import Person, Unit
from jiceng.org.models import Role as OrgRole
from jiceng.org.scope import person_of
from jiceng.workload.actions import task_open, tasks_finish_by_source
from jiceng.workload.models import TaskKind, TaskState

from ..clock import due_and_warn, start_step, stop_clock, warn_for
from ..errors import Conflict, Forbidden, Invalid
from ..guards import leader, township_desk, unit_member
from ..models import (
    LIVE_ASSIGNMENT,
    OPEN_STATUSES,
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
    """矛盾纠纷: one mediation session, with the date of the follow-up visit. A planned visit is
    a task in the recorder's inbox, due that day, and the case closes only after it (回访)."""
    if not all((v or "").strip() for v in (mediator, parties, content, outcome)):
        raise Invalid("请填写调解人、当事人、调解经过和结果")
    if follow_up_at is not None and follow_up_at < timezone.localdate():
        raise Invalid("回访日期不能早于今天")
    with transaction.atomic():
        case = lock(case)
        _may_mediate(case, by)
        if case.status not in OPEN_STATUSES:
            raise Conflict(f"案件当前状态为「{case.get_status_display()}」，不能再记录调解")
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
        if follow_up_at is not None:
            _open_follow_up(case, rec, follow_up_at, by)
    return rec


def _may_mediate(case: Case, by) -> None:
    member = any(unit_member(by, a.unit_id) for a in case.assignments.all())
    if not (member or township_desk(case, by)):
        raise Forbidden("只有承办单位或本乡镇街道派遣员可以记录调解和回访")


def _follow_up_key(case: Case, rec: MediationRecord) -> str:
    return f"case:{case.pk}:mediation:{rec.pk}:follow_up"


def _open_follow_up(case: Case, rec: MediationRecord, day: dt.date, by) -> None:
    """The visit goes to whoever recorded the mediation, or to the lead unit if no person did."""
    person = person_of(by)
    lead = case.assignments.filter(role=Role.LEAD).select_related("unit").first()
    day_end = dt.datetime.combine(day, dt.time(23, 59), timezone.get_current_timezone())
    task_open(
        kind=TaskKind.CASE,
        subject=f"调解回访 案件 {case.code}：{rec.parties[:40]}",
        region=case.township,
        by=audit_actor(by),
        assignee_person=person,
        assignee_unit=None if person else (lead.unit if lead else None),
        due_at=day_end,
        body=f"调解结果：{rec.outcome}",
        link=case_link(case),
        source_key=_follow_up_key(case, rec),
        details={"case": case.code, "mediation": rec.pk},
    )


def mediation_follow_up(*, case: Case, record_id: int, by, result: str) -> MediationRecord:
    """回访: how the parties keep to the agreement, recorded once; it finishes the inbox task."""
    result = (result or "").strip()
    if not result:
        raise Invalid("请填写回访情况")
    with transaction.atomic():
        case = lock(case)
        _may_mediate(case, by)
        rec = MediationRecord.objects.select_for_update().filter(case=case, pk=record_id).first()
        if rec is None:
            raise Invalid("本案件没有这条调解记录")
        if rec.follow_up_at is None:
            raise Conflict("这条调解记录没有安排回访")
        if rec.followed_up_at is not None:
            raise Conflict(f"已于 {timezone.localtime(rec.followed_up_at):%Y-%m-%d} 回访")
        rec.followed_up_at = timezone.now()
        rec.follow_up_result = result
        rec.followed_up_by = by if getattr(by, "pk", None) else None
        rec.save(update_fields=["followed_up_at", "follow_up_result", "followed_up_by"])
        tasks_finish_by_source(
            source_key=_follow_up_key(case, rec),
            by=audit_actor(by),
            state=TaskState.DONE,
            reason="已回访",
        )
        note_event(case, "follow_up", by, note=f"回访：{result[:100]}", data={"mediation": rec.pk})
    return rec
