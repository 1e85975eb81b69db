"""The escalation sweep: every overdue step is escalated exactly once, one level up.

A step is claimed by one conditional UPDATE (`escalated_at IS NULL` in its WHERE), so two
sweeps running at the same time — threads, processes or machines — never escalate it twice.
"""

import logging
import re
import time

from django.db import OperationalError, transaction
from django.utils import timezone

from jiceng.org.models import Level, Person, Unit, UnitKind
from jiceng.org.models import Role as OrgRole
from jiceng.workload.actions import task_finish, task_open
from jiceng.workload.models import Task, TaskKind, TaskState

from .. import history
from ..guards import SYSTEM
from ..models import LIVE_ASSIGNMENT, Assignment, Case
from ._common import case_link

log = logging.getLogger(__name__)


def _claim(model, pk: int, now, **live) -> bool:
    """The one conditional UPDATE: True only for the sweep that marks the step first."""
    return bool(
        model.objects.filter(pk=pk, escalated_at__isnull=True, due_at__lt=now, **live).update(
            escalated_at=now
        )
    )


def _upper(unit: Unit | None, township) -> dict:
    """Whom to tell: the township's leader for township work, else the unit's parent."""
    if unit is None or unit.region.level in (Level.TOWNSHIP, Level.COMMUNITY, Level.GRID):
        boss = (
            Person.objects.filter(region=township, role_grants__role=OrgRole.LEADER)
            .order_by("id")
            .first()
        )
        if boss:
            return {"assignee_person": boss}
        gov = Unit.objects.filter(region=township, kind=UnitKind.GOVERNMENT).first()
        return {"assignee_unit": gov or unit}
    return {"assignee_unit": unit.parent or unit}


def _escalate(case: Case, unit: Unit | None, step: str, key: str, due_at) -> None:
    target = _upper(unit, case.township)
    who = unit.name if unit else case.township.name
    task_open(
        kind=TaskKind.ESCALATION,
        subject=f"超期督办 案件 {case.code}：{who}「{step}」已超时",
        region=case.township,
        by=None,
        from_unit=None,
        due_at=None,
        link=case_link(case),
        source_key=key,
        details={"case": case.code, "step": step, "due_at": due_at.isoformat()},
        **target,
    )
    history.record(
        case,
        "escalate",
        SYSTEM,
        note=f"{who}「{step}」超时，已升级督办",
        frm=case.status,
        to=case.status,
        unit=unit,
        data={"step": step},
    )


def _escalate_assignment(pk: int, case_id: int, now) -> bool:
    with transaction.atomic():
        # Lock the case first, as every flow action does, so a sweep never deadlocks with one.
        case = (
            Case.objects.select_for_update(of=("self",)).select_related("township").get(pk=case_id)
        )
        if not _claim(Assignment, pk, now, state__in=LIVE_ASSIGNMENT):
            return False
        a = Assignment.objects.select_related("unit__region").get(pk=pk)
        key = f"case:{case.pk}:esc:a{a.pk}:{a.step}"  # ESCALATION_KEY reads it back
        _escalate(case, a.unit, a.get_step_display(), key, a.due_at)
    return True


def _escalate_case(case_id: int, now) -> bool:
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",)).select_related("township").get(pk=case_id)
        )
        if not _claim(Case, case_id, now, step__gt=""):
            return False
        _escalate(
            case, None, case.get_step_display(), f"case:{case.pk}:esc:{case.step}", case.due_at
        )
    return True


def _candidates(model, now, after: int, batch: int, **live):
    qs = model.objects.filter(escalated_at__isnull=True, due_at__lt=now, pk__gt=after, **live)
    return list(
        qs.order_by("pk").values_list(
            *(["pk", "case_id"] if model is Assignment else ["pk", "pk"])
        )[:batch]
    )


# A row another writer holds (SQLite: locked; PostgreSQL: a deadlock victim or a serialisation
# failure) is tried again this many times, after 0.05 s, 0.1 s, 0.2 s … , before it is left for
# the next sweep. Any other error (a lost connection …) is not waited on.
LOCKED_RETRIES = 5
HELD_SQLSTATES = ("40P01", "40001")


def _held(exc: OperationalError) -> bool:
    return "locked" in str(exc) or getattr(exc.__cause__, "sqlstate", None) in HELD_SQLSTATES


def _retrying(escalate, *args) -> bool:
    for attempt in range(LOCKED_RETRIES + 1):
        try:
            return escalate(*args)
        except OperationalError as exc:
            if attempt == LOCKED_RETRIES or not _held(exc):
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _run(model, now, batch: int, escalate, **live) -> int:
    claimed, after = 0, 0
    while True:
        rows = _candidates(model, now, after, batch, **live)
        for pk, case_id in rows:
            args = (pk, case_id, now) if model is Assignment else (pk, now)
            try:
                claimed += _retrying(escalate, *args)
            except Exception:  # one bad row must not stop the sweep; it stays unescalated
                log.exception("escalation of %s %s failed", model.__name__, pk)
        if len(rows) < batch:
            return claimed
        after = rows[-1][0]


def sweep_overdue(now=None, batch: int = 500) -> int:
    """Escalate every overdue step not yet escalated; returns how many this sweep claimed."""
    now = now or timezone.now()
    total = _run(Assignment, now, batch, _escalate_assignment, state__in=LIVE_ASSIGNMENT)
    return total + _run(Case, now, batch, _escalate_case, step__gt="")


# The source key of an escalation: the case, the assignment if a unit's step was late, the step.
ESCALATION_KEY = re.compile(r"case:(\d+):esc:(?:a(\d+):)?(\w+)")


def settle_escalations() -> int:
    """Close each open 超期督办 whose late step is over: the unit or the case moved to another
    step, or entered it again with a new clock (which may escalate anew), or the assignment is
    gone. The leader's inbox then holds only what is still late. Two queries for the steps,
    whatever the number of reminders; returns how many were closed."""
    open_ = list(
        Task.objects.filter(
            kind=TaskKind.ESCALATION, state=TaskState.OPEN, source_key__startswith="case:"
        )
    )
    late = {t.pk: m.groups() for t in open_ if (m := ESCALATION_KEY.fullmatch(t.source_key))}
    cases = Case.objects.only("step", "escalated_at").in_bulk({int(c) for c, a, s in late.values()})
    units = Assignment.objects.only("step", "escalated_at").in_bulk(
        {int(a) for c, a, s in late.values() if a}
    )
    closed = 0
    for task in open_:
        if task.pk not in late:
            continue
        case_id, assignment_id, step = late[task.pk]
        now_at = units.get(int(assignment_id)) if assignment_id else cases.get(int(case_id))
        if now_at is not None and now_at.step == step and now_at.escalated_at is not None:
            continue  # still late at that step
        task_finish(task=task, by=None, state=TaskState.CLOSED, reason="超时环节已办理，督办结束")
        closed += 1
    return closed
