"""A third-party client, the `georeport` package from PyPI, reads our server over HTTP."""

import requests
from georeport import GeoReport

from jiceng.open311.actions import client_issue

from .helpers import point_in, valid
from .live import live  # noqa: F401  (fixture)


def _post(base: str, key: str, code: str, k: int) -> str:
    lon, lat = point_in("330603002", k)
    fields = {
        "api_key": key,
        "service_code": code,
        "lat": lat,
        "long": lon,
        "description": "井盖破损",
    }
    if code == "C01001":
        fields["attribute[STATE]"] = "broken"
    r = requests.post(base + "/requests.json", data=fields, timeout=30)
    assert r.status_code == 201, r.text
    return valid(r.json(), "post_request")[0]["service_request_id"]


def test_georeport_reads_services_definitions_and_requests(live):  # noqa: F811
    _, key = client_issue(name="georeport 测试", by=None, rate_per_minute=1000)
    base = live + "/open311/v2"
    first = _post(base, key, "C01001", 0)
    second = _post(base, key, "C01003", 1)
    gr = GeoReport(base, jurisdiction="330603")

    services = valid(gr.get_service_list(), "services")
    assert {"C01001", "C01003"} <= {s["service_code"] for s in services}
    definition = valid(gr.get_service_definition("C01001"), "service_definition")
    assert definition["attributes"][0]["code"] == "STATE"

    listed = valid(gr.get_service_requests(service_code="C01001,C01003", status="open"), "requests")
    assert [r["service_request_id"] for r in listed] == [second, first]
    assert (
        valid(gr.get_service_requests(service_request_id=first), "requests")[0]["status"] == "open"
    )
    one = gr.get_service_request(first)
    valid([one], "requests")
    assert one["service_code"] == "C01001" and one["service_request_id"] == first


def test_georeport_reads_xml(live):  # noqa: F811
    _, key = client_issue(name="georeport xml", by=None, rate_per_minute=1000)
    base = live + "/open311/v2"
    code = _post(base, key, "C01001", 2)
    gr = GeoReport(base, jurisdiction="330603", output_format="xml")
    services = gr.get_service_list()
    assert any(s["service_code"] == "C01001" and s["metadata"] == "true" for s in services)
    definition = gr.get_service_definition("C01001")
    attrs = definition["attributes"]["attribute"]
    assert attrs[0]["code"] == "STATE"
    assert attrs[0]["values"]["value"][0]["key"] == "missing"
    one = gr.get_service_request(code)
    assert one["service_request_id"] == code and one["status"] == "open"
    listed = gr.get_service_requests(service_request_id=code)
    assert listed["service_request_id"] == code  # xmltodict: one element is a dict
