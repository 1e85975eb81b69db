"""Reads of regions, units and people, scoped to the caller."""

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import Http404
from shapely.geometry import mapping, shape

from .geo import boundary_version
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
    return _collection(qs)


# Outlines on a reporting map are drawn, not measured: ~20 m of detail is plenty for a phone.
OUTLINE_TOLERANCE = 0.0002


def intake_outline(user) -> dict:
    """What a reporting map outlines for the caller: the grids of their own township (staff of a
    township or below), otherwise the townships that take reports within their scope (everyone,
    for a resident or the public). Simplified; cached for a minute, and until a boundary changes
    (a minute at most even if a version number is reused after a rolled-back import)."""
    code = scope_code(user) or ""
    key = f"intake-outline:{code[:9] if len(code) >= 9 else code}:{boundary_version()}"
    cached = cache.get(key)
    if cached is None:
        if len(code) >= 9:
            qs = Region.objects.filter(level=Level.GRID, code__startswith=code[:9])
        else:
            qs = Region.objects.filter(
                level=Level.TOWNSHIP, code__startswith=code, children__children__level=Level.GRID
            ).distinct()
        cached = _collection(qs, tolerance=OUTLINE_TOLERANCE)
        cache.set(key, cached, 60)
    return cached


def _collection(qs: QuerySet[Region], tolerance: float = 0.0) -> dict:
    def geometry(boundary) -> dict:
        if not tolerance:
            return boundary
        return mapping(shape(boundary).simplify(tolerance, preserve_topology=True))

    features = [
        {
            "type": "Feature",
            "geometry": geometry(r.boundary),
            "properties": {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "synthetic": r.synthetic,
            },
        }
        for r in qs.exclude(boundary__isnull=True).only(
            "code", "name", "level", "boundary", "synthetic"
        )
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
