"""Inbound: an Open311 POST becomes a case through the case loop's intake; partners' updates
go into the case history. Everything is checked before the first write."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.cases import history
from jiceng.cases.actions import Report, case_report
from jiceng.cases.errors import CaseError
from jiceng.cases.models import Case, Source
from jiceng.core.audit import audit
from jiceng.org.models import Level, Region

from .. import params
from ..errors import bad
from ..models import ApiClient, Datatype, InboundRequest, RequestUpdate, ServiceAttribute


class ClientActor:
    """Stands for a client application in the case history (label only, no account)."""

    is_authenticated = False
    is_superuser = False
    pk = None

    def __init__(self, client: ApiClient):
        self.username = f"Open311 · {client.name}"


@dataclass
class Place:
    lon: float | None = None
    lat: float | None = None
    township_code: str = ""
    address_id: str = ""


def _url(raw: str | None, name: str) -> str:
    if raw is None:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(raw)
    except ValidationError:
        raise bad(f"{name} 不是有效的 http(s) 链接 / invalid URL") from None
    return raw[:500]


def _region_by_name(address: str, county: Region | None) -> Region | None:
    """The township or community whose name the address names (longest name wins)."""
    qs = Region.objects.filter(level__in=[Level.TOWNSHIP, Level.COMMUNITY])
    if county is not None:
        qs = qs.filter(code__startswith=county.code)
    hits = [r for r in qs.only("code", "name", "level") if r.name and r.name in address]
    return max(hits, key=lambda r: len(r.name), default=None)


def _place(data, county: Region | None) -> Place:
    lat = params.number(data, "lat", -90, 90)
    lon = params.number(data, "long", -180, 180)
    if (lat is None) != (lon is None):
        raise bad("lat 和 long 须同时提供 / lat and long go together")
    address_id = params.value(data, "address_id") or ""
    if lat is not None:
        return Place(lon=lon, lat=lat, address_id=address_id)
    if address_id:
        region = Region.objects.filter(code=address_id).first()
        if region is None or region.level not in (Level.TOWNSHIP, Level.COMMUNITY, Level.GRID):
            raise bad(f"未知的 address_id {address_id!r}（应为乡镇、社区或网格代码）")
        return Place(township_code=address_id[:9], address_id=address_id)
    address = params.value(data, "address_string")
    if address is None:
        raise bad("缺少位置：请提供 lat+long、address_string 或 address_id / location required")
    region = _region_by_name(address, county)
    if region is None:
        raise bad("无法从 address_string 确定所在乡镇街道，请提供 lat+long / address not found")
    return Place(township_code=region.code[:9])


def _answer(attr: ServiceAttribute, data):
    key = f"attribute[{attr.code}]"
    raw = [v.strip() for v in data.getlist(key) + data.getlist(key + "[]") if v.strip()]
    if not raw:
        if attr.required and attr.variable:
            raise bad(f"缺少必答问题 {key}：{attr.description} / required attribute missing")
        return None
    keys = {str(v["key"]) for v in attr.values or []}
    if attr.datatype == Datatype.MULTI:
        answer = [v for part in raw for v in part.split(",") if v]
        if not set(answer) <= keys:
            raise bad(f"{key} 的取值不在选项中 / value not among the choices")
        return answer
    answer = raw[0]
    if attr.datatype == Datatype.SINGLE and answer not in keys:
        raise bad(f"{key} 的取值不在选项中 / value not among the choices")
    if attr.datatype == Datatype.NUMBER:
        params.number({key: answer}, key, float("-inf"), float("inf"))
    if attr.datatype == Datatype.DATETIME:
        params.when({key: answer}, key)
    return answer[:1000]


def _answers(category, data) -> dict:
    out = {}
    for attr in category.open311_attributes.all():
        answer = _answer(attr, data)
        if answer is not None:
            out[attr.code] = answer
    return out


def _contact(data) -> dict:
    email = params.value(data, "email") or ""
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise bad("email 格式不正确 / invalid email") from None
    fields = ("device_id", "account_id", "first_name", "last_name", "phone")
    out = {f: (params.value(data, f) or "")[:100] for f in fields}
    out["first_name"], out["last_name"] = out["first_name"][:50], out["last_name"][:50]
    out["phone"] = out["phone"][:30]
    return {"email": email, **out}


def _report(data, category, place: Place, contact: dict, key: str) -> Report:
    description = params.value(data, "description") or category.name
    return Report(
        description=description,
        source=Source.OPEN311,
        lon=place.lon,
        lat=place.lat,
        address=params.value(data, "address_string") or "",
        category_code=category.code,
        township_code=place.township_code,
        contact_name=f"{contact['last_name']}{contact['first_name']}".strip(),
        contact_phone=contact["phone"],
        idempotency_key=key,
    )


def _check_county(case: Case, county: Region | None) -> None:
    if county is not None and not case.township.code.startswith(county.code):
        raise bad(f"位置不在辖区 {county.name}（{county.code}）内 / outside the jurisdiction")


def _note_answers(case: Case, client: ApiClient, answers: dict, media_url: str) -> None:
    if not answers and not media_url:
        return
    locked = Case.objects.select_for_update().get(pk=case.pk)
    parts = [f"{k}={v}" for k, v in answers.items()] + ([f"图片 {media_url}"] if media_url else [])
    history.record(
        locked,
        "open311_intake",
        ClientActor(client),
        note="Open311 附加信息：" + "；".join(parts),
        data={"attributes": answers, "media_url": media_url},
        frm=locked.status,
        to=locked.status,
    )


def request_create(*, client: ApiClient, data, service, idempotency_key: str = ""):
    """POST requests: returns (inbound record, created). Raises Open311Error on bad input."""
    county = params.jurisdiction(data)
    place = _place(data, county)
    answers = _answers(service, data)
    contact = _contact(data)
    media_url = _url(params.value(data, "media_url"), "media_url")
    key = f"o311:{client.pk}:{idempotency_key}"[:100] if idempotency_key else ""
    try:
        with transaction.atomic():
            case, created = case_report(
                report=_report(data, service, place, contact, key), by=ClientActor(client)
            )
            if not created:
                return case.open311, False
            _check_county(case, county)
            inbound = InboundRequest.objects.create(
                case=case,
                client=client,
                token=secrets.token_hex(12),
                jurisdiction_id=county.code if county else "",
                address_id=place.address_id,
                media_url=media_url,
                attributes=answers,
                **contact,
            )
            _note_answers(case, client, answers, media_url)
            audit(
                actor=None,
                verb="open311.request_create",
                obj=case,
                after={"client": client.name, "service_code": service.code, "token": inbound.token},
            )
    except CaseError as exc:
        raise bad(exc.message) from None
    return inbound, True


def _update_fields(data) -> dict:
    update_id = params.value(data, "update_id")
    code = params.value(data, "service_request_id")
    if not update_id or not code:
        raise bad(
            "缺少 update_id 或 service_request_id / update_id and service_request_id required"
        )
    status = (params.value(data, "status") or "").lower()
    if status and status not in {"open", "closed"}:
        raise bad("status 只能是 open 或 closed / status must be open or closed")
    description = params.value(data, "description") or ""
    if not description and not status:
        raise bad("请提供 description 或 status / description or status required")
    return {
        "update_id": update_id[:64],
        "code": code,
        "status": status,
        "description": description[:2000],
        "media_url": _url(params.value(data, "media_url"), "media_url"),
        "updated_at": params.when(data, "updated_datetime") or timezone.now(),
    }


def update_create(*, client: ApiClient, data, county=None) -> tuple[RequestUpdate, bool]:
    """POST servicerequestupdates from a partner: recorded once per update_id in the history."""
    f = _update_fields(data)
    from ..selectors import request_get

    case = request_get(f["code"], county)
    existing = RequestUpdate.objects.filter(client=client, update_id=f["update_id"]).first()
    if existing:
        if existing.case_id != case.pk:
            raise bad("该 update_id 已用于另一个服务请求 / update_id reused")
        return existing, False
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            note = f["description"] or f"对方状态：{f['status']}"
            event = history.record(
                locked,
                "open311_update",
                ClientActor(client),
                note=note[:500],
                data={"update_id": f["update_id"], "status": f["status"], "media": f["media_url"]},
                frm=locked.status,
                to=locked.status,
            )
            upd = RequestUpdate.objects.create(
                client=client,
                update_id=f["update_id"],
                case=locked,
                status=f["status"],
                description=f["description"],
                media_url=f["media_url"],
                updated_at=f["updated_at"],
                event_seq=event.seq,
            )
            audit(
                actor=None,
                verb="open311.update_create",
                obj=locked,
                after={"client": client.name, "update_id": f["update_id"], "status": f["status"]},
            )
    except IntegrityError:  # the same update arrived twice at once: the first one wins
        first = RequestUpdate.objects.filter(client=client, update_id=f["update_id"]).first()
        if first is None:
            raise
        return first, False
    return upd, True
