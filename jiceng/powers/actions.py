"""Writes to the power and responsibility lists, delegations and readiness: atomic and audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core.audit import audit, snapshot
from jiceng.org.models import Level, Region, Unit
from jiceng.workload.actions import task_open, tasks_finish_by_source
from jiceng.workload.models import TaskKind, TaskState

from .access import can_edit_readiness, require_region
from .index import powers_changed
from .models import (
    Delegation,
    DelegationMode,
    ItemVersion,
    PowerItem,
    Readiness,
    ReadinessStatus,
    ResponsibilityItem,
    VersionKind,
)

POWER_FIELDS = [
    "code",
    "name",
    "power_type",
    "legal_basis",
    "default_level",
    "default_sector",
    "department",
    "owner_id",
    "status",
]
RESPONSIBILITY_FIELDS = ["name", "level", "region_id", "accountability", "status"]


def _user(by):
    return by if getattr(by, "pk", None) and getattr(by, "is_authenticated", False) else None


def power_data(item: PowerItem) -> dict:
    return snapshot(item, POWER_FIELDS)


def responsibility_data(item: ResponsibilityItem) -> dict:
    data = snapshot(item, RESPONSIBILITY_FIELDS)
    data["powers"] = sorted(item.powers.values_list("code", flat=True))
    return data


def version_row(kind: str, item, data: dict, by, reason: str, at=None) -> ItemVersion:
    return ItemVersion(
        kind=kind,
        item_id=item.pk,
        version=item.version,
        data=data,
        changed_by=_user(by),
        changed_at=at or timezone.now(),
        reason=reason[:300],
    )


# ---- power items -----------------------------------------------------------------------------


def power_create(*, by, reason: str = "新增", owner: Region | None = None, **fields) -> PowerItem:
    require_region(by, owner)
    with transaction.atomic():
        item = PowerItem(owner=owner, **fields)
        item.full_clean()
        item.save()
        version_row(VersionKind.POWER, item, power_data(item), by, reason).save()
        audit(actor=by, verb="powers.power.create", obj=item, after=power_data(item))
        powers_changed()
    return item


def power_update(*, item: PowerItem, by, reason: str, **changes) -> PowerItem:
    """Change fields of a power item; a real change becomes a new version, no change does nothing."""
    require_region(by, item.owner)
    if not reason.strip():
        raise ValidationError("请填写修改原因 / a reason is required")
    with transaction.atomic():
        item = PowerItem.objects.select_for_update().get(pk=item.pk)
        before = power_data(item)
        for name, value in changes.items():
            setattr(item, name, value)
        if power_data(item) == before:
            return item
        item.version += 1
        item.updated_at = timezone.now()
        item.full_clean()
        item.save()
        version_row(VersionKind.POWER, item, power_data(item), by, reason).save()
        audit(actor=by, verb="powers.power.update", obj=item, before=before, after=power_data(item))
        powers_changed()
    return item


# ---- responsibility items --------------------------------------------------------------------


def responsibility_save(
    *,
    by,
    name: str,
    region: Region,
    powers: list[PowerItem],
    accountability: str = "",
    level: str = Level.TOWNSHIP,
    reason: str = "新增或修改",
    demo: bool = False,
) -> ResponsibilityItem:
    """Create or change one responsibility item (keyed by region, level, name), versioned."""
    require_region(by, region)
    with transaction.atomic():
        item, created = ResponsibilityItem.objects.get_or_create(
            region=region,
            level=level,
            name=name,
            defaults={"accountability": accountability, "demo": demo},
        )
        before = None if created else responsibility_data(item)
        item.accountability = accountability
        item.full_clean()
        item.save()
        item.powers.set(powers)
        after = responsibility_data(item)
        if after == before:
            return item
        if not created:
            item.version += 1
            item.updated_at = timezone.now()
            item.save(update_fields=["version", "updated_at"])
        version_row(VersionKind.RESPONSIBILITY, item, after, by, reason).save()
        audit(actor=by, verb="powers.responsibility.save", obj=item, before=before, after=after)
    return item


# ---- delegations -----------------------------------------------------------------------------


def overlapping(
    power_id: int, target_code: str, start: dt.date, end: dt.date | None, exclude: int | None = None
) -> Delegation | None:
    """An existing delegation of the power whose area and dates meet this one's."""
    areas = Q(target__code__in=[target_code[:n] for n in range(2, len(target_code) + 1)]) | Q(
        target__code__startswith=target_code
    )
    qs = Delegation.objects.filter(areas, power_id=power_id).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=start)
    )
    if end is not None:
        qs = qs.filter(effective_from__lt=end)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.select_related("target").first()


def conflict_message(other: Delegation) -> str:
    until = other.effective_to.isoformat() if other.effective_to else "长期"
    return (
        f"与已有下放冲突：{other.document}（{other.target.name} {other.target.code}，"
        f"{other.effective_from.isoformat()}～{until}）"
    )


