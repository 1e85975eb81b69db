"""Outbound: a case dispatched to a unit served by an external Open311 endpoint is POSTed there.

One row per (case, endpoint) under a unique constraint; a sender claims the row with one
conditional UPDATE, so two jobs (or two consumers) never send the same case twice. A failure
that can pass is retried later with exponential back-off; status updates are pulled back into
the case history.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jiceng.cases import history
from jiceng.cases.actions import case_accept, case_handle
from jiceng.cases.guards import SystemActor
from jiceng.cases.models import LIVE_ASSIGNMENT, Case, Status
from jiceng.core.audit import audit

from .. import remote
from ..models import Open311Endpoint, OutboundRequest, OutState

CLAIM_TIMEOUT = dt.timedelta(minutes=10)  # a sender that died mid-call frees its row after this


class EndpointActor(SystemActor):
    """The external system acting through the platform (labelled with its unit in the history)."""

    def __init__(self, endpoint: Open311Endpoint):
        self.username = f"{endpoint.unit.name}（Open311）"


def backoff(attempts: int) -> dt.timedelta:
    base = getattr(settings, "JICENG_OPEN311_BACKOFF_SECONDS", 30)
    cap = getattr(settings, "JICENG_OPEN311_BACKOFF_MAX_SECONDS", 3600)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def max_attempts() -> int:
    return getattr(settings, "JICENG_OPEN311_MAX_ATTEMPTS", 8)


def outbound_enqueue(*, case: Case) -> list[OutboundRequest]:
    """The outbound rows for a case's live parts at endpoint units (made once, never twice)."""
    units = case.assignments.filter(state__in=LIVE_ASSIGNMENT).values("unit_id")
    rows = []
    for endpoint in Open311Endpoint.objects.filter(active=True, unit_id__in=units):
        out, _ = OutboundRequest.objects.get_or_create(case=case, endpoint=endpoint)
        rows.append(out)
    return rows


