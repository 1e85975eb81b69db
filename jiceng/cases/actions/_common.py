"""Helpers shared by the case actions: lock, check a transition, write event + audit, tasks."""

from django.urls import reverse
from django_fsm import can_proceed

from jiceng.core.audit import audit
from jiceng.workload.actions import task_finish, task_open
from jiceng.workload.models import Task, TaskState

from .. import guards, history
from ..errors import CaseError, Conflict, Forbidden, Invalid
from ..guards import SystemActor
from ..models import Assignment, Case, Category

STEP_LABEL = {
    "register": "立案",
    "reject": "不予立案",
    "merge": "合并",
    "dispatch": "派遣",
    "accept": "签收",
    "give_back": "退回",
    "handle": "处置完成",
    "verify": "核查",
    "reopen": "核查不通过（返工）",
    "close": "结案",
    "rate": "评价",
    "hold": "挂账",
    "resume": "恢复办理",
}
CASE_FIELDS = ["status", "lead_unit_id", "step", "due_at", "category_id", "version"]


def audit_actor(by):
    """The user to write in the audit log (None for the platform or an anonymous reporter)."""
    return by if getattr(by, "is_authenticated", False) and getattr(by, "pk", None) else None


def lock(case: Case) -> Case:
    """Re-read the case under a row lock: two dispatchers acting at once are serialized here."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "township")
        .get(pk=case.pk)
    )


def category_of(case: Case) -> Category:
    """The case's category, which every step after registration needs for its time limits."""
    if case.category is None:
        raise Invalid("案件尚未确定类别")
    return case.category


def lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=assignment.pk)
    )


def refusal(case: Case, name: str, by, conditions: bool = True) -> CaseError | None:
    """Why the case's state or the caller's role does not allow a step; None if it does.

    conditions=False leaves out the step's conditions (every part done), which the caller
    cannot see from a button: the button is shown and the refusal says what is missing.
    """
    method = getattr(case, name)
    label = STEP_LABEL.get(name, name)
    if not can_proceed(method, check_conditions=False):
        return Conflict(f"案件当前状态为「{case.get_status_display()}」，不能{label}")
    meta = method._django_fsm
    if not isinstance(by, SystemActor) and not meta.has_transition_perm(case, case.status, by):
        return Forbidden(f"您的角色或单位不能对本案件执行「{label}」")
    if conditions:
        for condition in meta.get_transition(case.status).conditions:
            if not condition(case):
                return Conflict(f"条件未满足，不能{label}：{guards.UNMET[condition]}")
    return None


def check(case: Case, name: str, by) -> None:
    """Refuse a step the case's state or the caller's role does not allow, with the reason."""
    exc = refusal(case, name, by)
    if exc is not None:
        raise exc


def move(case: Case, name: str, by, *, note: str = "", data=None, unit=None, checked=False):
    """Take one transition: check, change, save, then the timeline event and the audit row."""
    if not checked:
        check(case, name, by)
    before = {k: getattr(case, k) for k in CASE_FIELDS}
    frm = case.status
    getattr(case, name)()
    case.version += 1
    case.save()
    history.record(case, name, by, note=note, data=data, frm=frm, to=case.status, unit=unit)
    after = {k: getattr(case, k) for k in CASE_FIELDS}
    audit(actor=audit_actor(by), verb=f"cases.{name}", obj=case, before=before, after=after)
    return case


def note_event(case: Case, verb: str, by, *, note: str = "", data=None, unit=None) -> None:
    """A timeline entry that changes no status (whistle, report-in, extension, attachment)."""
    history.record(case, verb, by, note=note, data=data, frm=case.status, to=case.status, unit=unit)
    audit(
        actor=audit_actor(by), verb=f"cases.{verb}", obj=case, after={"note": note, **(data or {})}
    )


def case_link(case: Case) -> str:
    return reverse("cases:detail", args=[case.code])


def open_unit_task(case: Case, assignment: Assignment, *, kind: str, subject: str, by, due_at):
    task = task_open(
        kind=kind,
        subject=subject,
        region=case.township,
        by=audit_actor(by),
        assignee_unit=assignment.unit,
        from_unit=None,
        due_at=due_at,
        body=case.description[:500],
        link=case_link(case),
        source_key=f"case:{case.pk}:unit:{assignment.unit_id}",
        details={"case": case.code, "assignment": assignment.pk, "role": assignment.role},
    )
    Assignment.objects.filter(pk=assignment.pk).update(task=task)
    assignment.task = task
    return task


def finish_task(task_id: int | None, by, state=TaskState.DONE, reason="") -> None:
    if task_id:
        task = Task.objects.filter(pk=task_id).first()
        if task:
            task_finish(task=task, by=audit_actor(by), state=state, reason=reason)


def finish_case_tasks(case: Case, by, reason: str) -> None:
    prefix = f"case:{case.pk}:"
    for task in Task.objects.filter(source_key__startswith=prefix, state=TaskState.OPEN):
        task_finish(task=task, by=audit_actor(by), state=TaskState.CLOSED, reason=reason)
