"""Writes to the inbox: open, finish and close tasks, each audited."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit
from jiceng.org.models import Person
from jiceng.org.scope import person_of, scope_code

from .datasets import matching
from .models import Task, TaskKind, TaskState
from .roles import UPPER_ROLES
from .selectors import SENT_KINDS, finish_refusal

AUDITED = ["kind", "subject", "assignee_person_id", "assignee_unit_id", "from_unit_id", "state"]


def _snap(task: Task) -> dict:
    return {name: getattr(task, name) for name in AUDITED}


def task_open(
    *,
    kind: str,
    subject: str,
    region,
    by,
    assignee_person=None,
    assignee_unit=None,
    from_unit=None,
    due_at=None,
    body: str = "",
    link: str = "",
    source_key: str = "",
    details: dict | None = None,
) -> Task:
    """Open a task; with a source_key, an already open task for that key is returned instead."""
    if source_key:
        existing = Task.objects.filter(source_key=source_key, state=TaskState.OPEN).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            task = Task.objects.create(
                kind=kind,
                subject=subject[:200],
                region=region,
                body=body,
                link=link,
                assignee_person=assignee_person,
                assignee_unit=assignee_unit,
                from_unit=from_unit,
                due_at=due_at,
                source_key=source_key,
                details=details or {},
            )
            audit(actor=by, verb="task.open", obj=task, after=_snap(task))
    except IntegrityError:
        if not source_key:
            raise
        # Another process opened the same task between our check and insert.
        return Task.objects.get(source_key=source_key, state=TaskState.OPEN)
    return task


def task_finish(*, task: Task, by, state: str = TaskState.DONE, reason: str = "") -> Task:
    """Mark a task done (or closed with a reason); finishing twice changes nothing."""
    with transaction.atomic():
        updated = Task.objects.filter(pk=task.pk, state=TaskState.OPEN).update(
            state=state, closed_at=timezone.now(), close_reason=reason[:200]
        )
        if updated:
            task.refresh_from_db()
            audit(
                actor=by,
                verb=f"task.{state}",
                obj=task,
                before={"state": TaskState.OPEN},
                after={"state": state, "reason": reason},
            )
    return task


def tasks_finish_by_source(
    *, source_key: str, by, state: str = TaskState.DONE, reason: str = "", prefix: bool = False
) -> int:
    """Finish the open tasks of a source key (with `prefix`, of every key that starts with it)."""
    closed = 0
    keys = {"source_key__startswith" if prefix else "source_key": source_key}
    for task in Task.objects.filter(**keys, state=TaskState.OPEN):
        task_finish(task=task, by=by, state=state, reason=reason)
        closed += 1
    return closed


# What an upper unit may ask of people through the inbox (the other kinds come from the modules:
# a case, a whistle, a screening run open their own tasks; a check runs under an approved
# assessment item, jiceng.assessment, which opens its own 考核检查 tasks).
SENDABLE_KINDS = tuple(k for k in SENT_KINDS if k != TaskKind.ASSESSMENT)


def _require_sender(person: Person | None) -> Person:
    if person is None or not person.has_role(*UPPER_ROLES):
        raise PermissionError(_("只有分管领导、县级管理员、考核人员和平台管理员可以交办事项"))
    return person


def sender_of(user) -> Person:
    """The person about to send (交办); PermissionError, saying who may, for anyone else."""
    return _require_sender(person_of(user))


def tasks_send(
    *,
    sender: Person,
    kind: str,
    subject: str,
    units=(),
    people=(),
    body: str = "",
    due_at=None,
    reason: str = "",
    by,
) -> list[Task]:
    """交办: one task for each unit and each person chosen, from the sender's unit (S7).

    Every recipient must lie in the sender's area (a county reaches its townships, a township its
    own units and staff); anything wrong and nothing is sent. The tasks of one sending share a
    `details.batch`, so the sender sees who has done it (`selectors.sent_by`).

    一表通 (S8): a data request asking for what the platform already holds (`datasets.matching`)
    is refused, naming where to read it, unless `reason` says why the grassroots must still
    fill it in; the reason is kept with the tasks and in the audit log.
    """
    _require_sender(sender)
    problems = []
    if kind == TaskKind.ASSESSMENT:
        problems.append(
            _(
                "督查检查考核须按已批准的考核事项开展，并计入年度上限：请在“考核事项”中登记，不能直接交办"
            )
        )
    elif kind not in SENDABLE_KINDS:
        problems.append(_("类型只能是数据填报或其他"))
    subject = (subject or "").strip()
    if not subject:
        problems.append(_("请填写事项名称"))
    elif len(subject) > 200:
        problems.append(_("事项名称不能超过200字"))
    reason = (reason or "").strip()
    # a form sent as 其他 is still a form
    held = matching(subject, body or "")
    if held and not reason:
        problems.append(
            _(
                "平台已有这些数据：%(titles)s。请在“平台数据”中直接查看或导出，不要再让基层填报；"
                "如确需基层填报，请写明理由。"
            )
            % {"titles": "、".join(str(d.title) for d in held)}
        )
    if due_at is not None and due_at <= timezone.now():
        problems.append(_("办理时限不能早于现在"))
    units, people = list(units), [p for p in people if p.pk != sender.pk]
    if not units and not people:
        problems.append(_("请至少选择一个接收单位或人员"))
    area = scope_code(sender.user)

    def inside(region) -> bool:
        return area is not None and region is not None and region.code.startswith(area)

    outside = [u.name for u in units if not inside(u.region)] + [
        p.name for p in people if not inside(p.region)
    ]
    if outside:
        problems.append(_("不在您的管辖范围内：%(names)s") % {"names": "、".join(outside)})
    if problems:
        raise ValidationError(problems)
    batch = uuid.uuid4().hex
    details: dict = {"batch": batch, "sender": sender.pk}
    if held:
        details.update(instead_of=[d.key for d in held], reason=reason[:500])
    from_unit = sender.unit
    common = {"kind": kind, "subject": subject, "body": body, "due_at": due_at, "by": by}
    with transaction.atomic():
        sent = [
            task_open(
                **common, region=u.region, assignee_unit=u, from_unit=from_unit, details=details
            )
            for u in units
        ] + [
            task_open(
                **common, region=p.region, assignee_person=p, from_unit=from_unit, details=details
            )
            for p in people
        ]
        audit(
            actor=by,
            verb="task.send",
            object_type="workload.batch",
            object_id=batch,
            after={
                "kind": kind,
                "subject": subject,
                "tasks": [t.pk for t in sent],
                **(
                    {"instead_of": details["instead_of"], "reason": details["reason"]}
                    if held
                    else {}
                ),
            },
        )
    return sent


def task_report_done(*, task: Task, person: Person, reply: str = "", by) -> Task:
    """办结 from the inbox: the person it was asked of (or a member of the unit) says it is done,
    with what was done. Tasks a module opened (a case, a whistle) are finished by that module;
    a notice (TaskKind.NOTICE) is finished here by whoever reads it (已阅)."""
    refused = finish_refusal(person, task)
    if refused is not None:
        raise refused
    reply = (reply or "").strip()
    if len(reply) > 200:
        raise ValidationError(_("办理情况不能超过200字"))
    if not reply and task.kind == TaskKind.DATA_REQUEST:
        raise ValidationError(_("数据填报请写明报送情况"))
    if not reply and task.kind == TaskKind.NOTICE:
        reply = _("已阅")
    if not reply and task.kind == TaskKind.ASSESSMENT and task.link:
        reply = _("已迎检")
    return task_finish(task=task, by=by, reason=reply)
