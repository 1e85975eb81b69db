"""Reads of the inbox and of the burden it shows (S7)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.org.models import Person, Region, Unit
from jiceng.org.scope import STAFF_ROLES, get_scoped_or_404, person_of, region_q, scope_code
from jiceng.org.selectors import units_for

from .models import Task, TaskKind, TaskState
from .roles import UPPER_ROLES

# Linked tasks the recipient still finishes from the inbox: a notice once read (已阅), and an
# inspection once received (已迎检; scoring closes it anyway). Other linked tasks are finished by
# their module when the work is done there.
FINISHED_BY_RECIPIENT = (TaskKind.NOTICE, TaskKind.ASSESSMENT)

# What the burden counts: everything asked of a person except what is only for information
# (a 通报, a review's result: TaskKind.NOTICE), which asks nothing but reading.
WORK = ~Q(kind=TaskKind.NOTICE)


def inbox_q(person: Person) -> Q:
    q = Q(assignee_person=person)
    for unit_id in {person.home_unit_id, person.managing_unit_id} - {None}:
        q |= Q(assignee_unit_id=unit_id, assignee_person__isnull=True)
    return q


def inbox_for(
    user,
    *,
    state: str | None = TaskState.OPEN,
    from_unit_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[Task]:
    """Everything assigned to me or to my unit(s)."""
    person = person_of(user)
    if person is None:
        return Task.objects.none()
    qs = Task.objects.filter(inbox_q(person)).select_related(
        "from_unit", "assignee_unit", "assignee_person", "region"
    )
    if state:
        qs = qs.filter(state=state)
    if from_unit_id:
        qs = qs.filter(from_unit_id=from_unit_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_at", "id")


def task_get_for(user, pk: int) -> Task:
    """A task the caller may see: in their inbox, or in their region scope."""
    person = person_of(user)
    if person is not None:
        mine = Task.objects.filter(inbox_q(person), pk=pk).first()
        if mine:
            return mine
    return get_scoped_or_404(Task.objects.all(), user, pk=pk)


def burden_for(person: Person, start: dt.datetime, end: dt.datetime) -> dict:
    """How many distinct upper units reached this person, and with how many tasks, by kind."""
    qs = Task.objects.filter(WORK, inbox_q(person), created_at__gte=start, created_at__lt=end)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    n_platform = qs.filter(from_unit__isnull=True).count()
    return {
        "person": person.name,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "upper_units": qs.exclude(from_unit__isnull=True).values("from_unit").distinct().count(),
        "tasks": sum(by_kind.values()),
        # of those, sent by the platform itself (smart dispatch, escalation), not by any unit
        "from_platform": n_platform,
        "by_kind": by_kind,
        "overdue_open": qs.filter(state=TaskState.OPEN, due_at__lt=end).count(),
    }


def may_watch_burden(user) -> bool:
    """The burden of a whole township or county is for its leaders, the county, the assessors
    whose job is to see it fall, and the platform (`roles.UPPER_ROLES`)."""
    person = person_of(user)
    return bool(user.is_superuser or (person and person.has_role(*UPPER_ROLES)))


def month_starts(now: dt.datetime, months: int) -> list[dt.datetime]:
    """The first instants (local time) of the last `months` calendar months, the current one last."""
    local = timezone.localtime(now)
    year, month = local.year, local.month
    starts = []
    for _month in range(months):
        starts.append(local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [s.replace(microsecond=0) for s in reversed(starts)]


def burden_by_month(user, *, months: int = 6, region: Region | None = None, now=None) -> dict:
    """The burden (S7) of every person in the caller's scope (or in `region`), month by month.

    A person is reached by the tasks assigned to them and by those left to their unit (home or
    managing), as the inbox shows them. For each month: how many tasks reached each person and
    from how many distinct upper units; for everyone together, how many distinct tasks, by kind,
    from how many upper units; and for each sending unit, how many tasks it sent into the area
    each month, the most first (`senders`; unit None: the platform itself). Two queries, whatever
    the number of tasks.
    """
    now = now or timezone.now()
    code = region.code if region is not None else scope_code(user)
    if code is None or not may_watch_burden(user):
        return {"months": [], "people": [], "totals": [], "senders": []}
    people = list(
        Person.objects.filter(region__code__startswith=code, role_grants__role__in=STAFF_ROLES)
        .distinct()
        .select_related("home_unit", "managing_unit", "region")
        .order_by("region__code", "home_unit__name", "name")
    )
    starts = month_starts(now, months)
    units = {u for p in people for u in (p.home_unit_id, p.managing_unit_id) if u}
    reached = Q(assignee_person__in=people) | Q(
        assignee_person__isnull=True, assignee_unit_id__in=units
    )
    groups = (
        Task.objects.filter(WORK, reached, created_at__gte=starts[0], created_at__lt=now)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "assignee_person_id", "assignee_unit_id", "from_unit_id", "kind")
        .annotate(n=Count("id"))
    )
    index = {(s.year, s.month): i for i, s in enumerate(starts)}
    in_unit: dict[int, list[int]] = {}
    for p in people:
        for u in {p.home_unit_id, p.managing_unit_id}:
            if u is not None:
                in_unit.setdefault(u, []).append(p.pk)
    per_person = {p.pk: [_Tally() for _s in starts] for p in people}
    totals = [_Tally() for _s in starts]
    by_sender: dict[int | None, list[int]] = {}
    for month, person_id, unit_id, from_unit_id, kind, n in groups:
        local = timezone.localtime(month) if timezone.is_aware(month) else month
        i = index.get((local.year, local.month))
        if i is None:
            continue
        totals[i].add(n, from_unit_id, kind)
        by_sender.setdefault(from_unit_id, [0] * len(starts))[i] += n
        for pk in [person_id] if person_id else in_unit.get(unit_id, []):
            per_person[pk][i].add(n, from_unit_id, kind)
    labels = [s.strftime("%Y-%m") for s in starts]
    senders = Unit.objects.select_related("region").in_bulk([u for u in by_sender if u])
    return {
        "months": labels,
        "senders": sorted(
            (
                {"unit": senders.get(u) if u else None, "months": counts, "tasks": sum(counts)}
                for u, counts in by_sender.items()
            ),
            key=lambda row: (-row["tasks"], row["unit"].name if row["unit"] else ""),
        ),
        "people": [
            {
                "person": p,
                "unit": str(p.unit or ""),
                "months": [
                    {"month": m, "tasks": t.tasks, "upper_units": len(t.units)}
                    for m, t in zip(labels, per_person[p.pk], strict=True)
                ],
            }
            for p in people
        ],
        "totals": [
            {
                "month": labels[i],
                "tasks": t.tasks,
                "upper_units": len(t.units),
                "by_kind": dict(t.by_kind),
                # against the month before: below zero, the burden fell
                "change": t.tasks - totals[i - 1].tasks if i else None,
            }
            for i, t in enumerate(totals)
        ],
    }


def recipients_for(user, unit_ids, person_ids) -> tuple[list[Unit], list[Person]]:
    """The units and staff chosen to receive a task, read within the caller's area only; an id
    that is not there (unknown, or another township's) is an error, without naming anything."""
    units = list(units_for(user).filter(pk__in=unit_ids))
    people = list(Person.objects.filter(region_q(user), pk__in=person_ids).select_related("region"))
    if len(units) != len(set(unit_ids)) or len(people) != len(set(person_ids)):
        raise ValidationError(_("有接收对象不存在，或不在您的管辖范围内"))
    return units, people


def finish_refusal(person: Person, task: Task) -> Exception | None:
    """Why this person may not mark the task done from the inbox now; None if they may.

    Shared by the task page (to show the form) and actions.task_report_done (to refuse)."""
    if not Task.objects.filter(inbox_q(person), pk=task.pk).exists():
        return PermissionError(_("这项事项不是交给您或您所在单位的"))
    if task.link and task.kind not in FINISHED_BY_RECIPIENT:
        return ValidationError(_("这项事项请到办理页面处理，办完后会自动办结"))
    if task.state != TaskState.OPEN:
        return ValidationError(_("这项事项已经办结或关闭"))
    return None


def units_with_people(user, exclude: Person | None = None) -> list[tuple[Unit, list[Person]]]:
    """The units in the caller's area, each with the staff it manages (to choose recipients)."""
    units = list(units_for(user))
    staff: dict[int, list[Person]] = {}
    people = (
        Person.objects.filter(region_q(user), role_grants__role__in=STAFF_ROLES)
        .distinct()
        .order_by("name")
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    for p in people:
        unit_id = p.managing_unit_id or p.home_unit_id
        if unit_id is not None:
            staff.setdefault(unit_id, []).append(p)
    return [(u, staff.get(u.pk, [])) for u in units]


# the kinds a person can send (actions.SENDABLE_KINDS); the modules' tasks are never theirs
SENT_KINDS = (TaskKind.DATA_REQUEST, TaskKind.ASSESSMENT, TaskKind.OTHER)


def sent_by(person: Person, limit: int = 500) -> list[dict]:
    """What this person has sent (交办) from the unit they work for, one entry per sending,
    newest first, with each recipient's task: who has done it, with what reply, who is late."""
    tasks = (
        Task.objects.filter(
            kind__in=SENT_KINDS, from_unit_id=person.unit_id, details__sender=person.pk
        )
        .select_related("assignee_unit", "assignee_person")
        .order_by("-created_at", "id")[:limit]
    )
    batches: dict[str, dict] = {}
    for t in tasks:
        key = str(t.details.get("batch", t.pk))
        entry = batches.setdefault(
            key,
            {
                "key": key,
                "subject": t.subject,
                "kind": t.get_kind_display(),
                "sent_at": t.created_at,
                "due_at": t.due_at,
                "tasks": [],
            },
        )
        entry["tasks"].append(t)
    now = timezone.now()
    for entry in batches.values():
        entry["done"] = sum(t.state != TaskState.OPEN for t in entry["tasks"])
        entry["late"] = sum(t.is_overdue(now) for t in entry["tasks"])
    return list(batches.values())


@dataclass
class _Tally:
    """Tasks counted for one person (or everyone) in one month: how many, from which units."""

    tasks: int = 0
    units: set[int] = field(default_factory=set)
    by_kind: Counter = field(default_factory=Counter)

    def add(self, n: int, from_unit_id: int | None, kind: str) -> None:
        self.tasks += n
        self.by_kind[kind] += n
        if from_unit_id:
            self.units.add(from_unit_id)
