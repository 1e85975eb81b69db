"""接得住 pages: a township's delegated powers and its readiness, and the departments' board."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render

from jiceng.org.models import Level
from jiceng.org.scope import scoped
from jiceng.org.selectors import region_get_for

from .access import can_edit_readiness
from .actions import readiness_set
from .forms import ReadinessForm
from .models import Readiness, ReadinessStatus
from .selectors import delegations_to


def _township(request, code: str):
    region = region_get_for(request.user, code)
    if region.level != Level.TOWNSHIP:
        raise Http404("请选择乡镇街道")
    return region


@login_required
def township(request, region: str):
    place = _township(request, region)
    delegations = list(delegations_to(place, dt.date.today()).order_by("power__code"))
    states = {r.power_id: r for r in Readiness.objects.filter(region=place)}
    rows = [(d, states.get(d.power_id)) for d in delegations]
    return render(
        request,
        "powers/readiness.html",
        {"region": place, "rows": rows, "can_edit": can_edit_readiness(request.user, place)},
    )


@login_required
def edit(request, region: str, code: str):
    place = _township(request, region)
    delegation = delegations_to(place, dt.date.today()).filter(power__code=code).first()
    if delegation is None:
        raise Http404("该事项当前未下放至本乡镇街道")
    current = Readiness.objects.filter(region=place, power=delegation.power).first()
    initial = {}
    if current:
        initial = {
            f: getattr(current, f)
            for f in ("status", "trained_staff", "certified_officers", "equipment_ok", "note")
        }
    form = ReadinessForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit_readiness(request.user, place):
            raise PermissionDenied("只有本乡镇街道的工作人员可以填报承接能力")
        if form.is_valid():
            try:
                readiness_set(
                    by=request.user, township=place, delegation=delegation, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存：{delegation.power.name}")
                return redirect("powers:readiness", region=place.code)
    return render(
        request,
        "powers/readiness_edit.html",
        {"region": place, "delegation": delegation, "form": form, "current": current},
    )


@login_required
def board(request):
    """Where support is needed: every township in the caller's scope not marked ready."""
    qs = scoped(Readiness.objects.select_related("region", "power", "delegation"), request.user)
    needing = qs.exclude(status=ReadinessStatus.READY).order_by("status", "region__code")
    summary = (
        qs.values("region__code", "region__name", "status")
        .annotate(n=Count("id"))
        .order_by("region__code", "status")
    )
    return render(
        request,
        "powers/board.html",
        {"needing": needing, "summary": summary, "labels": dict(ReadinessStatus.choices)},
    )
