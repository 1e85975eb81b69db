"""API of the powers app: holder, the list a township holds, gaps, delegations, readiness."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from jiceng.org.models import Region
from jiceng.org.scope import get_scoped_or_404
from jiceng.org.selectors import region_get_for

from . import actions, schemas, selectors
from .importer import import_powers
from .models import Delegation, PowerItem, VersionKind

router = Router(tags=["powers 权责清单"])


def parse_day(raw: str | None) -> dt.date:
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise HttpError(400, f"日期格式错误：{raw}，应为 YYYY-MM-DD") from exc


def public_region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(f"未知的区域代码：{code}")
    return region


def _invalid(exc: ValidationError) -> HttpError:
    return HttpError(400, "；".join(exc.messages))


@router.get("/holder", response=schemas.HolderOut, auth=None)
def holder(request, power: str, region: str, on: str | None = None):
    """Who holds power `power` at region `region` on date `on` (default today), and why."""
    try:
        answer = selectors.holder(power, public_region(region), parse_day(on))
    except selectors.UnknownPower as exc:
        raise Http404(str(exc)) from exc
    return schemas.holder_dict(answer)


@router.get("/held", response=list[schemas.HeldOut], auth=None)
def held(request, region: str, on: str | None = None, type: str = "", q: str = ""):
    """权责清单公开: the powers a township or street holds on a date."""
    found = selectors.powers_held(public_region(region), parse_day(on))
    return [
        {"power": schemas.power_dict(item), "holder": schemas.holder_dict(answer)}
        for item, answer in selectors.filter_held(found, type, q)
    ]


@router.get("/items/{code}", auth=None)
def item(request, code: str):
    power = PowerItem.objects.filter(code=code).first()
    if power is None:
        raise Http404(f"未知的权力事项编码：{code}")
    versions = selectors.versions_of(VersionKind.POWER, power.pk)
    return {
        **schemas.power_dict(power),
        "versions": [
            {
                "version": v.version,
                "data": v.data,
                "changed_by": v.changed_by.username if v.changed_by else None,
                "changed_at": v.changed_at.isoformat(),
                "reason": v.reason,
            }
            for v in versions
        ],
    }


@router.get("/gaps", response=list[schemas.GapOut])
def gaps(request, region: str, on: str | None = None):
    """有责无权 / 有权无责 for a township in the caller's scope."""
    place = region_get_for(request.user, region)
    return [
        {
            "kind": g.kind,
            "kind_label": g.kind_label,
            "responsibility": g.responsibility.name if g.responsibility else None,
            "power": g.power.code,
            "power_name": g.power.name,
            "explanation": g.answer.explanation,
        }
        for g in selectors.gaps(place, parse_day(on))
    ]


@router.post("/delegations", response={201: schemas.DelegationRef})
def delegation_create(request, payload: schemas.DelegationIn):
    power = PowerItem.objects.filter(code=payload.power).first()
    target = Region.objects.filter(code=payload.target).first()
    if power is None or target is None:
        raise HttpError(400, "未知的事项编码或区域代码")
    end = parse_day(payload.effective_to) if payload.effective_to else None
    try:
        d = actions.delegation_create(
            by=request.user,
            power=power,
            target=target,
            effective_from=parse_day(payload.effective_from),
            effective_to=end,
            document=payload.document,
            mode=payload.mode,
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, _delegation_ref(d))


@router.post("/delegations/{pk}/revoke", response=schemas.DelegationRef)
def delegation_revoke(request, pk: int, payload: schemas.RevokeIn):
    d = get_scoped_or_404(
        Delegation.objects.select_related("target"), request.user, "target", pk=pk
    )
    try:
        d = actions.delegation_revoke(
            delegation=d,
            by=request.user,
            end=parse_day(payload.end),
            document=payload.document,
            reason=payload.reason,
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return _delegation_ref(d)


def _delegation_ref(d: Delegation) -> dict:
    return {
        "id": d.pk,
        "document": d.document,
        "mode": d.mode,
        "effective_from": d.effective_from.isoformat(),
        "effective_to": d.effective_to.isoformat() if d.effective_to else None,
        "target": d.target.code,
    }


@router.post("/readiness", response=schemas.ReadinessOut)
def readiness_set(request, payload: schemas.ReadinessIn):
    """A township records whether it can carry a power delegated to it (接得住)."""
    township = region_get_for(request.user, payload.township)
    delegation = (
        selectors.delegations_to(township, dt.date.today())
        .filter(power__code=payload.power)
        .first()
    )
    if delegation is None:
        raise HttpError(400, f"事项 {payload.power} 当前未下放至{township.name}")
    try:
        row = actions.readiness_set(
            by=request.user,
            township=township,
            delegation=delegation,
            **payload.dict(exclude={"township", "power"}),
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return {**payload.dict(), "status": row.status}


@router.post("/import", response={200: dict, 400: dict})
def import_file(request, file: UploadedFile = File(...), dry_run: bool = False):  # noqa: B008
    """Import an xlsx/csv power list: all or nothing; problems name row and column."""
    from .access import can_edit_lists

    if not can_edit_lists(request.user):
        raise PermissionError("仅县区管理员或平台管理员可以导入权责清单")
    result = import_powers(
        file.read(), file.name or "upload.xlsx", by=request.user, dry_run=dry_run
    )
    body = {
        "ok": result.ok,
        "summary": result.summary(),
        "counts": result.counts,
        "problems": [
            {
                "row": p.row,
                "column": p.column,
                "header": p.header,
                "reason": p.reason,
                "text": str(p),
            }
            for p in result.problems
        ],
    }
    return Status(200 if result.ok else 400, body)
