"""The case flow after intake: register → dispatch → accept → handle → verify → close → rate.

Each function locks the case, checks state and role through the transition table, changes it,
and writes the timeline event and the audit row in the same transaction.
"""

from django.db import transaction
from django.utils import timezone

from jiceng.org.models import Unit
from jiceng.workload.models import TaskKind, TaskState

from ..clock import accept_limit, due_and_warn, start_step, stop_clock
from ..errors import Conflict, Forbidden, Invalid
from ..guards import unit_member
from ..models import (
    LIVE_ASSIGNMENT,
    Assignment,
    AssignmentState,
    Case,
    Category,
    Role,
    Satisfaction,
    Stage,
    Status,
)
from ..routing import optional, route_case, sector_units
from ._common import (
    category_of,
    check,
    finish_case_tasks,
    finish_task,
    lock,
    move,
    note_event,
    open_unit_task,
)
from .intake import _attach


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(f"请填写{what}")
    return text[:300]


def _site_check_missing(case: Case) -> bool:
    public = case.source not in ("patrol", "sensor")
    return bool(
        case.category and case.category.needs_site_check and public and case.site_checked_at is None
    )


def case_set_category(*, case: Case, category_code: str, by) -> Case:
    """The dispatcher picks the category and the case is routed again, with the explanation."""
    with transaction.atomic():
        case = lock(case)
        check(case, "register" if case.status == Status.REPORTED else "dispatch", by)
        cat = Category.objects.filter(code=category_code, active=True).exclude(kind="group").first()
        if cat is None:
            raise Invalid(f"未知的类别代码「{category_code}」")
        route = route_case(cat, case.township, timezone.localtime(case.occurred_at).date())
        case.category, case.category_source, case.priority = cat, "dispatcher", cat.priority
        case.route_unit, case.route_power, case.triage_reason = (
            route.unit,
            route.power_code,
            route.reason,
        )
        case.route_explanation = [case.route_explanation[0], *route.explanation]
        case.version += 1
        case.save()
        note_event(
            case,
            "categorize",
            by,
            note=f"类别改为 {cat.code} {cat.name}",
            data={"route": route.explanation},
        )
        record = optional("jiceng.dispatch.actions", "correction_record")
        if record is not None:
            record(case=case, chosen=cat, by=by)
    return case


def case_site_check(*, case: Case, by, ok: bool, note: str = "", files=()) -> Case:
    """A grid worker confirms a public report on site (or finds nothing there)."""
    with transaction.atomic():
        case = lock(case)
        if case.status != Status.REPORTED:
            raise Conflict("只有待立案的案件需要现场核实")
        from ..guards import verifier

        if not verifier(case, by):
            raise Forbidden("只有本乡镇街道的网格员或派遣员可以现场核实")
        if ok:
            case.site_checked_at = timezone.now()
            case.save(update_fields=["site_checked_at"])
        _attach(case, list(files), Stage.VERIFY, by)
        note_event(
            case,
            "site_check",
            by,
            note=note or ("现场属实" if ok else "现场未发现"),
            data={"ok": ok},
        )
    return case


def case_register(*, case: Case, by, note: str = "") -> Case:
    with transaction.atomic():
        case = lock(case)
        if case.category_id is None:
            raise Conflict("请先确定类别再立案")
        if _site_check_missing(case):
            raise Conflict("该类别的群众上报需网格员现场核实后才能立案")
        case.registered_at = timezone.now()
        return move(case, "register", by, note=note)


def case_reject(*, case: Case, by, reason: str) -> Case:
    reason = _reason(reason, "不予立案的理由")
    with transaction.atomic():
        case = lock(case)
        case.reject_reason = reason
        stop_clock(case)
        move(case, "reject", by, note=reason)
        finish_case_tasks(case, by, "不予立案")
    return case


def case_merge(*, case: Case, into: Case, by) -> Case:
    """Merge a duplicate into the surviving case; its reporter follows the survivor."""
    if case.pk == into.pk:
        raise Invalid("不能把案件合并到它自己")
    with transaction.atomic():
        first, second = sorted([case, into], key=lambda c: c.pk)  # lock in id order: no deadlock
        locked = {c.pk: lock(c) for c in (first, second)}
        case, into = locked[case.pk], locked[into.pk]
        if into.township_id != case.township_id:
            raise Invalid("只能合并同一乡镇街道的案件")
        if into.status in (Status.MERGED, Status.REJECTED):
            raise Conflict(f"目标案件 {into.code} 已{into.get_status_display()}，不能并入")
        case.merged_into = into
        stop_clock(case)
        move(case, "merge", by, note=f"并入案件 {into.code}", data={"into": into.code})
        note_event(
            into,
            "merged_in",
            by,
            note=f"案件 {case.code} 作为重复上报并入本案",
            data={"from": case.code},
        )
        finish_case_tasks(case, by, f"并入案件 {into.code}")
    return case


