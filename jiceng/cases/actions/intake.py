"""Intake: four channels, one pipeline — validate, locate, classify, route, find duplicates, write.

Everything is checked before the first write, so a refused report leaves nothing behind.
"""

import datetime as dt
import hashlib
import json
import math
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core.audit import audit
from jiceng.org.geo import locate
from jiceng.org.models import Level, Region

from .. import history
from ..clock import due_and_warn, start_step
from ..errors import Conflict, Invalid
from ..files import Prepared, check_count
from ..guards import SYSTEM
from ..models import OPEN_STATUSES, Attachment, Case, Category, CategoryKind, Source, Stage
from ..routing import classify, route_case
from ._common import audit_actor

STAFF_SOURCES = {Source.PATROL, Source.SENSOR}


def max_text() -> int:
    return getattr(settings, "JICENG_CASE_MAX_TEXT", 2000)


@dataclass
class Report:
    """What a reporter (or a grid worker, an operator, a machine) sends."""

    description: str
    source: str = Source.CITIZEN
    lon: float | None = None
    lat: float | None = None
    address: str = ""
    category_code: str = ""
    township_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    occurred_at: dt.datetime | None = None
    files: list[Prepared] = field(default_factory=list)
    idempotency_key: str = ""
    _fingerprint: str = ""

    def fingerprint(self) -> str:
        """The request as sent (before defaults are filled in), to recognise a true resend."""
        if self._fingerprint:
            return self._fingerprint
        body = [
            self.description,
            self.source,
            self.lon,
            self.lat,
            self.address,
            self.category_code,
            str(self.occurred_at or ""),
            [f.original_sha256 for f in self.files],
        ]
        self._fingerprint = hashlib.sha256(
            json.dumps(body, ensure_ascii=False).encode()
        ).hexdigest()
        return self._fingerprint


@dataclass
class Placed:
    region: Region
    township: Region
    explanation: str


def _place(report: Report) -> Placed:
    lon, lat = report.lon, report.lat
    if (lon is None) != (lat is None):
        raise Invalid("经度和纬度须同时提供")
    from_photo = False
    if lon is None:
        # gps_of gives both coordinates or neither
        photo = next((f for f in report.files if f.exif_lon is not None), None)
        if photo:
            lon, lat, from_photo = photo.exif_lon, photo.exif_lat, True
            report.lon, report.lat = lon, lat
    if lon is not None and lat is not None:
        found = locate(float(lon), float(lat))
        if not found.inside:
            raise Invalid(found.message)
        grid, township = found.grid, found.township
        if grid is None or township is None:  # inside means a grid with its whole chain
            raise Invalid("该位置所在网格没有所属乡镇街道 / the grid has no township")
        how = "照片中的拍摄位置" if from_photo else "上报坐标"
        chain = " › ".join(r.name for r in (township, found.community, grid) if r)
        return Placed(grid, township, f"定位：按{how}落在 {chain}")
    township = Region.objects.filter(code=report.township_code, level=Level.TOWNSHIP).first()
    if township is None:
        raise Invalid("请在地图上点选位置、允许获取定位，或选择所在乡镇街道")
    return Placed(township, township, f"定位：未提供坐标，按所选乡镇街道 {township.name}")


def _category(report: Report) -> Category | None:
    if not report.category_code:
        return None
    cat = Category.objects.filter(code=report.category_code.strip(), active=True).first()
    if cat is None or not cat.is_leaf:
        raise Invalid(f"未知的类别代码「{report.category_code}」/ unknown category")
    return cat


def _validate(report: Report):
    text = (report.description or "").strip()
    if not text:
        raise Invalid("请描述发生了什么")
    if len(text) > max_text():
        raise Invalid(f"描述不能超过 {max_text()} 字（现有 {len(text)} 字）")
    if report.source not in Source.values:
        raise Invalid(f"未知的来源「{report.source}」")
    check_count(report.files)
    now = timezone.now()
    occurred = report.occurred_at or now
    if occurred > now + dt.timedelta(minutes=5):
        raise Invalid("发生时间不能晚于现在")
    report.description, report.occurred_at = text, occurred
    return _category(report)


def distance_m(lon1, lat1, lon2, lat2) -> float:
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def duplicate_candidates(category, lon, lat, at, exclude_id=None) -> list[int]:
    """Open cases of the same category within the radius and window (settings)."""
    if category is None or lon is None:
        return []
    radius = getattr(settings, "JICENG_DUPLICATE_RADIUS_M", 100)
    hours = getattr(settings, "JICENG_DUPLICATE_WINDOW_HOURS", 72)
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    near = Case.objects.filter(
        category=category,
        status__in=OPEN_STATUSES,
        reported_at__gte=at - dt.timedelta(hours=hours),
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    ).exclude(pk=exclude_id)
    rows = near.values_list("id", "lon", "lat")[:50]
    return [pk for pk, x, y in rows if distance_m(lon, lat, x, y) <= radius]


