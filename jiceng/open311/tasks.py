"""Background jobs of the Open311 door: send outbound requests, retry them, pull updates."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import selectors
from .actions import outbound_enqueue, outbound_poll_one, outbound_send
from .actions.outbound import backoff
from .models import OutboundRequest
from .remote import RemoteError

log = logging.getLogger(__name__)


@db_task()
def open311_send(outbound_id: int) -> str:
    """Send one outbound request; a passing failure schedules the next try after the back-off."""
    result = outbound_send(outbound_id=outbound_id)
    if result == "retry":
        attempts = OutboundRequest.objects.filter(pk=outbound_id).values_list("attempts", flat=True)
        delay = backoff(attempts[0]).total_seconds()
        open311_send.schedule((outbound_id,), delay=delay)
    return result


def on_case_dispatched(case) -> None:
    """The hook the case loop calls when it dispatches a case: queue the send after the commit
    (a background job, so the dispatcher's request never waits on the remote system)."""

    if not getattr(settings, "JICENG_OPEN311_SEND_ON_DISPATCH", True):
        return  # the minute sweep picks it up instead

    def queue() -> None:
        for out in outbound_enqueue(case=case):
            open311_send(out.pk)

    transaction.on_commit(queue)


def send_for_case(case) -> list[str]:
    return [open311_send.call_local(out.pk) for out in outbound_enqueue(case=case)]


def outbound_sweep() -> dict:
    """Queue what was dispatched to endpoint units and send whatever is due (idempotent)."""
    queued = 0
    for assignment in selectors.outbound_missing()[:500]:
        queued += len(outbound_enqueue(case=assignment.case))
    results = [open311_send.call_local(pk) for pk in list(selectors.outbound_due(timezone.now()))]
    return {"queued": queued, "sent": results}


def outbound_poll() -> int:
    changed = 0
    for out in selectors.outbound_to_poll()[:1000]:
        try:
            changed += outbound_poll_one(outbound=out)
        except RemoteError as exc:  # the next run tries again
            log.info("open311 poll %s: %s", out.pk, exc)
    return changed


@db_periodic_task(crontab(minute="*"))
def open311_outbound_sweep() -> dict:
    return outbound_sweep()


@db_periodic_task(crontab(minute="*/5"))
def open311_poll_updates() -> int:
    return outbound_poll()
