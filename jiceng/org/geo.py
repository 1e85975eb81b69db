"""Point → grid, community, township, county, through an STRtree over grid boundaries."""

import threading
import time
from dataclasses import dataclass, field

import shapely
from shapely.geometry import shape

from .models import BoundaryVersion, Level, Region, code_prefixes

# How long a process trusts its index before asking the database whether boundaries changed.
RECHECK_SECONDS = 2.0
_lock = threading.Lock()
_index: "GridIndex | None" = None
_checked = (0.0, -1)


@dataclass
class Located:
    inside: bool
    grid: Region | None = None
    chain: dict[str, Region] = field(default_factory=dict)
    message: str = ""

    @property
    def township(self) -> Region | None:
        return self.chain.get(Level.TOWNSHIP)

    @property
    def community(self) -> Region | None:
        return self.chain.get(Level.COMMUNITY)

    @property
    def county(self) -> Region | None:
        return self.chain.get(Level.COUNTY)

    def as_dict(self) -> dict:
        return {
            "inside": self.inside,
            "message": self.message,
            **{
                level: ({"code": r.code, "name": r.name} if r else None)
                for level, r in (
                    ("grid", self.grid),
                    ("community", self.community),
                    ("township", self.township),
                    ("county", self.county),
                )
            },
        }


class GridIndex:
    """Prepared grid polygons in an STRtree; built from the database once per version."""

    def __init__(self, regions: list[Region], version: int):
        self.version = version
        self.regions = regions
        self.geoms = [shape(r.boundary) for r in regions]
        for g in self.geoms:
            shapely.prepare(g)
        self.tree = shapely.STRtree(self.geoms)

    def find(self, lon: float, lat: float) -> Region | None:
        point = shapely.Point(lon, lat)
        for i in self.tree.query(point, predicate="intersects"):
            return self.regions[int(i)]
        return None


def boundary_version() -> int:
    global _checked
    now = time.monotonic()
    if now - _checked[0] > RECHECK_SECONDS:
        row = BoundaryVersion.objects.filter(pk=1).values_list("version", flat=True).first()
        _checked = (now, row or 0)
    return _checked[1]


def boundaries_changed() -> None:
    """Call after any boundary write: every process rebuilds its index on its next lookup.

    The new version is the clock in nanoseconds, not the old one plus one: a write rolled back
    with its transaction must not leave a number that a later write reuses, or what was built
    for the rolled-back boundaries (an index, a cached outline) would pass for current.
    """
    global _index, _checked
    BoundaryVersion.objects.update_or_create(pk=1, defaults={"version": time.time_ns()})
    _index, _checked = None, (0.0, -1)


def grid_index() -> GridIndex:
    global _index
    version = boundary_version()
    with _lock:
        if _index is None or _index.version != version:
            grids = list(
                Region.objects.filter(level=Level.GRID, boundary__isnull=False).only(
                    "id", "code", "name", "level", "boundary", "parent_id"
                )
            )
            _index = GridIndex(grids, version)
        return _index


def ancestors(region: Region) -> dict[str, Region]:
    """The region and its ancestors by level, fetched in one query by code prefixes."""
    return {r.level: r for r in Region.objects.filter(code__in=code_prefixes(region.code))}


def locate(lon: float, lat: float) -> Located:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return Located(False, message="坐标无效：经度应在 -180～180，纬度应在 -90～90 之间")
    grid = grid_index().find(lon, lat)
    if grid is None:
        return Located(False, message="该位置不在任何网格内 / the point lies outside every grid")
    return Located(True, grid=grid, chain=ancestors(grid))


def reset_index() -> None:
    """Forget this process's index (tests roll back boundary writes the index may have seen)."""
    global _index, _checked
    _index, _checked = None, (0.0, -1)
