"""A review (复核) that ends without a decision: withdrawn by the unit that asked, and the sweep
that sends the organiser's leaders one 督办 reminder when the decision is late."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit
from jiceng.org.models import Person, Role
from jiceng.workload.actions import task_open
from jiceng.workload.models import Task, TaskKind, TaskState

from .. import guards
from ..models import Appeal, AppealStatus, Inspection
from . import _appeal_link, _appeal_snap, late_key, request_tasks_finish


def appeal_withdraw(*, appeal: Appeal, person: Person | None, reason: str = "", by) -> Appeal:
    """The one who asked, or a leader of the inspected unit, withdraws an open review request
    (撤回复核), with an optional reason. The organiser's task for it is closed with the reason,
    the result may be scored again, and the inspection is not appealed again (guards.appeal_taken)."""
    inspection = Inspection.objects.get(pk=appeal.inspection_id)
    refused = guards.withdraw_refusal(person, appeal, inspection)
    if refused:
        raise PermissionError(refused)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError(_("撤回理由不能超过500字"))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        closed = guards.appeal_closed(appeal)
        if closed:
            raise ValidationError(closed)
        before = _appeal_snap(appeal)
        appeal.status, appeal.withdraw_reason = AppealStatus.WITHDRAWN, reason
        appeal.withdrawn_by, appeal.withdrawn_at = person, timezone.now()
        appeal.save(update_fields=["status", "withdraw_reason", "withdrawn_by", "withdrawn_at"])
        said = f"复核申请已撤回：{reason}" if reason else "复核申请已撤回"
        request_tasks_finish(appeal, by=by, state=TaskState.CLOSED, reason=said)
        audit(
            actor=by,
            verb="assessment.appeal.withdraw",
            obj=appeal,
            before=before,
            after=_appeal_snap(appeal),
        )
    return appeal


def _leaders(unit_id: int) -> list[Person]:
    """The leaders (分管领导) doing the work of a unit (Person.unit_id: managing unit first)."""
    return list(
        Person.objects.filter(role_grants__role=Role.LEADER)
        .filter(Q(managing_unit_id=unit_id) | Q(home_unit_id=unit_id, managing_unit__isnull=True))
        .distinct()
        .order_by("id")
    )


def _remind(appeal: Appeal) -> int:
    """One 督办 task for each leader of the organising unit (its inbox if it has none), opened
    while the review is still open: a withdrawal or decision at the same moment waits for it and
    then finishes what it opened."""
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("inspection__item__issuer__region", "inspection__unit")
            .get(pk=appeal.pk)
        )
        reminded = Task.objects.filter(source_key__startswith=late_key(appeal)).exists()
        if appeal.status != AppealStatus.OPEN or reminded:
            return 0
        x = appeal.inspection
        issuer = x.item.issuer
        due = f"{timezone.localtime(appeal.due_at):%Y-%m-%d %H:%M}"
        leaders: list[Person | None] = [*_leaders(issuer.pk)] or [None]  # None: the unit's inbox
        for who in leaders:
            target = {"assignee_person": who} if who else {"assignee_unit": issuer}
            task_open(
                kind=TaskKind.ESCALATION,
                subject=f"超期督办 复核未按期决定：{x.item.name} · {x.unit.name}",
                body=f"{x.unit.name}申请的复核应于 {due} 前作出决定（维持或变更），已超过期限。",
                region=issuer.region,
                from_unit=None,
                link=_appeal_link(x),
                source_key=f"{late_key(appeal)}{who.pk if who else 'unit'}",
                details={
                    "appeal": appeal.pk,
                    "inspection": x.pk,
                    "due_at": appeal.due_at.isoformat(),
                },
                by=None,
                **target,
            )
        return len(leaders)


def sweep_late_appeals(now=None) -> int:
    """Remind the organiser's leaders, once, of every review still open past its time limit for
    the decision; an appeal whose reminder was ever sent (open or finished) is not sent again.
    Returns how many reminders were opened. Safe to run twice at once (the open source key is
    unique, and each appeal is locked while its reminders are opened)."""
    now = now or timezone.now()
    late = list(Appeal.objects.filter(status=AppealStatus.OPEN, due_at__lt=now).order_by("pk"))
    if not late:
        return 0
    q = Q()
    for a in late:
        q |= Q(source_key__startswith=late_key(a))
    # one query for the reminders already sent, whatever the number of late reviews
    keys = Task.objects.filter(q).values_list("source_key", flat=True)
    sent = {k.rsplit(":", 1)[0] + ":" for k in keys}
    return sum(_remind(a) for a in late if late_key(a) not in sent)
