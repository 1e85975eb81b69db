"""servicerequestupdates: status changes listed; partners' updates recorded once per update_id."""

from jiceng.cases.actions import case_register
from jiceng.cases.guards import SYSTEM
from jiceng.cases.models import Case, CaseEvent

from .helpers import BASE, body, error, xml

URL = BASE + "servicerequestupdates.json"


def test_status_changes_are_listed(c, posted):
    a = posted()
    case_register(case=Case.objects.get(code=a["service_request_id"]), by=SYSTEM)
    rows = body(c.get(URL, {"service_request_id": a["service_request_id"]}), "updates")
    assert [r["description"] for r in rows] == ["已受理", "已立案"]
    assert rows[0]["status"] == "open"
    root = xml(c.get(BASE + "servicerequestupdates.xml"), "service_request_updates")
    assert root.find("request_update/update_id") is not None


def test_partner_update_is_idempotent(c, api_key, posted):
    a = posted()
    fields = {
        "api_key": api_key,
        "update_id": "p-77",
        "service_request_id": a["service_request_id"],
        "status": "open",
        "description": "市民补充：井口已放置锥桶",
        "updated_datetime": "2026-05-01T09:00:00+08:00",
    }
    first = body(c.post(URL, fields), "post_update", 201)
    again = body(c.post(URL, fields), "post_update", 200)
    assert first == again
    case = Case.objects.get(code=a["service_request_id"])
    assert CaseEvent.objects.filter(case=case, verb="open311_update").count() == 1
    rows = body(c.get(URL, {"service_request_id": a["service_request_id"]}), "updates")
    assert rows[-1]["description"] == "合作方更新：市民补充：井口已放置锥桶"
    assert rows[-1]["update_id"] == first[0]["update_id"]


def test_partner_update_errors(c, api_key, posted):
    a = posted()
    ok = {"api_key": api_key, "update_id": "u1", "service_request_id": a["service_request_id"]}
    error(c.post(URL, {**ok, "api_key": ""}), 403)
    error(c.post(URL, {**ok, "description": "x", "service_request_id": "404404"}), 404)
    error(c.post(URL, {**ok, "update_id": ""}), 400)
    error(c.post(URL, ok), 400)  # neither status nor description
    error(c.post(URL, {**ok, "status": "done"}), 400)
    error(c.post(URL, {**ok, "description": "x", "updated_datetime": "soon"}), 400)
