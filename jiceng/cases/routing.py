"""Routing: category → power → holder at the township on the date → unit, each step explained.

"部件先属主、后属地；事件先属地、后属主": a component goes first to its owning department,
an event first to the unit of the place. What cannot be routed returns a reason for triage.
"""

import datetime as dt
import importlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from jiceng.org.models import Region, Sector, Unit, UnitKind

from .models import Category

log = logging.getLogger(__name__)


@dataclass
class Route:
    unit: Unit | None = None
    power_code: str = ""
    explanation: list[str] = field(default_factory=list)
    reason: str = ""


def optional(module: str, name: str):
    """A function from an app built in parallel; None until that app provides it."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def power_codes(category: Category) -> list[str]:
    codes = list(category.power_codes or [])
    powers = getattr(category, "powers", None)
    if powers is not None:
        codes = [p.code for p in powers.all()] + codes
    return list(dict.fromkeys(codes))


def _by_holder(category: Category, township: Region, on_date: dt.date, route: Route) -> bool:
    holder = optional("jiceng.powers.selectors", "holder")
    codes = power_codes(category)
    if not codes:
        return False
    if holder is None:
        route.explanation.append("权力清单尚未启用，按类别的默认职能分拨")
        return False
    for code in codes:
        try:
            answer = holder(code, township, on_date)
        except Exception as exc:  # an unknown power item must not stop the report
            log.info("holder(%s) failed: %s", code, exc)
            route.explanation.append(f"权力事项 {code} 未在权力清单中：{exc}")
            continue
        if answer is not None and answer.unit is not None:
            route.unit, route.power_code = answer.unit, code
            route.explanation.append(
                f"权力事项 {code}：{on_date:%Y-%m-%d} 在{township.name}由{answer.unit.name}行使"
                f"（{answer.explanation}）"
            )
            return True
        route.explanation.append(f"权力事项 {code}：在{township.name}无明确行使单位")
    return False


def _sector_unit(region: Region, sector: str) -> Unit | None:
    return Unit.objects.filter(region=region, sector=sector).order_by("kind", "id").first()


def _by_sector(category: Category, township: Region, route: Route) -> bool:
    sector = category.default_sector
    if not sector or sector == Sector.GENERAL:
        return False
    label = Sector(sector).label
    county = Region.objects.filter(code=township.code[:6]).first()
    places = [(township, "属地"), (county, "主管部门")]
    rule = "事件先属地、后属主"
    if category.owner_first:
        places.reverse()
        rule = "部件先属主、后属地"
    for place, role in places:
        unit = _sector_unit(place, sector) if place else None
        if unit:
            route.unit = unit
            route.explanation.append(f"{rule}：按默认职能「{label}」由{role}单位{unit.name}处置")
            return True
    route.explanation.append(f"{township.name}及所属县区没有「{label}」职能单位")
    return False


def _by_government(township: Region, route: Route) -> bool:
    gov = Unit.objects.filter(region=township, kind=UnitKind.GOVERNMENT).first()
    if gov:
        route.unit = gov
        route.explanation.append(f"无对应职能单位，由{gov.name}统筹处置")
    return gov is not None


def route_case(category: Category | None, township: Region, on_date: dt.date) -> Route:
    route = Route()
    if category is None:
        route.reason = "类别未确定，需派遣员分拣"
        return route
    route.explanation.append(f"类别：{category.code} {category.name}")
    if _by_holder(category, township, on_date, route):
        return route
    if _by_sector(category, township, route) or _by_government(township, route):
        return route
    route.reason = f"{township.name}找不到可承办的单位，需派遣员分拣"
    return route


def sector_units(township: Region, sectors: list[str]) -> list[Unit]:
    """The township's unit for each sector (else the county's): emergency multi-unit dispatch."""
    county = Region.objects.filter(code=township.code[:6]).first()
    units = []
    for sector in sectors:
        if sector == Sector.GENERAL:
            unit = Unit.objects.filter(region=township, kind=UnitKind.GOVERNMENT).first()
        else:
            unit = _sector_unit(township, sector) or (county and _sector_unit(county, sector))
        if unit and unit not in units:
            units.append(unit)
    return units


@dataclass
class Classified:
    category: Category | None
    prediction: dict


def categories_for_labels(labels: list[str]) -> dict[str, Category]:
    """The active leaf category each classifier label names, by code first, then by name."""
    leaves = Category.objects.filter(active=True).exclude(kind="group")
    by_code: dict[str, Category] = {}
    by_name: dict[str, Category] = {}
    for c in leaves.filter(Q(code__in=labels) | Q(name__in=labels)).order_by("code"):
        by_code[c.code] = c
        by_name.setdefault(c.name, c)
    found = {label: by_code.get(label) or by_name.get(label) for label in labels}
    return {label: c for label, c in found.items() if c is not None}


def classify(text: str) -> Classified:
    """The classifier's guess; a category only when it names one and is confident enough.

    The prediction keeps the top three suggestions, each with the category it maps to and the
    characters that drove it, for the dispatcher's queue.
    """
    predict = optional("jiceng.dispatch.predict", "predict")
    if predict is None:
        return Classified(None, {})
    try:
        pred = predict(text)
    except Exception as exc:  # a broken model sends the case to the queue, never loses it
        log.warning("classifier failed: %s", exc)
        return Classified(None, {"error": str(exc)})
    if pred is None:
        return Classified(None, {})
    label, confidence = str(pred.category), float(pred.confidence)
    top = (pred.suggestions or [])[:3]
    mapped = categories_for_labels([str(s.label) for s in top] + [label])
    suggestions = []
    for s in top:
        c = mapped.get(str(s.label))
        suggestions.append(
            {
                "label": str(s.label),
                "p": round(float(s.probability), 4),
                "drivers": [str(d) for d in s.drivers],
                "category": c.code if c else "",
                "category_name": c.name if c else "",
            }
        )
    cat = mapped.get(label)
    info = {
        "label": label,
        "confidence": round(confidence, 4),
        "model": pred.model_id,
        "suggestions": suggestions,
    }
    if pred.notice:
        info["notice"] = pred.notice  # e.g. only the first 2,000 characters were read
    threshold = getattr(settings, "JICENG_AUTO_DISPATCH_THRESHOLD", 0.8)
    if cat and cat.is_leaf and confidence >= threshold:
        return Classified(cat, info)
    return Classified(None, info)
