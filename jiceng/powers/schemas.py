"""JSON shapes of the powers API (and the `holder --json` command)."""

from ninja import Schema

from .selectors import HolderAnswer


def unit_dict(unit) -> dict | None:
    if unit is None:
        return None
    return {
        "id": unit.pk,
        "name": unit.name,
        "kind": unit.kind,
        "sector": unit.sector,
        "region_code": unit.region.code,
    }


def holder_dict(answer: HolderAnswer) -> dict:
    d = answer.delegation
    return {
        "power": answer.power_code,
        "unit": unit_dict(answer.unit),
        "level": answer.level,
        "region": {"code": answer.region.code, "name": answer.region.name},
        "delegation": None
        if d is None
        else {
            "id": d.pk,
            "document": d.document,
            "mode": d.mode,
            "effective_from": d.effective_from.isoformat(),
            "effective_to": d.effective_to.isoformat() if d.effective_to else None,
            "target": d.target.code,
        },
        "explanation": answer.explanation,
    }


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    sector: str
    region_code: str


class RegionRef(Schema):
    code: str
    name: str


class DelegationRef(Schema):
    id: int
    document: str
    mode: str
    effective_from: str
    effective_to: str | None
    target: str


class HolderOut(Schema):
    power: str
    unit: UnitOut | None
    level: str
    region: RegionRef
    delegation: DelegationRef | None
    explanation: str


class PowerOut(Schema):
    code: str
    name: str
    power_type: str
    power_type_label: str
    legal_basis: str
    default_level: str
    default_sector: str
    status: str
    version: int


class HeldOut(Schema):
    power: PowerOut
    holder: HolderOut


class VersionOut(Schema):
    version: int
    data: dict
    changed_by: str | None
    changed_at: str
    reason: str


class GapOut(Schema):
    kind: str
    kind_label: str
    responsibility: str | None
    power: str
    power_name: str
    explanation: str


class DelegationIn(Schema):
    power: str
    target: str
    effective_from: str
    effective_to: str | None = None
    document: str
    mode: str = "direct"


class RevokeIn(Schema):
    end: str
    document: str = ""
    reason: str = ""


class ReadinessIn(Schema):
    township: str
    power: str
    status: str
    trained_staff: int = 0
    certified_officers: int = 0
    equipment_ok: bool = False
    note: str = ""


class ReadinessOut(Schema):
    township: str
    power: str
    status: str
    trained_staff: int
    certified_officers: int
    equipment_ok: bool
    note: str


def power_dict(item) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "power_type": item.power_type,
        "power_type_label": item.get_power_type_display(),
        "legal_basis": item.legal_basis,
        "default_level": item.default_level,
        "default_sector": item.default_sector,
        "status": item.status,
        "version": item.version,
    }