def _lead(case: Case) -> Assignment | None:
    return case.assignments.filter(role=Role.LEAD, state__in=LIVE_ASSIGNMENT).first()


def case_dispatch(*, case: Case, by, unit: Unit | None = None, message: str = "") -> Case:
    """Send the case to its lead unit (the routed one unless the dispatcher picks another)."""
    with transaction.atomic():
        case = lock(case)
        unit = unit or case.route_unit
        if unit is None:
            raise Invalid("没有可派遣的单位：请先确定类别或选择承办单位")
        check(case, "dispatch", by)
        now = timezone.now()
        cat = category_of(case)
        handle_due, _ = due_and_warn(now, cat.handle_limit, cat.handle_unit)
        close_due, _ = due_and_warn(handle_due, cat.verify_limit, cat.verify_unit)
        accept_due, _ = due_and_warn(now, *accept_limit())
        lead = Assignment(
            case=case,
            unit=unit,
            role=Role.LEAD,
            message=message[:500],
            created_at=now,
            handle_due_at=handle_due,
        )
        start_step(lead, "accept", now, min(accept_due, handle_due))
        lead.save()
        case.lead_unit, case.dispatched_at = unit, now
        case.handle_due_at, case.close_due_at = handle_due, close_due
        case.triage_reason = ""
        stop_clock(case)
        move(
            case,
            "dispatch",
            by,
            note=message or f"派遣至{unit.name}",
            unit=unit,
            data={"unit": unit.name, "handle_due_at": handle_due},
        )
        open_unit_task(
            case,
            lead,
            kind=TaskKind.CASE,
            by=by,
            due_at=handle_due,
            subject=f"案件 {case.code}：{cat.name}",
        )
        # A unit served by an external Open311 system gets the case from a background job.
        from jiceng.open311.tasks import on_case_dispatched

        on_case_dispatched(case)
        if cat.assist_sectors:  # emergencies: every needed unit at once
            from .whistle import case_whistle

            units = [u for u in sector_units(case.township, cat.assist_sectors) if u != unit]
            if units:
                case_whistle(case=case, units=units, by=by, message="突发事件，多部门联动")
    return case


def _lead_for(case: Case, by) -> Assignment:
    lead = _lead(case)
    if lead is None:
        raise Conflict("本案件没有待办的主办派遣")
    return lead


def _done_lead(case: Case) -> Assignment:
    lead = case.assignments.filter(role=Role.LEAD, state=AssignmentState.DONE).last()
    if lead is None:
        raise Conflict("本案件没有已完成处置的主办派遣")
    return lead


def case_accept(*, case: Case, by) -> Case:
    with transaction.atomic():
        case = lock(case)
        check(case, "accept", by)
        lead = _lead_for(case, by)
        now = timezone.now()
        lead.state, lead.accepted_at = AssignmentState.ACTIVE, now
        start_step(lead, "handle", now, lead.handle_due_at)
        lead.save()
        case.accepted_at = now
        move(case, "accept", by, unit=lead.unit)
    return case


def case_return(*, case: Case, by, reason: str) -> Case:
    """The unit sends the case back (not ours); it returns to the dispatcher to re-route."""
    reason = _reason(reason, "退回理由")
    with transaction.atomic():
        case = lock(case)
        check(case, "give_back", by)
        lead = _lead_for(case, by)
        cat = category_of(case)
        now = timezone.now()
        lead.state, lead.returned_at, lead.return_reason = AssignmentState.RETURNED, now, reason
        stop_clock(lead)
        lead.save()
        finish_task(lead.task_id, by, TaskState.CLOSED, f"退回：{reason}")
        case.lead_unit = None
        case.triage_reason = f"被{lead.unit.name}退回：{reason}"
        start_step(
            case, "dispatch", now, due_and_warn(now, cat.dispatch_limit, cat.dispatch_unit)[0]
        )
        move(case, "give_back", by, note=reason, unit=lead.unit, checked=True)
    return case


def case_handle(*, case: Case, by, result: str, files=()) -> Case:
    result = _reason(result, "处置结果")
    with transaction.atomic():
        case = lock(case)
        check(case, "handle", by)
        lead = _lead_for(case, by)
        cat = category_of(case)
        now = timezone.now()
        lead.state, lead.done_at, lead.result = AssignmentState.DONE, now, result
        stop_clock(lead)
        lead.save()
        finish_task(lead.task_id, by)
        _attach(case, list(files), Stage.HANDLE, by)
        case.handled_at = now
        start_step(case, "verify", now, due_and_warn(now, cat.verify_limit, cat.verify_unit)[0])
        move(case, "handle", by, note=result, unit=lead.unit)
    return case


