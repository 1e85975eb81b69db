"""Reads: who holds a power where and when (`holder`), the list a township holds, 有责无权 gaps."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jiceng.org.models import CODE_LENGTH, Level, Region, Sector, Unit, code_prefixes, township_code

from .index import DelegationRow, PowerIndex, get_index
from .models import Delegation, ItemStatus, ItemVersion, PowerItem, ResponsibilityItem

LEVEL_LABEL = dict(Level.choices)
# Code length by level value (CODE_LENGTH is keyed by the enum; model fields hold plain str).
LENGTH: dict[str, int] = {str(level): n for level, n in CODE_LENGTH.items()}
SECTOR_LABEL = dict(Sector.choices)


class UnknownPower(LookupError):
    def __init__(self, code: str):
        super().__init__(f"未知的权力事项编码：{code} / unknown power code")
        self.code = code


@dataclass(frozen=True)
class HolderAnswer:
    power_code: str
    unit: Unit | None  # the unit holding the power there on that date (None if none registered)
    level: str  # org Level of the holder: "township", "county", ...
    region: Region  # the region whose unit holds it (the township, or the county)
    delegation: Delegation | None
    explanation: str  # one line in Chinese


def _find(rows: list[DelegationRow], township: str, day: dt.date):
    """(in force today, latest future one, latest ended one) among rows covering the township."""
    current = upcoming = ended = None
    for row in rows:
        if not row.covers(township):
            continue
        if row.in_force(day):
            current = row
        elif row.effective_from > day:
            upcoming = upcoming or row
        else:
            ended = row
    return current, upcoming, ended


def _holder_name(unit: Unit | None, region: Region | None, sector: str, code: str) -> str:
    if unit is not None:
        return unit.name
    where = region.name if region else code
    return f"{where}（未登记{SECTOR_LABEL.get(sector, sector)}单位）"


def _default(index: PowerIndex, power: PowerItem, region: Region, why: str) -> HolderAnswer:
    code = region.code[: LENGTH.get(power.default_level, len(region.code))]
    home = index.region(code) or region
    unit = index.unit(home.code, power.default_sector)
    name = _holder_name(unit, home, power.default_sector, code)
    level_label = LEVEL_LABEL.get(power.default_level, power.default_level)
    text = f"{why}，由{name}行使（原实施层级：{level_label}）"
    return HolderAnswer(power.code, unit, power.default_level, home, None, text)


def _delegated(index: PowerIndex, power: PowerItem, row: DelegationRow, township: Region):
    sector = row.to_sector or power.default_sector
    unit = index.unit(township.code, sector)
    name = _holder_name(unit, township, sector, township.code)
    delegation = index.delegation(row.id)
    how = "由"
    if row.mode == "entrust":
        how = f"受{delegation.from_unit.name if delegation.from_unit else '原实施部门'}委托由"
    until = f"（{row.effective_to.isoformat()}起失效）" if row.effective_to else ""
    text = f"依据{row.document}，自{row.effective_from.isoformat()}起{how}{name}行使{until}"
    return HolderAnswer(power.code, unit, Level.TOWNSHIP, township, delegation, text)


def holder(power: "PowerItem | str", region: "Region | str", on_date: dt.date) -> HolderAnswer:
    """The one place that decides who holds `power` at `region` on `on_date`, and why."""
    index = get_index()
    code = power if isinstance(power, str) else power.code
    item = index.powers.get(code)
    if item is None:
        raise UnknownPower(code)
    if isinstance(region, str):
        region = index.region(region) or _unknown_region(region)
    tcode = township_code(region.code)
    if tcode is None:
        return _default(index, item, region, f"{region.name}不是乡镇街道及以下区域")
    township = index.region(tcode) or region
    rows = index.delegations.get(item.id, [])
    current, upcoming, ended = _find(rows, tcode, on_date)
    if current is not None:
        return _delegated(index, item, current, township)
    if upcoming is not None and ended is None:
        why = f"{upcoming.document}自{upcoming.effective_from.isoformat()}起才生效，此前未下放"
    elif ended is not None:
        what = "已撤销" if ended.revoked else "已到期"
        why = f"{ended.document}自{ended.effective_to.isoformat()}起失效（{what}）"
    else:
        why = f"未下放至{township.name}"
    return _default(index, item, region, why)


def _unknown_region(code: str) -> Region:
    raise Region.DoesNotExist(f"未知的区域代码：{code} / unknown region code")


# ---- the list a township holds -------------------------------------------------------------


def powers_held(region: Region, on_date: dt.date) -> list[tuple[PowerItem, HolderAnswer]]:
    """Powers a township (or anything inside it) holds itself on a date, with the answer."""
    tcode = township_code(region.code)
    if tcode is None:
        return []
    index = get_index()
    candidates, rows = [], []
    for item in index.powers.values():
        if item.status != ItemStatus.ACTIVE:
            continue
        mine = [r for r in index.delegations.get(item.id, []) if r.covers(tcode)]
        if mine or item.default_level == Level.TOWNSHIP:
            candidates.append(item)
            rows += [r.id for r in mine if r.in_force(on_date)]
    index.prime(rows)
    held = []
    for item in candidates:
        answer = holder(item, region, on_date)
        if answer.level == Level.TOWNSHIP:
            held.append((item, answer))
    held.sort(key=lambda pair: pair[0].code)
    return held


def filter_held(held, power_type: str = "", keyword: str = ""):
    keyword = keyword.strip()
    return [
        (item, answer)
        for item, answer in held
        if (not power_type or item.power_type == power_type)
        and (not keyword or keyword in item.name or keyword in item.code)
    ]


def delegations_to(region: Region, on_date: dt.date) -> QuerySet[Delegation]:
    """Delegations covering a township on a date (target is it or an ancestor)."""
    tcode = township_code(region.code) or region.code
    prefixes = code_prefixes(tcode)
    return (
        Delegation.objects.filter(target__code__in=prefixes, effective_from__lte=on_date)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on_date))
        .select_related("power", "target", "from_unit")
    )


def versions_of(kind: str, item_id: int) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(kind=kind, item_id=item_id).select_related("changed_by")


# ---- 有责无权 / 有权无责 ---------------------------------------------------------------------


@dataclass
class Gap:
    kind: str  # "no_power" (有责无权) or "no_responsibility" (有权无责)
    responsibility: ResponsibilityItem | None
    power: PowerItem
    answer: HolderAnswer

    @property
    def kind_label(self) -> str:
        return "有责无权" if self.kind == "no_power" else "有权无责"


def responsibilities_for(region: Region) -> QuerySet[ResponsibilityItem]:
    """Township-level responsibilities that apply to a township (its own or an ancestor's)."""
    tcode = township_code(region.code) or region.code
    prefixes = code_prefixes(tcode)
    return (
        ResponsibilityItem.objects.filter(
            region__code__in=prefixes, level=Level.TOWNSHIP, status=ItemStatus.ACTIVE
        )
        .prefetch_related("powers")
        .order_by("name")
    )


def gaps(region: Region, on_date: dt.date) -> list[Gap]:
    """Responsibilities needing a power the township does not hold, and powers with no duty."""
    found: list[Gap] = []
    needed: set[str] = set()
    for resp in responsibilities_for(region):
        for power in resp.powers.all():
            needed.add(power.code)
            answer = holder(power, region, on_date)
            if answer.level != Level.TOWNSHIP:
                found.append(Gap("no_power", resp, power, answer))
    for item, answer in powers_held(region, on_date):
        if item.code not in needed:
            found.append(Gap("no_responsibility", None, item, answer))
    return found


def plain_orm_holder(code: str, region_code: str, on_date: dt.date) -> Unit | None:
    """The same answer with plain ORM queries and no cache: the benchmark's baseline."""
    power = PowerItem.objects.get(code=code)
    township = region_code[:9]
    delegation = (
        Delegation.objects.filter(power=power, target__code__in=code_prefixes(township))
        .filter(effective_from__lte=on_date)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on_date))
        .first()
    )
    if delegation:
        sector = delegation.to_sector or power.default_sector
        return Unit.objects.filter(region__code=township, sector=sector).order_by("kind").first()
    home = region_code[: LENGTH[power.default_level]]
    return (
        Unit.objects.filter(region__code=home, sector=power.default_sector).order_by("kind").first()
    )
