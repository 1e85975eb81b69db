"""Writes to the region tree: division codes from CSV, boundaries from GeoJSON."""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.conf import settings
from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from jiceng.core.audit import audit

from .geo import boundaries_changed
from .models import CODE_LENGTH, LEVEL_BY_LENGTH, Level, Region

# A gap or overlap smaller than this share of the parent's area is drawing noise.
AREA_TOLERANCE = 1e-4


class ImportRefused(Exception):
    """The file was refused as a whole; `problems` says why, one line per place."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems[:5]))
        self.problems = problems


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ImportRefused([f"无法读取 CSV 文件 {path.name}：{exc}"]) from exc


def _division_rows(county: str, csv_path: Path | None) -> list[tuple[str, str]]:
    data = settings.SHARED_DATA / "divisions"
    rows: list[tuple[str, str]] = []
    counties = {r["code"]: r for r in _read_csv(data / "counties.csv")}
    if county not in counties:
        raise ImportRefused([f"未知的县级区划代码：{county}"])
    c = counties[county]
    provinces = {r["code"]: r["name"] for r in _read_csv(data / "provinces.csv")}
    cities = {r["code"]: r["name"] for r in _read_csv(data / "cities.csv")}
    rows.append((c["province_code"], provinces.get(c["province_code"], c["province_code"])))
    if c["city_code"] != county:
        rows.append((c["city_code"], cities.get(c["city_code"], c["city_code"])))
    rows.append((county, c["name"]))
    if csv_path is None:
        rows += [
            (r["code"], r["name"])
            for r in _read_csv(data / "townships.csv")
            if r["county_code"] == county
        ]
        rows += [
            (r["code"], r["name"])
            for r in _read_csv(data / "villages_demo.csv")
            if r["code"].startswith(county)
        ]
    else:
        rows += _custom_rows(county, csv_path)
    return rows


def _custom_rows(county: str, csv_path: Path) -> list[tuple[str, str]]:
    table = _read_csv(csv_path)
    if not table or not {"code", "name"} <= set(table[0]):
        raise ImportRefused([f"{csv_path.name}：缺少 code 或 name 列"])
    problems, rows = [], []
    for n, r in enumerate(table, start=2):
        code, name = (r.get("code") or "").strip(), (r.get("name") or "").strip()
        if not code.isdigit() or len(code) not in (9, 12):
            problems.append(f"第{n}行 code 列：'{code}' 不是9位乡镇或12位村社区代码")
        elif not code.startswith(county):
            problems.append(f"第{n}行 code 列：'{code}' 不属于县 {county}")
        elif not name:
            problems.append(f"第{n}行 name 列：名称为空")
        else:
            rows.append((code, name))
    if problems:
        raise ImportRefused(problems)
    return rows


def regions_import_divisions(*, county: str, csv_path: Path | None = None, by=None) -> int:
    """Load a county with its townships and communities; all or nothing; idempotent."""
    rows = _division_rows(county, csv_path)
    codes = {code for code, _ in rows}
    for code, _ in rows:
        parent = _parent_code(code)
        if parent and parent not in codes and not Region.objects.filter(code=parent).exists():
            if len(code) > 6:
                raise ImportRefused([f"代码 {code} 的上级 {parent} 不存在"])
    created = 0
    with transaction.atomic():
        for code, name in sorted(rows, key=lambda r: len(r[0])):
            parent_region = Region.objects.filter(code=_parent_code(code)).first()
            _, made = Region.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "level": LEVEL_BY_LENGTH[len(code)],
                    "parent": parent_region,
                },
            )
            created += made
        audit(
            actor=by,
            verb="regions.import_divisions",
            object_type="org.region",
            object_id=county,
            after={"rows": len(rows), "created": created},
        )
    return created


def _parent_code(code: str) -> str | None:
    for n in (12, 9, 6, 4, 2):
        if n < len(code):
            return code[:n]
    return None


@dataclass
class Feature:
    index: int
    code: str
    name: str
    geom: Any
    props: dict = field(default_factory=dict)


def _parse_features(raw: str | bytes, level: str) -> tuple[list[Feature], list[str]]:
    problems: list[str] = []
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return [], [f"不是有效的 GeoJSON（JSON 解析失败：{exc}）"]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return [], ["GeoJSON 顶层必须是 FeatureCollection"]
    features = []
    for i, f in enumerate(doc.get("features") or [], start=1):
        props = (f or {}).get("properties") or {}
        code = str(props.get("code") or props.get("adcode") or "").strip()
        where = f"第{i}个要素（{code or '无代码'}）"
        if not code.isdigit() or len(code) != CODE_LENGTH[Level(level)]:
            problems.append(f"{where}：代码应为{CODE_LENGTH[Level(level)]}位数字")
            continue
        try:
            geom = shape(f["geometry"])
        except Exception as exc:  # noqa: BLE001 - any malformed geometry is the user's input
            problems.append(f"{where}：几何无法解析（{exc}）")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"{where}：几何类型应为 Polygon 或 MultiPolygon，实为 {geom.geom_type}")
        elif not geom.is_valid:
            problems.append(f"{where}：几何无效（{explain_validity(geom)}）")
        else:
            features.append(Feature(i, code, str(props.get("name") or ""), geom, props))
    return features, problems


def _check_codes(features: list[Feature], level: str) -> list[str]:
    problems = []
    known = set(
        Region.objects.filter(code__in=[f.code for f in features]).values_list("code", flat=True)
    )
    parents = set(
        Region.objects.filter(code__in=[f.code[:12] for f in features]).values_list(
            "code", flat=True
        )
    )
    for f in features:
        if f.code in known:
            continue
        if level == Level.GRID and f.code[:12] in parents and f.name:
            continue
        hint = "（新网格须给出 name，且上级社区须存在）" if level == Level.GRID else ""
        problems.append(f"第{f.index}个要素（{f.code}）：区划代码不存在{hint}")
    return problems


def _check_overlaps_and_gaps(features: list[Feature]) -> list[str]:
    problems = []
    tree = shapely.STRtree([f.geom for f in features])
    for a, b in zip(*tree.query([f.geom for f in features], predicate="intersects"), strict=True):
        if a < b:
            fa, fb = features[a], features[b]
            shared = fa.geom.intersection(fb.geom).area
            if shared > AREA_TOLERANCE * min(fa.geom.area, fb.geom.area):
                problems.append(
                    f"第{fa.index}个要素（{fa.code}）与第{fb.index}个要素（{fb.code}）重叠"
                )
    by_parent: dict[str, list[Feature]] = {}
    for f in features:
        by_parent.setdefault(f.code[:12], []).append(f)
    parents = {r.code: r for r in Region.objects.filter(code__in=by_parent, boundary__isnull=False)}
    for code, parent in parents.items():
        outline = shape(parent.boundary)
        covered = shapely.union_all([f.geom for f in by_parent[code]])
        gap = outline.difference(covered).area
        if gap > AREA_TOLERANCE * outline.area:
            problems.append(
                f"社区 {code}（{parent.name}）内有未被网格覆盖的空隙（约占{gap / outline.area:.1%}）"
            )
    return problems


def regions_import_boundaries(
    *, raw: str | bytes, level: str, by=None, synthetic: bool = False
) -> int:
    """Attach boundaries to regions of one level; every problem is reported, nothing half-written."""
    if level not in Level.values:
        raise ImportRefused([f"未知层级：{level}（可选：{'、'.join(Level.values)}）"])
    features, problems = _parse_features(raw, level)
    if not problems:
        problems += _check_codes(features, level)
    if not problems and level == Level.GRID:
        problems += _check_overlaps_and_gaps(features)
    if not features and not problems:
        problems.append("文件中没有任何要素")
    if problems:
        raise ImportRefused(problems)
    with transaction.atomic():
        if level == Level.GRID and not synthetic:
            # Real grids replace the demo's synthetic ones in the same communities.
            Region.objects.filter(
                level=Level.GRID, synthetic=True, parent__code__in={f.code[:12] for f in features}
            ).exclude(code__in=[f.code for f in features]).update(boundary=None)
        for f in features:
            geometry = mapping(f.geom)
            defaults = {"boundary": json.loads(json.dumps(geometry)), "synthetic": synthetic}
            if level == Level.GRID:
                defaults["parent"] = Region.objects.get(code=f.code[:12])
                defaults["level"] = Level.GRID
                if f.name:
                    defaults["name"] = f.name
            region, _ = Region.objects.update_or_create(code=f.code, defaults=defaults)
        audit(
            actor=by,
            verb="regions.import_boundaries",
            object_type="org.region",
            object_id=level,
            after={"features": len(features), "synthetic": synthetic},
        )
        transaction.on_commit(boundaries_changed)
    return len(features)