def case_verify(*, case: Case, by, ok: bool, note: str = "", files=()) -> Case:
    """On-site check of the result: passes, or fails and the lead unit works again (返工)."""
    with transaction.atomic():
        case = lock(case)
        _attach(case, list(files), Stage.VERIFY, by)
        now = timezone.now()
        if ok:
            case.verified_at = now
            stop_clock(case)
            return move(case, "verify", by, note=note or "核查通过")
        note = _reason(note, "核查不通过的原因")
        check(case, "reopen", by)
        lead = _done_lead(case)
        cat = category_of(case)
        handle_due = due_and_warn(now, cat.handle_limit, cat.handle_unit)[0]
        lead.state, lead.done_at, lead.handle_due_at = AssignmentState.ACTIVE, None, handle_due
        start_step(lead, "handle", now, handle_due)
        lead.save()
        case.reopen_count += 1
        case.handled_at = None
        stop_clock(case)
        move(case, "reopen", by, note=note, unit=lead.unit)
        open_unit_task(
            case,
            lead,
            kind=TaskKind.CASE,
            by=by,
            due_at=handle_due,
            subject=f"返工 案件 {case.code}：{note[:60]}",
        )
    return case


def case_close(*, case: Case, by, note: str = "") -> Case:
    with transaction.atomic():
        case = lock(case)
        case.closed_at = timezone.now()
        stop_clock(case)
        move(case, "close", by, note=note or "结案")
        finish_case_tasks(case, by, "案件已结案")
    return case


def case_rate(
    *, case: Case, by, satisfaction: str, solved: bool, responded: bool, comment: str = ""
) -> Case:
    if satisfaction not in Satisfaction.values:
        raise Invalid("请选择满意、基本满意或不满意")
    with transaction.atomic():
        case = lock(case)
        case.satisfaction, case.solved, case.responded = satisfaction, solved, responded
        case.rating_comment, case.rated_at = comment[:500], timezone.now()
        move(
            case,
            "rate",
            by,
            note=comment[:200],
            data={"satisfaction": satisfaction, "solved": solved, "responded": responded},
        )
    return case


def case_hold(*, case: Case, by, reason: str) -> Case:
    """挂账: a case that cannot be solved now waits with a written reason; its clocks stop."""
    reason = _reason(reason, "挂账理由")
    with transaction.atomic():
        case = lock(case)
        check(case, "hold", by)
        case.hold_reason = reason
        for a in case.assignments.filter(state__in=LIVE_ASSIGNMENT):
            stop_clock(a)
            a.save()
        return move(case, "hold", by, note=reason)


def case_resume(*, case: Case, by, note: str = "") -> Case:
    with transaction.atomic():
        case = lock(case)
        check(case, "resume", by)
        now = timezone.now()
        cat = category_of(case)
        due = due_and_warn(now, cat.handle_limit, cat.handle_unit)[0]
        for a in case.assignments.filter(state__in=LIVE_ASSIGNMENT):
            a.state, a.accepted_at = AssignmentState.ACTIVE, a.accepted_at or now
            a.handle_due_at = due
            start_step(a, "handle", now, due)
            a.save()
        case.handle_due_at = due
        return move(case, "resume", by, note=note or "恢复办理")


def assignment_for_member(case: Case, by, role: str | None = None) -> Assignment:
    """The caller's unit's live part of the case; 403 when the caller has none."""
    qs = case.assignments.filter(state__in=LIVE_ASSIGNMENT).select_related("unit")
    if role:
        qs = qs.filter(role=role)
    for a in qs:
        if unit_member(by, a.unit_id):
            return a
    raise Forbidden("您所在单位在本案件中没有待办的任务")


def case_attach(*, case: Case, by, files, stage: str = Stage.EVIDENCE) -> list:
    """Evidence added later (body-camera footage, documents): hash and capturer kept."""
    from ..guards import township_desk

    with transaction.atomic():
        case = lock(case)
        member = any(unit_member(by, a.unit_id) for a in case.assignments.all())
        if not (member or township_desk(case, by)):
            raise Forbidden("只有承办单位或本乡镇街道派遣员可以上传证据")
        atts = _attach(case, list(files), stage, by)
        note_event(
            case,
            "attach",
            by,
            note=f"上传 {len(atts)} 个文件",
            data={"files": [{"name": a.name, "sha256": a.sha256} for a in atts]},
        )
    return atts