def _claim(outbound_id: int, now) -> bool:
    due = Q(state=OutState.PENDING) | Q(state=OutState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    claimed = OutboundRequest.objects.filter(due, pk=outbound_id, next_attempt_at__lte=now).update(
        state=OutState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _fields(out: OutboundRequest) -> dict:
    case, ep = out.case, out.endpoint
    code = case.category.code if case.category else ""
    mapped = ep.service_map.get(code) or ep.default_service_code or code
    if isinstance(mapped, dict):  # {"service_code": "…", "attributes": {"CODE": "answer"}}
        answers = mapped.get("attributes") or {}
        mapped = mapped.get("service_code") or code
    else:
        answers = {}
    fields = {
        "api_key": ep.api_key,
        "service_code": mapped,
        "description": case.description,
        "lat": case.lat,
        "long": case.lon,
        "address_string": case.address or case.township.name,
        "jurisdiction_id": ep.jurisdiction_id,
    }
    fields.update({f"attribute[{k}]": v for k, v in answers.items()})
    if ep.share_contact:
        fields.update(first_name=case.contact_name, phone=case.contact_phone)
    return {k: v for k, v in fields.items() if v not in (None, "")}


def _note(case_id: int, verb: str, endpoint, note: str, data: dict) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        history.record(
            case,
            verb,
            EndpointActor(endpoint),
            note=note,
            data=data,
            frm=case.status,
            to=case.status,
            unit=endpoint.unit,
        )
        audit(actor=None, verb=f"open311.{verb}", obj=case, after=data)


def _failed(out: OutboundRequest, exc: remote.RemoteError, now) -> str:
    give_up = not exc.retry or out.attempts >= max_attempts()
    state = OutState.FAILED if give_up else OutState.PENDING
    OutboundRequest.objects.filter(pk=out.pk, state=OutState.SENDING).update(
        state=state, last_error=str(exc)[:500], next_attempt_at=now + backoff(out.attempts)
    )
    if give_up:
        _note(
            out.case_id,
            "open311_failed",
            out.endpoint,
            f"推送失败：{exc}"[:500],
            {"attempts": out.attempts, "error": str(exc)[:300]},
        )
        return "failed"
    return "retry"


def _advance(case_id: int, endpoint, closed: bool, notes: str) -> None:
    """With drives_case, the remote's answer moves the case: sent = 签收, closed = 处置完成."""
    if not endpoint.drives_case:
        return
    case = Case.objects.get(pk=case_id)
    if case.lead_unit_id != endpoint.unit_id:
        return
    by = EndpointActor(endpoint)
    if case.status == Status.DISPATCHED:
        case = case_accept(case=case, by=by)
    if closed and case.status == Status.ACCEPTED:
        case_handle(case=case, by=by, result=f"外部系统已办结：{notes or '已关闭'}")


def outbound_send(*, outbound_id: int) -> str:
    """Try once: 'sent', 'queued', 'retry', 'failed', or 'skipped' (claimed elsewhere/not due)."""
    now = timezone.now()
    if not _claim(outbound_id, now):
        return "skipped"
    out = OutboundRequest.objects.select_related(
        "case", "case__category", "case__township", "endpoint", "endpoint__unit"
    ).get(pk=outbound_id)
    key = f"jiceng-{out.case.code}-{out.endpoint_id}"
    try:
        answer = remote.post_request(out.endpoint, _fields(out), key)
    except remote.RemoteError as exc:
        return _failed(out, exc, now)
    remote_id = str(answer.get("service_request_id") or "")
    token = str(answer.get("token") or "")
    state = OutState.SENT if remote_id else OutState.QUEUED
    OutboundRequest.objects.filter(pk=out.pk).update(
        state=state, remote_id=remote_id, token=token, sent_at=timezone.now(), last_error=""
    )
    shown = remote_id or f"令牌 {token}"
    _note(
        out.case_id,
        "open311_sent",
        out.endpoint,
        f"已推送至{out.endpoint.unit.name}，对方编号 {shown}",
        {"remote_id": remote_id, "token": token, "attempts": out.attempts},
    )
    _advance(out.case_id, out.endpoint, False, "")
    return state


def _resolve_token(out: OutboundRequest) -> None:
    answer = remote.get_token(out.endpoint, out.token)
    remote_id = str(answer.get("service_request_id") or "")
    if remote_id and OutboundRequest.objects.filter(pk=out.pk, state=OutState.QUEUED).update(
        state=OutState.SENT, remote_id=remote_id
    ):
        out.remote_id, out.state = remote_id, OutState.SENT
        _note(
            out.case_id,
            "open311_sent",
            out.endpoint,
            f"对方已受理，编号 {remote_id}",
            {"remote_id": remote_id, "token": out.token},
        )


def outbound_poll_one(*, outbound: OutboundRequest) -> bool:
    """Pull the remote status once; True when it changed (then it is in the case history)."""
    if outbound.state == OutState.QUEUED:
        _resolve_token(outbound)
    if outbound.state != OutState.SENT:
        return False
    answer = remote.get_request(outbound.endpoint, outbound.remote_id)
    new = {
        "remote_status": str(answer.get("status") or "")[:20],
        "remote_notes": str(answer.get("status_notes") or ""),
        "remote_updated": str(answer.get("updated_datetime") or "")[:40],
    }
    old = {k: getattr(outbound, k) for k in new}
    now = timezone.now()
    changed = new != old and OutboundRequest.objects.filter(pk=outbound.pk, **old).update(
        polled_at=now, **new
    )
    if not changed:
        OutboundRequest.objects.filter(pk=outbound.pk).update(polled_at=now)
        return False
    label = "已关闭" if new["remote_status"] == "closed" else "办理中"
    _note(
        outbound.case_id,
        "open311_remote",
        outbound.endpoint,
        f"{outbound.endpoint.unit.name}：{label}　{new['remote_notes']}"[:500],
        {"remote_id": outbound.remote_id, **new},
    )
    _advance(
        outbound.case_id, outbound.endpoint, new["remote_status"] == "closed", new["remote_notes"]
    )
    return True
