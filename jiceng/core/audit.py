"""Append to and verify the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent, AuditHead


def _canonical(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _digest(prev_hash: str, *, actor_id, verb, object_type, object_id, before, after, at) -> str:
    payload = json.dumps(
        [prev_hash, actor_id, verb, object_type, str(object_id), before, after, at.isoformat()],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of one row, for before/after."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return _canonical({name: getattr(obj, name) for name in names})


def audit(
    *,
    actor,
    verb: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one audit row; must run inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor_id = getattr(actor, "pk", None)
    at = timezone.now()
    before, after = _canonical(before), _canonical(after)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        digest = _digest(
            head.last_hash,
            actor_id=actor_id,
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            at=at,
        )
        event = AuditEvent.objects.create(
            actor_id=actor_id,
            verb=verb,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=str(obj)[:200] if obj is not None else "",
            before=before,
            after=after,
            at=at,
            prev_hash=head.last_hash,
            hash=digest,
        )
        AuditHead.objects.filter(pk=1).update(last_hash=digest, count=head.count + 1)
    return event


@dataclass
class ChainProblem:
    event_id: int | None
    message: str


def verify_chain() -> list[ChainProblem]:
    """Every edited, inserted, reordered or deleted row shows up as a problem."""
    problems: list[ChainProblem] = []
    prev, count = "0" * 64, 0
    for ev in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if ev.prev_hash != prev:
            problems.append(
                ChainProblem(ev.id, f"第{ev.id}条的前一哈希不符：前面的记录被删除或改动")
            )
        expected = _digest(
            ev.prev_hash,
            actor_id=ev.actor_id,
            verb=ev.verb,
            object_type=ev.object_type,
            object_id=ev.object_id,
            before=ev.before,
            after=ev.after,
            at=ev.at,
        )
        if expected != ev.hash:
            problems.append(ChainProblem(ev.id, f"第{ev.id}条的内容被改动（哈希不符）"))
        prev = ev.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.last_hash != prev or head.count != count):
        problems.append(
            ChainProblem(None, f"链尾不符：应有{head.count}条，现有{count}条；末尾的记录被删除")
        )
    return problems
