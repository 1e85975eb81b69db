"""API of the org app: locate a point, read regions and units in scope."""

from ninja import Router, Schema

from . import selectors
from .geo import locate

router = Router(tags=["org 组织与区域"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj):
        return obj.code[: len(obj.code) - 3] if obj.parent_id else None


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    sector: str
    region_code: str

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


@router.get("/locate", auth=None)
def locate_point(request, lon: float, lat: float):
    """Which grid, community, township and county a WGS84 point lies in."""
    return locate(lon, lat).as_dict()


@router.get("/regions/{code}", response=RegionOut)
def region_get(request, code: str):
    return selectors.region_get_for(request.user, code)


@router.get("/regions/{code}/children", response=list[RegionOut])
def region_children(request, code: str):
    return list(selectors.region_children(selectors.region_get_for(request.user, code)))


@router.get("/units", response=list[UnitOut])
def unit_list(request):
    return list(selectors.units_for(request.user))


@router.get("/units/{pk}", response=UnitOut)
def unit_get(request, pk: int):
    return selectors.unit_get_for(request.user, pk)
