"""The GeoReport v2 endpoints: small function views, JSON or XML by the URL's suffix."""

import functools

from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import actions, params, render, selectors
from .errors import Open311Error, bad, forbidden
from .ratelimit import check

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-05-01T00:00:00+08:00"
MAX_PAGE = 1000


def open311(*methods):
    """Method check, jurisdiction, api_key and rate limit; Open311Error → the error list."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def inner(request, fmt, **kwargs):
            try:
                if request.method not in methods:
                    raise Open311Error(405, f"不支持 {request.method} / method not allowed")
                data = request.POST if request.method == "POST" else request.GET
                request.county = params.jurisdiction(data) or params.jurisdiction(request.GET)
                request.client = _client(request, data)
                check(request, request.client)
                return view(request, fmt, data, **kwargs)
            except Open311Error as exc:
                return render.errors(fmt, exc.status, exc.description)

        return inner

    return wrap


def _client(request, data):
    raw = params.value(data, "api_key") or params.value(request.GET, "api_key")
    if raw is None:
        if request.method == "POST":
            raise forbidden("缺少 api_key / api_key required")
        return None
    client = selectors.client_for_key(raw)
    if client is None:
        raise forbidden("api_key 无效或已吊销 / invalid api_key")
    type(client).objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


@open311("GET")
def discovery(request, fmt, data):
    base = request.build_absolute_uri("/open311/v2/")
    body = {
        "changeset": CHANGESET,
        "contact": "基层治理平台运维 / jiceng operators",
        "key_service": "api_key 由平台管理员在管理后台签发 / issued by the platform admin",
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render.respond(fmt, "discovery", None, body)


@open311("GET")
def services(request, fmt, data):
    rows = [render.service(c) for c in selectors.services()]
    return render.respond(fmt, "services", "service", rows)


@open311("GET")
def service_definition(request, fmt, data, service_code):
    cat = selectors.service_get(service_code)
    body = render.definition(cat, selectors.attributes_of(cat))
    return render.respond(fmt, "service_definition", None, body)


def _page(data, qs, default_size: int):
    size = params.positive_int(data, "page_size", default_size, MAX_PAGE)
    page = params.positive_int(data, "page", 1, 10**6)
    return list(qs[(page - 1) * size : page * size])


def _statuses(data) -> list[str]:
    statuses = sorted({s.lower() for s in params.csv_list(data, "status")})
    if not set(statuses) <= {"open", "closed"}:
        raise bad("status 只能是 open 或 closed / status must be open or closed")
    return statuses


def _request_rows(data, cases) -> list[dict]:
    ext = params.flag(data, "extensions")
    children = selectors.merged_children(cases) if ext else {}
    return [render.request(c, extensions=ext, children=children.get(c.pk, [])) for c in cases]


@csrf_exempt
def requests_view(request, fmt):
    return (_post_request if request.method == "POST" else _list_requests)(request, fmt=fmt)


@open311("GET")
def _list_requests(request, fmt, data):
    start, end = params.window(data)
    qs = selectors.requests_find(
        county=request.county,
        ids=params.csv_list(data, "service_request_id"),
        codes=params.csv_list(data, "service_code"),
        statuses=_statuses(data),
        start=start,
        end=end,
    )
    return render.respond(
        fmt, "service_requests", "request", _request_rows(data, _page(data, qs, MAX_PAGE))
    )


@open311("POST")
def _post_request(request, fmt, data):
    code = params.value(data, "service_code")
    if code is None:
        raise bad("缺少 service_code / service_code required")
    service = selectors.service_get(code)
    key = (request.headers.get("Idempotency-Key") or "").strip()
    inbound, created = actions.request_create(
        client=request.client, data=data, service=service, idempotency_key=key
    )
    setting = getattr(service, "open311", None)
    row = {
        "service_request_id": inbound.case.code,
        "token": inbound.token,
        "service_notice": setting.notice if setting and setting.notice else None,
        "account_id": inbound.account_id or None,
    }
    return render.respond(fmt, "service_requests", "request", [row], 201 if created else 200)


@open311("GET")
def request_detail(request, fmt, data, service_request_id):
    case = selectors.request_get(service_request_id, request.county)
    return render.respond(fmt, "service_requests", "request", _request_rows(data, [case]))


@open311("GET")
def token_detail(request, fmt, data, token):
    from .models import InboundRequest

    inbound = InboundRequest.objects.filter(token=token).select_related("case").first()
    if inbound is None:
        raise Open311Error(404, f"未知的令牌 {token} / token not found")
    row = {"service_request_id": inbound.case.code, "token": inbound.token}
    return render.respond(fmt, "service_requests", "request", [row])


@csrf_exempt
def updates_view(request, fmt):
    return (_post_update if request.method == "POST" else _list_updates)(request, fmt=fmt)


def _update_row(ev) -> dict:
    from jiceng.cases.models import OPEN_STATUSES

    return {
        "update_id": f"{ev.case.code}-{ev.seq}",
        "service_request_id": ev.case.code,
        "status": "open" if ev.to_status in OPEN_STATUSES else "closed",
        "updated_datetime": render.iso(ev.at),
        "description": render.update_text(ev),
        "media_url": None,
    }


@open311("GET")
def _list_updates(request, fmt, data):
    start, end = params.window(data)
    qs = selectors.updates_find(
        county=request.county, ids=params.csv_list(data, "service_request_id"), start=start, end=end
    )
    rows = [_update_row(ev) for ev in _page(data, qs, MAX_PAGE)]
    return render.respond(fmt, "service_request_updates", "request_update", rows)


@open311("POST")
def _post_update(request, fmt, data):
    upd, created = actions.update_create(client=request.client, data=data, county=request.county)
    row = {"update_id": f"{upd.case.code}-{upd.event_seq}"}
    return render.respond(
        fmt, "service_request_updates", "request_update", [row], 201 if created else 200
    )
