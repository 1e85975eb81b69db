"""Reads of the Open311 door: services, their questions, public requests and their updates.

Open311 is public by specification; what it shows of a case is the public part only
(never the reporter's contact data), and only cases of categories offered as services.
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from jiceng.cases.models import OPEN_STATUSES, Case, CaseEvent, Category, CategoryKind
from jiceng.org.models import Region

from .actions.keys import digest
from .errors import not_found
from .models import ApiClient, ServiceAttribute

# Kinds offered by default; disputes concern private persons and are offered only when set so.
DEFAULT_KINDS = [CategoryKind.COMPONENT, CategoryKind.MATTER, CategoryKind.EMERGENCY]


def client_for_key(raw: str | None) -> ApiClient | None:
    if not raw:
        return None
    client = ApiClient.objects.filter(key_digest=digest(raw)).first()
    return client if client and client.usable else None


def public_q(prefix: str = "") -> Q:
    p = prefix
    return Q(**{f"{p}active": True}) & (
        Q(**{f"{p}open311__public": True})
        | Q(**{f"{p}open311__isnull": True, f"{p}kind__in": DEFAULT_KINDS})
    )


def services() -> QuerySet[Category]:
    has_attrs = Exists(ServiceAttribute.objects.filter(category=OuterRef("pk"), variable=True))
    return (
        Category.objects.filter(public_q())
        .exclude(kind=CategoryKind.GROUP)
        .select_related("parent", "open311")
        .annotate(has_attrs=has_attrs)
        .order_by("code")
    )


def service_get(code: str) -> Category:
    cat = services().filter(code=code).first()
    if cat is None:
        raise not_found(f"未知的服务代码 service_code={code!r} / unknown service")
    return cat


def attributes_of(category: Category) -> list[ServiceAttribute]:
    return list(category.open311_attributes.order_by("order", "id"))


def _latest_event_at():
    latest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-seq").values("at")[:1]
    return Subquery(latest)


def requests_base(county: Region | None = None) -> QuerySet[Case]:
    qs = (
        Case.objects.filter(public_q("category__"))
        .select_related(
            "category",
            "category__open311",
            "lead_unit",
            "route_unit",
            "township",
            "region",
            "merged_into",
            "open311",
        )
        .annotate(updated_at=_latest_event_at())
        .order_by("-reported_at", "-id")
    )
    if county is not None:
        qs = qs.filter(township__code__startswith=county.code)
    return qs


def requests_find(
    *,
    county: Region | None,
    ids: list[str],
    codes: list[str],
    statuses: list[str],
    start: dt.datetime,
    end: dt.datetime,
) -> QuerySet[Case]:
    """GET requests: a list of ids overrides every other filter."""
    qs = requests_base(county)
    if ids:
        return qs.filter(code__in=ids)
    qs = qs.filter(reported_at__gte=start, reported_at__lte=end)
    if codes:
        qs = qs.filter(category__code__in=codes)
    if statuses == ["open"]:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif statuses == ["closed"]:
        qs = qs.exclude(status__in=OPEN_STATUSES)
    return qs


def request_get(code: str, county: Region | None = None) -> Case:
    case = requests_base(county).filter(code=code).first()
    if case is None:
        raise not_found(f"未找到服务请求 {code} / service_request_id not found")
    return case


def updates_find(
    *, county: Region | None, ids: list[str], start: dt.datetime, end: dt.datetime
) -> QuerySet[CaseEvent]:
    """Status changes of public requests (and partners' updates), oldest first."""
    public = requests_base(county).values("pk")
    qs = CaseEvent.objects.filter(case__in=public, at__gte=start, at__lte=end).filter(
        ~Q(from_status=F("to_status")) | Q(verb="open311_update")
    )
    if ids:
        qs = qs.filter(case__code__in=ids)
    return qs.select_related("case").order_by("at", "case_id", "seq")


def merged_children(cases: list[Case]) -> dict[int, list[str]]:
    rows = Case.objects.filter(merged_into__in=cases).values_list("merged_into_id", "code")
    out: dict[int, list[str]] = {}
    for parent, code in rows:
        out.setdefault(parent, []).append(code)
    return out


def outbound_missing():
    """Live assignments at endpoint units whose case has not been queued for that endpoint."""
    from jiceng.cases.models import LIVE_ASSIGNMENT, Assignment

    from .models import OutboundRequest

    sent = OutboundRequest.objects.filter(case=OuterRef("case"), endpoint__unit=OuterRef("unit"))
    return (
        Assignment.objects.filter(state__in=LIVE_ASSIGNMENT, unit__open311_endpoint__active=True)
        .exclude(Exists(sent))
        .select_related("case")
    )


def outbound_due(now):
    from .models import OutboundRequest, OutState

    return OutboundRequest.objects.filter(
        state=OutState.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)


def outbound_to_poll():
    from .models import OutboundRequest, OutState

    live = Q(state=OutState.QUEUED) | (Q(state=OutState.SENT) & ~Q(remote_status="closed"))
    return OutboundRequest.objects.filter(live, endpoint__active=True).select_related(
        "endpoint", "endpoint__unit"
    )
