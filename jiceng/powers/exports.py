"""Rows for the spreadsheets: the whole catalogue, or the list a region holds on a date."""

import datetime as dt

from jiceng.org.models import Level, Region, Sector

from .models import DelegationMode, PowerItem, PowerType
from .selectors import Gap, filter_held, powers_held, responsibilities_for

TYPE_LABEL = dict(PowerType.choices)
LEVEL_LABEL = {k: str(v) for k, v in Level.choices}
SECTOR_LABEL = {k: str(v) for k, v in Sector.choices}
MODE_LABEL = dict(DelegationMode.choices)


def _item_cells(item: PowerItem) -> list:
    return [
        item.code,
        item.name,
        TYPE_LABEL.get(item.power_type, item.power_type),
        item.legal_basis,
        LEVEL_LABEL.get(item.default_level, item.default_level),
        SECTOR_LABEL.get(item.default_sector, item.default_sector),
        item.department,
    ]


def catalogue_rows() -> list[list]:
    """Every power item, without delegations (one row per code, re-importable)."""
    return [_item_cells(p) + [""] * 7 for p in PowerItem.objects.order_by("code")]


def held_rows(region: Region, on_date: dt.date, power_type: str = "", keyword: str = "") -> list:
    """The list a township holds on a date, each row with the delegation it rests on."""
    duties: dict[str, tuple[str, str]] = {}
    for resp in responsibilities_for(region):
        for power in resp.powers.all():
            duties.setdefault(power.code, (resp.name, resp.accountability))
    rows = []
    for item, answer in filter_held(powers_held(region, on_date), power_type, keyword):
        d = answer.delegation
        duty = duties.get(item.code, ("", ""))
        if d is None:
            rows.append(_item_cells(item) + [""] * 7)
            continue
        rows.append(
            _item_cells(item)
            + [
                d.target.code,
                MODE_LABEL[d.mode],
                d.effective_from.isoformat(),
                d.effective_to.isoformat() if d.effective_to else "",
                d.document,
                *duty,
            ]
        )
    return rows


GAP_HEADERS = ["类别", "责任事项", "事项编码", "事项名称", "当日行使主体", "说明"]


def gap_rows(found: list[Gap]) -> list[list]:
    return [
        [
            g.kind_label,
            g.responsibility.name if g.responsibility else "",
            g.power.code,
            g.power.name,
            g.answer.unit.name if g.answer.unit else g.answer.region.name,
            g.answer.explanation,
        ]
        for g in found
    ]
