"""Bench-only URLconf: the platform's URLs plus a bare view that inserts one case row."""

import json
import secrets

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from jiceng.urls import urlpatterns as platform_urls

_place: dict = {}


@csrf_exempt
def bare_insert(request):
    """The floor: parse the same JSON and insert one row; no locate, route, history or audit."""
    from jiceng.cases.models import Case
    from jiceng.org.models import Region

    body = json.loads(request.body)
    if not _place:
        _place["grid"] = Region.objects.filter(level="grid", code__startswith="330603002").first()
        _place["township"] = Region.objects.get(code="330603002")
    now = timezone.now()
    case = Case.objects.create(
        code="B" + secrets.token_hex(6),
        secret_salt="b",
        source="api",
        description=body["description"],
        lon=body["lon"],
        lat=body["lat"],
        region=_place["grid"],
        township=_place["township"],
        occurred_at=now,
        reported_at=now,
    )
    return JsonResponse({"code": case.code}, status=201)


urlpatterns = [path("bench/bare", bare_insert), *platform_urls]
