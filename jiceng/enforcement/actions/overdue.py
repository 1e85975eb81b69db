"""The time-limit sweep: a case nearing, then past, the limit of the step it waits for (决定, 送达,
履行, and the hand-in of a fine collected on the spot, 第七十一条) is put in its enforcement team's inbox, once each per limit, and leaves it with the next
step. The task's opening is the audit row (task.open); the case itself does not change."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jiceng.workload.actions import task_open
from jiceng.workload.models import Task, TaskKind

from ..models import ENDED, PenaltyCase, State

# Per waiting state: what its limit is called (recorded in Chinese) and how long before it
# runs out the team is reminded. Every other waiting state waits for the decision.
LIMITS = {
    State.DECIDED: ("送达时限（第六十一条）", dt.timedelta(days=2)),
    State.SERVED: ("履行期限", dt.timedelta(days=3)),
    State.EXECUTED: ("当场收缴罚款交至行政机关的时限（第七十一条）", dt.timedelta(days=1)),
}
DECISION = ("作出处罚决定的时限（第六十条）", dt.timedelta(days=10))
LONGEST_NOTICE = max(ahead for _name, ahead in [*LIMITS.values(), DECISION])


def clock_key(pc: PenaltyCase) -> str:
    """The source-key prefix of a case's time-limit tasks (the next step finishes them)."""
    return f"enforcement:{pc.pk}:clock:"


def sweep_overdue(now=None) -> int:
    """Open one inbox task for each case whose current limit is near ("soon") or past ("over")
    and has had none of that kind for that limit yet (open or finished: a team that acted once
    is not told again); returns how many were opened."""
    now = now or timezone.now()
    horizon = now + LONGEST_NOTICE
    cases = (
        PenaltyCase.objects.exclude(state__in=ENDED)
        .filter(
            Q(decision_due_at__lt=horizon)
            | Q(serve_due_at__lt=horizon)
            | Q(execute_due_at__lt=horizon)
            | Q(handin_due_at__lt=horizon, handed_in_on__isnull=True)
        )
        .select_related("township", "handling_unit")
    )
    wanted = {}
    for pc in cases:
        due = pc.current_due()
        name, ahead = LIMITS.get(pc.state, DECISION)
        if due is None or pc.handling_unit_id is None or due - ahead > now:
            continue
        kind = "over" if due < now else "soon"
        key = f"{clock_key(pc)}{kind}:{timezone.localtime(due).date().isoformat()}"
        wanted[key] = (pc, due, name, kind)
    # one query for the reminders already sent, whatever the number of cases
    sent = set(Task.objects.filter(source_key__in=wanted).values_list("source_key", flat=True))
    opened = 0
    for key, (pc, due, name, kind) in wanted.items():
        if key in sent:
            continue
        last = f"{timezone.localtime(due):%Y-%m-%d %H:%M}"
        said = f"已超过{name}" if kind == "over" else f"的{name}将于 {last} 届满"
        task_open(
            kind=TaskKind.OTHER,
            subject=f"执法案件 {pc.code}（{pc.party_name}）{said}",
            body=f"时限至 {last}",
            region=pc.township,
            assignee_unit=pc.handling_unit,
            due_at=due if kind == "soon" else None,
            link=reverse("enforcement:detail", args=[pc.code]),
            source_key=key,
            details={"penalty_case": pc.code},
            by=None,
        )
        opened += 1
    return opened
