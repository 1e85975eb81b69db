"""Reads of regions, units and people, scoped to the caller."""

from django.db.models import Count, QuerySet
from django.http import Http404

from .models import Level, Person, Region, Unit
from .scope import get_scoped_or_404, region_q, scope_code


def regions_for(user) -> QuerySet[Region]:
    """Regions in the caller's scope (a region's subtree is every code it prefixes)."""
    code = scope_code(user)
    if code is None:
        return Region.objects.none()
    qs = Region.objects.all() if code == "" else Region.objects.filter(code__startswith=code)
    return qs.order_by("code")


def region_get_for(user, code: str) -> Region:
    region = regions_for(user).filter(code=code).first()
    if region is None:
        raise Http404("未找到该区域，或不在您的管辖范围内")
    return region


def region_children(region: Region) -> QuerySet[Region]:
    return region.children.annotate(n_children=Count("children")).order_by("code")


def grids_geojson(region: Region) -> dict:
    """A FeatureCollection of the grids (or, above township level, the child regions)."""
    if region.level in (Level.TOWNSHIP, Level.COMMUNITY, Level.GRID):
        qs = Region.objects.filter(level=Level.GRID, code__startswith=region.code)
    else:
        qs = region.children.all()
    features = [
        {
            "type": "Feature",
            "geometry": r.boundary,
            "properties": {"code": r.code, "name": r.name, "synthetic": r.synthetic},
        }
        for r in qs.exclude(boundary__isnull=True).only("code", "name", "boundary", "synthetic")
    ]
    return {"type": "FeatureCollection", "features": features}


def units_for(user) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(region_q(user))
        .select_related("region", "parent")
        .order_by("region__code", "name")
    )


def unit_get_for(user, pk: int) -> Unit:
    return get_scoped_or_404(Unit.objects.select_related("region", "parent"), user, pk=pk)


def people_of_unit(unit: Unit) -> QuerySet[Person]:
    """Staff a unit manages, seconded officers included, with their home unit kept on record."""
    return (
        (Person.objects.filter(managing_unit=unit) | Person.objects.filter(home_unit=unit))
        .select_related("home_unit", "managing_unit")
        .prefetch_related("role_grants")
        .distinct()
        .order_by("name")
    )
