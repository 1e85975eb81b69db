"""The case timeline: append-only events chained by hash, one chain per case."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import CaseEvent

GENESIS = "0" * 64


def actor_label(by) -> str:
    if by is None or getattr(by, "username", "") == "system":
        return "系统"
    if getattr(by, "case_id", None):
        return "上报人"
    person = getattr(by, "person", None)
    return getattr(person, "name", "") or getattr(by, "username", "") or "系统"


def _digest(prev: str, case_id, seq, verb, actor_id, frm, to, note, data, at) -> str:
    payload = json.dumps(
        [prev, case_id, seq, verb, actor_id, frm, to, note, data, at.isoformat()],
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(case, verb: str, by, *, note="", data=None, frm="", to="", unit=None) -> CaseEvent:
    """Append one event; the caller holds the case row lock, so seq and prev_hash are stable."""
    last = CaseEvent.objects.filter(case=case).order_by("-seq").values("seq", "hash").first()
    seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
    at = timezone.now().replace(microsecond=0)
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    actor_id = by.pk if getattr(by, "is_authenticated", False) and by.pk else None
    return CaseEvent.objects.create(
        case=case,
        seq=seq,
        verb=verb,
        actor_id=actor_id,
        actor_label=actor_label(by),
        unit=unit,
        at=at,
        from_status=frm,
        to_status=to,
        note=note,
        data=data,
        prev_hash=prev,
        hash=_digest(prev, case.pk, seq, verb, actor_id, frm, to, note, data, at),
    )


def verify_case_chain(case) -> list[str]:
    """Problems in one case's chain; empty when every row is intact and in place."""
    problems, prev, expected_seq = [], GENESIS, 1
    for ev in CaseEvent.objects.filter(case=case).order_by("seq"):
        if ev.seq != expected_seq or ev.prev_hash != prev:
            problems.append(f"第{ev.seq}条之前的记录被删除或改动")
        digest = _digest(
            ev.prev_hash,
            case.pk,
            ev.seq,
            ev.verb,
            ev.actor_id,
            ev.from_status,
            ev.to_status,
            ev.note,
            ev.data,
            ev.at,
        )
        if digest != ev.hash:
            problems.append(f"第{ev.seq}条的内容被改动（哈希不符）")
        prev, expected_seq = ev.hash, ev.seq + 1
    return problems
