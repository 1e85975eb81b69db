"""The outline a reporting map draws: the caller's own grids, or the townships taking reports."""

import pytest
from django.contrib.auth.models import AnonymousUser
from shapely.geometry import shape

from jiceng.org.geo import boundaries_changed
from jiceng.org.models import Level, Region
from jiceng.org.selectors import intake_outline
from tests.conftest import user

pytestmark = pytest.mark.django_db


def codes(fc: dict) -> set[str]:
    return {f["properties"]["code"] for f in fc["features"]}


def test_township_staff_see_their_own_grids_and_nothing_else():
    grids = set(
        Region.objects.filter(level=Level.GRID, code__startswith="330603002").values_list(
            "code", flat=True
        )
    )
    assert grids and codes(intake_outline(user("dispatcher_ky"))) == grids
    assert codes(intake_outline(user("grid_ky"))) == grids
    assert not codes(intake_outline(user("dispatcher_pj"))) & grids


def test_the_county_and_the_public_see_the_townships_that_take_reports():
    townships = set(
        Region.objects.filter(level=Level.TOWNSHIP, children__children__level=Level.GRID)
        .distinct()
        .values_list("code", flat=True)
    )
    assert len(townships) >= 3
    assert codes(intake_outline(AnonymousUser())) == townships
    assert codes(intake_outline(user("resident"))) == townships
    assert codes(intake_outline(user("county_kq"))) == {c for c in townships if c[:6] == "330603"}


def test_outlines_are_simplified_and_follow_a_boundary_change():
    grid = Region.objects.filter(level=Level.GRID, code__startswith="330603002").first()
    before = intake_outline(user("dispatcher_ky"))
    drawn = next(f for f in before["features"] if f["properties"]["code"] == grid.code)
    real = shape(grid.boundary)
    assert shape(drawn["geometry"]).symmetric_difference(real).area < 0.01 * real.area
    grid.boundary = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}
    grid.save(update_fields=["boundary"])
    boundaries_changed()
    after = intake_outline(user("dispatcher_ky"))
    moved = next(f for f in after["features"] if f["properties"]["code"] == grid.code)
    assert shape(moved["geometry"]).bounds == (0.0, 0.0, 1.0, 1.0)


def test_a_rolled_back_boundary_change_leaves_no_stale_outline():
    from django.db import transaction

    grid = Region.objects.filter(level=Level.GRID, code__startswith="330603002").first()
    real = shape(grid.boundary)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        Region.objects.filter(pk=grid.pk).update(
            boundary={"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}
        )
        boundaries_changed()
        features = intake_outline(user("dispatcher_ky"))["features"]
        moved = next(f for f in features if f["properties"]["code"] == grid.code)
        assert shape(moved["geometry"]).bounds == (0.0, 0.0, 1.0, 1.0)
        raise Undo  # e.g. an import that failed half-way
    boundaries_changed()  # the next real boundary write
    drawn = next(
        f
        for f in intake_outline(user("dispatcher_ky"))["features"]
        if f["properties"]["code"] == grid.code
    )
    assert shape(drawn["geometry"]).symmetric_difference(real).area < 0.01 * real.area
