"""import_divisions and import_boundaries: clear refusals that leave the data as it was."""

import json

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import box, mapping, shape

from jiceng.org.actions import ImportRefused, regions_import_boundaries
from jiceng.org.geo import locate
from jiceng.org.models import Level, Region

pytestmark = pytest.mark.django_db


def _fc(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _feature(code, geom, name=""):
    return {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geom}


def test_import_divisions_loads_a_county_with_its_townships():
    call_command("import_divisions", county="110102")  # 西城区, not in the demo
    county = Region.objects.get(code="110102")
    assert county.level == Level.COUNTY and county.parent.code == "1101"
    assert Region.objects.filter(parent=county, level=Level.TOWNSHIP).count() >= 10
    n = Region.objects.count()
    call_command("import_divisions", county="110102")  # idempotent
    assert Region.objects.count() == n


def test_unknown_county_is_refused_and_nothing_written():
    n = Region.objects.count()
    with pytest.raises(CommandError):
        call_command("import_divisions", county="999999")
    assert Region.objects.count() == n


def test_custom_csv_with_a_bad_row_writes_nothing(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("code,name\n110102001,甲街道\n11010200,坏代码\n", encoding="utf-8")
    n = Region.objects.count()
    with pytest.raises(ImportRefused) as exc:
        from jiceng.org.actions import regions_import_divisions

        regions_import_divisions(county="110102", csv_path=path)
    assert "第3行" in exc.value.problems[0]
    assert Region.objects.count() == n


def _community_cells(code):
    community = Region.objects.get(code=code)
    outline = shape(community.boundary)
    minx, miny, maxx, maxy = outline.bounds
    mid = (minx + maxx) / 2
    west = outline.intersection(box(minx, miny, mid, maxy))
    east = outline.intersection(box(mid, miny, maxx, maxy))
    return community, west, east


def test_real_grids_replace_synthetic_ones():
    community, west, east = _community_cells("330603002004")
    raw = _fc(
        _feature(f"{community.code}101", mapping(west), "西网格"),
        _feature(f"{community.code}102", mapping(east), "东网格"),
    )
    assert regions_import_boundaries(raw=raw, level="grid") == 2
    p = west.representative_point()
    assert locate(p.x, p.y).grid.code == f"{community.code}101"
    assert not Region.objects.get(code=f"{community.code}001").boundary


@pytest.mark.parametrize("problem", ["malformed", "invalid", "unknown", "overlap", "gap", "point"])
def test_bad_boundaries_are_refused_per_feature_and_nothing_written(problem):
    community, west, east = _community_cells("330603002005")
    code = community.code
    features = [
        _feature(f"{code}101", mapping(west), "西"),
        _feature(f"{code}102", mapping(east), "东"),
    ]
    if problem == "malformed":
        raw = "{not json"
    else:
        if problem == "invalid":  # a bow-tie polygon crosses itself
            features[1]["geometry"] = {
                "type": "Polygon",
                "coordinates": [[[120, 30], [121, 31], [121, 30], [120, 31], [120, 30]]],
            }
        elif problem == "unknown":
            features[1]["properties"]["code"] = "999999999999101"
        elif problem == "overlap":
            features[1]["geometry"] = mapping(east.union(west.buffer(-1e-4)))
        elif problem == "gap":
            features = features[:1]
        elif problem == "point":
            features[1]["geometry"] = {"type": "Point", "coordinates": [120.5, 30.0]}
        raw = _fc(*features)
    before = list(Region.objects.filter(code__startswith=code).values_list("code", "boundary"))
    with pytest.raises(ImportRefused) as exc:
        regions_import_boundaries(raw=raw, level="grid")
    expected = {
        "malformed": "JSON",
        "invalid": "几何无效",
        "unknown": "不存在",
        "overlap": "重叠",
        "gap": "空隙",
        "point": "Polygon",
    }[problem]
    assert any(expected in line for line in exc.value.problems), exc.value.problems
    after = list(Region.objects.filter(code__startswith=code).values_list("code", "boundary"))
    assert after == before


def test_import_boundaries_command_reports_and_exits_nonzero(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text(_fc(_feature("12", {"type": "Point", "coordinates": [1, 2]})))
    with pytest.raises(CommandError, match="导入被拒绝"):
        call_command("import_boundaries", str(path), level="township")
