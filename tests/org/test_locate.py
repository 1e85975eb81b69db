"""locate(): point → grid, community, township, county; outside answers, never raises."""

import pytest
from shapely.geometry import shape

from jiceng.org.geo import locate
from jiceng.org.models import Level, Region

pytestmark = pytest.mark.django_db


def test_point_inside_a_demo_grid_finds_its_whole_chain():
    grid = Region.objects.filter(level=Level.GRID, code__startswith="330603002").first()
    p = shape(grid.boundary).representative_point()
    found = locate(p.x, p.y)
    assert found.inside
    assert found.grid.code == grid.code
    assert found.community.code == grid.code[:12]
    assert found.township.code == "330603002"
    assert found.county.code == "330603"


@pytest.mark.parametrize("lon,lat", [(0.0, 0.0), (116.0, 20.0)])
def test_point_outside_every_grid_is_a_clear_answer(lon, lat):
    found = locate(lon, lat)
    assert not found.inside and found.grid is None
    assert "不在任何网格内" in found.message


def test_invalid_coordinates_are_refused_with_a_message():
    found = locate(500, 95)
    assert not found.inside and "坐标无效" in found.message


def test_locate_api_answers_outside_without_error(client):
    r = client.get("/api/v1/org/locate", {"lon": 0, "lat": 0})
    assert r.status_code == 200 and r.json()["inside"] is False
