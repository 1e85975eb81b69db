"""Shapes of the GeoReport v2 responses, and their JSON and XML forms.

JSON lists are bare arrays; XML uses the specification's element names (services/service,
service_requests/request, errors/error, discovery, service_definition/attributes/attribute).
"""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

from jiceng.cases.clock import due_and_warn
from jiceng.cases.models import OPEN_STATUSES, Case, Status
from jiceng.org.models import Level

# Element names of list items in XML, by the name of the list.
ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "duplicates": "duplicate",
}
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9])")


def iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def masked(text: str) -> str:
    """Descriptions are public: phone and ID numbers a reporter typed in are masked."""
    text = ID_NUMBER.sub(r"\1********\2", text or "")
    return MOBILE.sub(r"\1****\2", text)


def service(cat) -> dict:
    setting = getattr(cat, "open311", None)
    return {
        "service_code": cat.code,
        "service_name": cat.name,
        "description": cat.filing_conditions or cat.name,
        "metadata": bool(getattr(cat, "has_attrs", False)),
        "type": "realtime",
        "keywords": setting.keywords if setting else "",
        "group": cat.parent.name if cat.parent_id else cat.get_kind_display(),
    }


def attribute(a) -> dict:
    return {
        "variable": a.variable,
        "code": a.code,
        "datatype": a.datatype,
        "required": a.required,
        "datatype_description": a.datatype_description or None,
        "order": a.order,
        "description": a.description,
        "values": [{"key": str(v["key"]), "name": v["name"]} for v in a.values or []],
    }


def definition(cat, attributes) -> dict:
    return {"service_code": cat.code, "attributes": [attribute(a) for a in attributes]}


def status_notes(case: Case) -> str:
    if case.status == Status.REJECTED:
        return f"不予立案：{case.reject_reason}"
    if case.status == Status.MERGED and case.merged_into_id:
        return f"与服务请求 {case.merged_into.code} 重复，已合并"
    if case.status == Status.ON_HOLD:
        return f"挂账：{case.hold_reason}"[:300]
    return str(case.get_status_display())


def expected(case: Case) -> dt.datetime | None:
    """When the case should be closed: its closing deadline, or an estimate before dispatch."""
    if case.close_due_at or case.status not in OPEN_STATUSES or case.category_id is None:
        return case.close_due_at
    cat = case.category
    handle = due_and_warn(case.due_at or case.reported_at, cat.handle_limit, cat.handle_unit)[0]
    return due_and_warn(handle, cat.verify_limit, cat.verify_unit)[0]


def extended(case: Case, children: list[str]) -> dict:
    grid = case.region if case.region.level == Level.GRID else None
    return {
        "detailed_status": case.status,
        "detailed_status_label": str(case.get_status_display()),
        "parent_service_request_id": case.merged_into.code if case.merged_into_id else None,
        "duplicates": children,
        "township_code": case.township.code,
        "township": case.township.name,
        "grid_code": grid.code if grid else None,
        "grid": grid.name if grid else None,
        "channel": case.source,
        "priority": case.priority,
    }


def request(case: Case, *, extensions: bool = False, children=()) -> dict:
    unit = case.lead_unit or case.route_unit
    inbound = getattr(case, "open311", None)
    setting = getattr(case.category, "open311", None)
    out = {
        "service_request_id": case.code,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": masked(case.description),
        "agency_responsible": unit.name if unit else None,
        "service_notice": setting.notice if setting and setting.notice else None,
        "requested_datetime": iso(case.reported_at),
        "updated_datetime": iso(getattr(case, "updated_at", None) or case.reported_at),
        "expected_datetime": iso(expected(case)),
        "address": case.address or None,
        "address_id": inbound.address_id if inbound and inbound.address_id else None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": inbound.media_url if inbound and inbound.media_url else None,
    }
    if extensions:
        out["extended_attributes"] = extended(case, list(children))
    return out


def error_list(status: int, description: str) -> list[dict]:
    return [{"code": status, "description": description}]


def _fill(el: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _fill(ET.SubElement(el, key), sub)
    elif isinstance(value, list):
        for sub in value:
            _fill(ET.SubElement(el, ITEMS.get(el.tag, "item")), sub)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = str(value)


def to_xml(root: str, item: str | None, data) -> bytes:
    """A list goes in as <root><item>…</item>…</root>; a dict as <root>…</root>."""
    el = ET.Element(root)
    if item is None:
        _fill(el, data)
    else:
        for row in data:
            _fill(ET.SubElement(el, item), row)
    return ET.tostring(el, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, item: str | None, data, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, item, data)
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def errors(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", "error", error_list(status, description), status)


# What a status change says in public; the notes of these steps are shown with it.
STEP_TEXT = {
    "report": "已受理",
    "register": "已立案",
    "reject": "不予立案",
    "merge": "作为重复请求合并",
    "dispatch": "已派遣至承办单位",
    "accept": "承办单位已签收",
    "give_back": "承办单位退回，重新分派",
    "handle": "已处置",
    "verify": "核查通过",
    "reopen": "核查未通过，重新处置",
    "close": "已结案",
    "rate": "已评价",
    "hold": "挂账",
    "resume": "恢复办理",
    "open311_update": "合作方更新",
}
WITH_NOTE = {"reject", "merge", "handle", "close", "open311_update"}


def update_text(ev) -> str:
    text = STEP_TEXT.get(ev.verb, ev.verb)
    if ev.verb in WITH_NOTE and ev.note:
        text = f"{text}：{masked(ev.note)}"
    return text[:1000]
