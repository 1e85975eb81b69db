"""The overdue sweep: a case past the time limit of the step it waits for (决定, 送达, 履行) is
put in its enforcement team's inbox once per missed limit, and leaves it with the next step.
The task's opening is the audit row (task.open); the case itself does not change."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jiceng.workload.actions import task_open
from jiceng.workload.models import Task, TaskKind

from ..models import ENDED, PenaltyCase, State

# What the limit of each waiting state is called, in the inbox subject (recorded in Chinese).
LIMIT_NAME = {
    State.DECIDED: "送达时限（第六十一条）",
    State.SERVED: "履行期限",
}
DECISION_LIMIT = "作出处罚决定的时限（第六十条）"


def overdue_key(pc: PenaltyCase) -> str:
    return f"enforcement:{pc.pk}:overdue:"


def sweep_overdue(now=None) -> int:
    """Open one inbox task for each case past its current limit that has had none for that
    limit yet (open or finished: a team that acted once is not told again); returns how many."""
    now = now or timezone.now()
    late = (
        PenaltyCase.objects.exclude(state__in=ENDED)
        .filter(Q(decision_due_at__lt=now) | Q(serve_due_at__lt=now) | Q(execute_due_at__lt=now))
        .select_related("township", "handling_unit")
    )
    opened = 0
    for pc in late:
        due = pc.current_due()
        if due is None or due >= now or pc.handling_unit_id is None:
            continue
        key = f"{overdue_key(pc)}{timezone.localtime(due).date().isoformat()}"
        if Task.objects.filter(source_key=key).exists():
            continue
        limit = LIMIT_NAME.get(pc.state, DECISION_LIMIT)
        task_open(
            kind=TaskKind.OTHER,
            subject=f"执法案件 {pc.code}（{pc.party_name}）已超过{limit}",
            body=f"时限至 {timezone.localtime(due):%Y-%m-%d %H:%M}",
            region=pc.township,
            assignee_unit=pc.handling_unit,
            link=reverse("enforcement:detail", args=[pc.code]),
            source_key=key,
            details={"penalty_case": pc.code},
            by=None,
        )
        opened += 1
    return opened
