"""Pages for the region tree with its grid map, units and their people, and the home page."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import selectors
from .models import Role
from .scope import person_of, scope_code

# Where each role starts: the page it uses most.
ROLE_HOME = [
    (Role.PLATFORM_ADMIN, "admin:index"),
    (Role.COUNTY_ADMIN, "org:regions"),
]


@login_required
def home(request):
    person = person_of(request.user)
    if person is None or person.has_role(Role.RESIDENT) and len(person.roles) == 1:
        return render(request, "org/home_resident.html", {"person": person})
    from jiceng.workload.selectors import inbox_for  # the inbox card's counts

    tasks = inbox_for(request.user)
    counts = {"open": tasks.count(), "overdue": tasks.filter(due_at__lt=timezone.now()).count()}
    return render(
        request,
        "org/home.html",
        {"person": person, "roles": person.roles, "region": person.region, "tasks": counts},
    )


@login_required
def regions(request):
    code = request.GET.get("code") or scope_code(request.user) or ""
    if not code:
        top = selectors.regions_for(request.user).filter(parent__isnull=True).first()
        if top is None:
            return render(request, "org/regions.html", {"region": None, "children": []})
        code = top.code
    return redirect("org:region", code=code)


@login_required
def region_detail(request, code: str):
    region = selectors.region_get_for(request.user, code)
    parent_open = selectors.regions_for(request.user).filter(pk=region.parent_id).exists()
    return render(
        request,
        "org/region.html",
        {
            "region": region,
            "parent_open": parent_open,  # a link only where the caller may go
            "children": selectors.region_children(region),
            "units": region.units.order_by("name"),
        },
    )


@login_required
def region_geojson(request, code: str):
    region = selectors.region_get_for(request.user, code)
    return JsonResponse(selectors.grids_geojson(region))


@login_required
def units(request):
    return render(request, "org/units.html", {"units": selectors.units_for(request.user)})


@login_required
def unit_detail(request, pk: int):
    unit = selectors.unit_get_for(request.user, pk)
    return render(
        request, "org/unit.html", {"unit": unit, "people": selectors.people_of_unit(unit)}
    )