def _check_target(target: Region) -> None:
    if target.level not in (Level.TOWNSHIP, Level.COUNTY, Level.CITY):
        raise ValidationError(
            f"承接区域 {target.code} 应为乡镇街道，或代表其全部乡镇街道的县区、市"
        )


def delegation_create(
    *,
    by,
    power: PowerItem,
    target: Region,
    effective_from: dt.date,
    document: str,
    effective_to: dt.date | None = None,
    mode: str = DelegationMode.DIRECT,
    from_unit: Unit | None = None,
    to_sector: str = "",
    demo: bool = False,
) -> Delegation:
    """Hand a power to a township (or every township of a county/city); overlaps are refused."""
    require_region(by, target)
    _check_target(target)
    if not document.strip():
        raise ValidationError("请填写下放文号 / the document number is required")
    if effective_to is not None and effective_to <= effective_from:
        raise ValidationError("失效日期应晚于生效日期")
    with transaction.atomic():
        other = overlapping(power.pk, target.code, effective_from, effective_to)
        if other is not None:
            raise ValidationError(conflict_message(other))
        delegation = Delegation.objects.create(
            power=power,
            target=target,
            effective_from=effective_from,
            effective_to=effective_to,
            document=document.strip(),
            mode=mode,
            from_level=power.default_level,
            from_unit=from_unit,
            to_sector=to_sector,
            demo=demo,
        )
        audit(actor=by, verb="powers.delegation.create", obj=delegation, after=snapshot(delegation))
        powers_changed()
    return delegation


def delegation_revoke(
    *, delegation: Delegation, by, end: dt.date, document: str = "", reason: str = ""
) -> Delegation:
    """End a delegation on `end` (the first day it no longer applies); nothing is deleted."""
    require_region(by, delegation.target)
    if not (document.strip() or reason.strip()):
        raise ValidationError("请填写撤销文号或原因")
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if end <= delegation.effective_from:
            raise ValidationError(f"撤销日期应晚于生效日期 {delegation.effective_from.isoformat()}")
        if delegation.effective_to is not None and end >= delegation.effective_to:
            raise ValidationError(f"该下放已于 {delegation.effective_to.isoformat()} 失效")
        before = snapshot(delegation)
        delegation.effective_to = end
        delegation.revoked_at = timezone.now()
        delegation.revoke_document = document.strip()
        delegation.revoke_reason = reason.strip()[:300]
        delegation.save()
        audit(
            actor=by,
            verb="powers.delegation.revoke",
            obj=delegation,
            before=before,
            after=snapshot(delegation),
        )
        powers_changed()
    return delegation


# ---- 接得住 readiness ------------------------------------------------------------------------


def _delegating_unit(delegation: Delegation, township: Region) -> Unit | None:
    if delegation.from_unit_id:
        return delegation.from_unit
    power = delegation.power
    from .index import get_index

    return get_index().unit(township.code[:6], power.default_sector)


def readiness_set(
    *,
    by,
    township: Region,
    delegation: Delegation,
    status: str,
    trained_staff: int = 0,
    certified_officers: int = 0,
    equipment_ok: bool = False,
    note: str = "",
) -> Readiness:
    """A township says whether it can carry a delegated power; 接不住 asks the department for help."""
    if not can_edit_readiness(by, township):
        raise PermissionError("只有本乡镇街道的工作人员可以填报承接能力")
    if not township.code.startswith(delegation.target.code) or township.level != Level.TOWNSHIP:
        raise ValidationError("该事项未下放至本乡镇街道")
    if status not in ReadinessStatus.values:
        raise ValidationError(f"未知的承接状态：{status}")
    if status != ReadinessStatus.READY and not note.strip():
        raise ValidationError("需要支持或接不住时，请在说明中写明缺什么")
    with transaction.atomic():
        row = Readiness.objects.filter(region=township, power=delegation.power).first()
        before = snapshot(row) if row else None
        row = row or Readiness(region=township, power=delegation.power)
        row.delegation = delegation
        row.status, row.note = status, note.strip()
        row.trained_staff, row.certified_officers = trained_staff, certified_officers
        row.equipment_ok = equipment_ok
        row.updated_by, row.updated_at = _user(by), timezone.now()
        row.full_clean()
        row.save()
        audit(actor=by, verb="powers.readiness.set", obj=row, before=before, after=snapshot(row))
        _readiness_task(row, township, delegation, by)
    return row


def _readiness_task(row: Readiness, township: Region, delegation: Delegation, by) -> None:
    key = f"powers:readiness:{township.code}:{row.power.code}"
    if row.status != ReadinessStatus.CANNOT_CARRY:
        tasks_finish_by_source(
            source_key=key, by=by, state=TaskState.DONE, reason="乡镇已更新承接状态"
        )
        return
    unit = _delegating_unit(delegation, township)
    if unit is None:
        return
    task_open(
        kind=TaskKind.READINESS,
        subject=f"{township.name}接不住：{row.power.name}",
        body=row.note,
        region=township,
        by=by,
        assignee_unit=unit,
        link=f"/powers/readiness/board/?region={township.code}",
        source_key=key,
        details={"power": row.power.code, "township": township.code, "note": row.note},
    )
