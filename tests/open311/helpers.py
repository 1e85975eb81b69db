"""Helpers for Open311 tests: JSON Schema checks, XML checks, points in demo townships."""

import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from shapely.geometry import shape

from jiceng.org.models import Level, Region

SCHEMAS = Path(__file__).parent / "schemas"
KEYAN, PANJIANG = "330603002", "530303102"
BASE = "/open311/v2/"


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def valid(data, name: str):
    """Validate against tests/open311/schemas/<name>.json; returns the data."""
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    if name == "requests":
        for row in data:
            if "extended_attributes" in row:
                valid(row["extended_attributes"], "extended_attributes")
    return data


def body(response, name: str, status: int = 200):
    """Assert the status and content type, parse the JSON and validate it against its schema."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return valid(json.loads(response.content), name)


def error(response, status: int) -> str:
    data = body(response, "errors", status)
    assert data[0]["code"] == status
    return data[0]["description"]


def xml(response, root: str, status: int = 200) -> ET.Element:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("text/xml")
    el = ET.fromstring(response.content)
    assert el.tag == root
    return el


def point_in(township_code: str, k: int = 0) -> tuple[float, float]:
    grids = Region.objects.filter(level=Level.GRID, code__startswith=township_code).order_by("code")
    p = shape(grids[k % grids.count()].boundary).representative_point()
    return round(p.x, 6), round(p.y, 6)


def post_fields(key: str, township: str = KEYAN, k: int = 0, **extra) -> dict:
    lon, lat = point_in(township, k)
    fields = {
        "api_key": key,
        "service_code": "C01001",
        "lat": lat,
        "long": lon,
        "description": "人行道上的供水井盖不见了",
        "attribute[STATE]": "missing",
    }
    fields.update(extra)
    return {k: v for k, v in fields.items() if v is not None}