def _new_code(now) -> str:
    return f"{timezone.localtime(now):%y%m%d}{secrets.randbelow(10**6):06d}"


def _create(report: Report, category, placed: Placed, by) -> Case:
    now = timezone.now()
    occurred = report.occurred_at
    if occurred is None:  # _validate fills it in
        raise Invalid("请填写发生时间")
    classified = classify(report.description) if category is None else None
    category_source = "reporter" if category else ""
    if classified and classified.category:
        category, category_source = classified.category, "classifier"
    route = route_case(category, placed.township, timezone.localtime(occurred).date())
    dups = duplicate_candidates(category, report.lon, report.lat, now)
    case = Case(
        code=_new_code(now),
        secret_salt=secrets.token_hex(8),
        source=report.source,
        priority=category.priority if category else 3,
        description=report.description,
        address=report.address[:200],
        lon=report.lon,
        lat=report.lat,
        region=placed.region,
        township=placed.township,
        category=category,
        category_source=category_source,
        prediction=classified.prediction if classified else {},
        route_unit=route.unit,
        route_power=route.power_code,
        route_explanation=[placed.explanation, *route.explanation],
        triage_reason=route.reason,
        duplicate_candidates=dups,
        reporter=by if getattr(by, "is_authenticated", False) and by.pk else None,
        contact_name=report.contact_name[:50],
        contact_phone=report.contact_phone[:30],
        occurred_at=occurred,
        reported_at=now,
        idempotency_key=report.idempotency_key or None,
        idempotency_fingerprint=report.fingerprint() if report.idempotency_key else "",
    )
    amount, unit = (
        (category.dispatch_limit, category.dispatch_unit) if category else (30, "minutes")
    )
    start_step(case, "dispatch", now, due_and_warn(now, amount, unit)[0])
    for _ in range(5):
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            if (
                report.idempotency_key
                and Case.objects.filter(idempotency_key=report.idempotency_key).exists()
            ):
                raise
            case.code = _new_code(now)
    return case


def _attach(case: Case, files: list[Prepared], stage: str, by) -> list[Attachment]:
    out = []
    for f in files:
        att = Attachment(
            case=case,
            stage=stage,
            name=f.name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
            original_sha256=f.original_sha256,
            exif_lon=f.exif_lon,
            exif_lat=f.exif_lat,
            captured_by=by if getattr(by, "is_authenticated", False) and by.pk else None,
            device=f.device,
        )
        att.file.save(f"{case.code}-{f.sha256[:12]}", ContentFile(f.content), save=False)
        att.save()
        out.append(att)
    return out


def _replay(report: Report) -> Case | None:
    if not report.idempotency_key:
        return None
    if len(report.idempotency_key) > 100:
        raise Invalid("Idempotency-Key 不能超过 100 个字符")
    existing = Case.objects.filter(idempotency_key=report.idempotency_key).first()
    if existing and existing.idempotency_fingerprint != report.fingerprint():
        raise Conflict("该 Idempotency-Key 已用于另一份不同的上报 / key reused with another body")
    return existing


def should_auto_dispatch(case: Case) -> bool:
    """Patrol findings, emergencies and confident classifications go straight to the unit."""
    cat = case.category
    if cat is None or case.route_unit_id is None:  # not routed: a dispatcher sorts it out
        return False
    if case.triage_reason or case.duplicate_candidates:
        return False
    if cat.kind == CategoryKind.EMERGENCY or case.source in STAFF_SOURCES:
        return True
    return case.category_source == "classifier" and not cat.needs_site_check


def case_report(*, report: Report, by) -> tuple[Case, bool]:
    """Take in one report; returns (case, created). A replayed Idempotency-Key returns the first."""
    report.fingerprint()
    existing = _replay(report)
    if existing:
        return existing, False
    category = _validate(report)
    placed = _place(report)
    try:
        with transaction.atomic():
            case = _create(report, category, placed, by)
            _attach(case, report.files, Stage.REPORT, by)
            data = {"source": case.source, "route": case.route_explanation}
            history.record(
                case, "report", by, note=case.description[:200], data=data, to=case.status
            )
            audit(
                actor=audit_actor(by),
                verb="cases.report",
                obj=case,
                after={"code": case.code, "source": case.source, "category": case.category_id},
            )
            if should_auto_dispatch(case):
                from .flow import case_dispatch, case_register

                case_register(case=case, by=SYSTEM, note="巡查发现或紧急事件，自动立案")
                case_dispatch(case=case, by=SYSTEM)
                case.refresh_from_db()
    except IntegrityError:
        existing = _replay(report)  # the same key arrived twice at once: the first one wins
        if existing:
            return existing, False
        raise
    return case, True
