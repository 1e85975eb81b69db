"""Evidence files: kept unchanged with their SHA-256 and who captured them."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit, snapshot
from jiceng.org.models import Person

from .. import files, selectors
from ..errors import Invalid
from ..models import (
    Evidence,
    PenaltyCase,
)
from .base import (
    _actor,
    _lock,
    _record,
)

EVIDENCE_FIELDS = [
    "penalty_case_id",
    "name",
    "content_type",
    "size",
    "sha256",
    "captured_by_id",
    "captured_at",
    "device",
    "note",
    "uploaded_by_id",
]


def _check_capture(pc: PenaltyCase, captured_by: Person, captured_at: dt.datetime) -> None:
    region = captured_by.region
    if region is None or not (
        pc.township.code.startswith(region.code) or region.code.startswith(pc.township.code)
    ):
        raise Invalid(
            _("采集人%(person)s不是%(township)s或其上级的工作人员")
            % {"person": captured_by.name, "township": pc.township.name}
        )
    if captured_at > timezone.now() + dt.timedelta(minutes=5):
        raise Invalid(_("采集时间不能晚于现在"))


def evidence_add(
    *,
    penalty_case: PenaltyCase,
    upload,
    captured_by: Person,
    captured_at: dt.datetime,
    device: str = "",
    note: str = "",
    by,
) -> Evidence:
    """Keep one evidence file unchanged under MEDIA, with its SHA-256 computed here; if anything
    fails after the file is written, the transaction rolls back and the file is deleted."""
    checked = files.check(upload)
    with files.removed_on_failure() as keep, transaction.atomic():
        pc = _lock(penalty_case)
        exc = selectors.upload_refusal(pc, by)
        if exc is not None:
            raise exc
        _check_capture(pc, captured_by, captured_at)
        ev = Evidence(
            penalty_case=pc,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            captured_by=captured_by,
            captured_at=captured_at,
            device=device.strip()[:100],
            note=note.strip()[:300],
            uploaded_by=_actor(by),
        )
        ev.file.save(f"{pc.code}-{checked.sha256[:16]}", upload, save=False)
        keep(ev.file)
        ev.save()
        _record(
            pc,
            "evidence",
            by,
            frm=pc.state,
            note=f"{checked.name}（{device or '未登记设备'}）",
            data={"evidence": ev.pk, "sha256": checked.sha256},
        )
        after = snapshot(ev, EVIDENCE_FIELDS)
        after["file"] = ev.file.name
        audit(actor=_actor(by), verb="enforcement.evidence", obj=ev, after=after)
    return ev
