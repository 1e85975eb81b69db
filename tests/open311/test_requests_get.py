"""GET requests and requests/{id}: filters, dates, extensions, paging, and no contact data."""

import datetime as dt
import json

from django.utils import timezone

from jiceng.cases.actions import case_dispatch, case_merge, case_register, case_reject
from jiceng.cases.guards import SYSTEM
from jiceng.cases.models import Case

from .helpers import BASE, KEYAN, PANJIANG, body, error, xml

URL = BASE + "requests.json"


def _case(answer) -> Case:
    return Case.objects.get(code=answer["service_request_id"])


def test_list_and_detail(c, posted):
    a, b = posted(), posted(service_code="C01003", **{"attribute[STATE]": None})
    rows = body(c.get(URL), "requests")
    ids = [r["service_request_id"] for r in rows]
    assert ids[:2] == [b["service_request_id"], a["service_request_id"]]  # newest first
    one = body(c.get(BASE + f"requests/{a['service_request_id']}.json"), "requests")
    assert len(one) == 1 and one[0]["service_code"] == "C01001"
    row = one[0]
    assert row["status"] == "open" and row["status_notes"] == "待立案"
    assert row["requested_datetime"].endswith("+08:00")
    assert row["expected_datetime"] > row["requested_datetime"]
    assert row["lat"] and row["long"]


def test_unknown_id_is_404(c, db):
    assert "not found" in error(c.get(BASE + "requests/000000.json"), 404)
    xml(c.get(BASE + "requests/000000.xml"), "errors", 404)


def test_xml_list_carries_the_spec_elements(c, posted):
    posted(media_url="https://img.example.com/1.jpg")
    root = xml(c.get(BASE + "requests.xml"), "service_requests")
    req = root.find("request")
    for tag in (
        "service_request_id status status_notes service_name service_code description "
        "agency_responsible service_notice requested_datetime updated_datetime "
        "expected_datetime address address_id zipcode lat long media_url"
    ).split():
        assert req.find(tag) is not None, tag
    assert req.find("media_url").text == "https://img.example.com/1.jpg"


def test_reporter_contact_data_is_never_shown(c, posted):
    secret = {
        "email": "hidden@example.com",
        "first_name": "秘密",
        "last_name": "张",
        "phone": "13900001111",
        "device_id": "device-XYZ",
        "account_id": "acct-42",
    }
    a = posted(description="井盖丢了，请打 13712345678 联系", **secret)
    for path in (URL, BASE + f"requests/{a['service_request_id']}.json"):
        for fmt_path in (path, path.replace(".json", ".xml")):
            text = c.get(fmt_path, {"extensions": "true"}).content.decode()
            for value in [*secret.values(), "13712345678"]:
                assert value not in text, (fmt_path, value)
    row = body(c.get(BASE + f"requests/{a['service_request_id']}.json"), "requests")[0]
    assert "137****5678" in row["description"]


def test_filters(c, posted):
    a = posted()
    b = posted(service_code="C01003", **{"attribute[STATE]": None})
    case_reject(case=_case(b), by=SYSTEM, reason="重复上报")
    ids = lambda **q: [r["service_request_id"] for r in body(c.get(URL, q), "requests")]  # noqa: E731
    assert ids(service_code="C01003") == [b["service_request_id"]]
    assert ids(service_code="C01001,C01003")[:2] == [
        b["service_request_id"],
        a["service_request_id"],
    ]
    assert a["service_request_id"] not in ids(status="closed")
    assert b["service_request_id"] in ids(status="closed")
    assert b["service_request_id"] not in ids(status="open")
    assert len(ids(status="open,closed")) == len(ids())
    assert ids(status="", service_code="") == ids()  # empty = missing
    both = f"{a['service_request_id']},{b['service_request_id']}"
    assert sorted(ids(service_request_id=both, service_code="NOPE")) == sorted(both.split(","))
    closed = body(c.get(URL, {"service_request_id": b["service_request_id"]}), "requests")[0]
    assert closed["status"] == "closed" and "重复上报" in closed["status_notes"]


def test_date_window(c, posted):
    a = posted()
    Case.objects.filter(code=a["service_request_id"]).update(
        reported_at=timezone.now() - dt.timedelta(days=120)
    )
    ids = lambda **q: [r["service_request_id"] for r in body(c.get(URL, q), "requests")]  # noqa: E731
    assert a["service_request_id"] not in ids()  # default: the last 90 days
    old = timezone.localtime() - dt.timedelta(days=125)
    start = old.isoformat(timespec="seconds")
    assert a["service_request_id"] in ids(start_date=start)
    assert a["service_request_id"] in ids(start_date=start.replace("+", " "))  # '+' unescaped
    assert a["service_request_id"] in ids(start_date=old.date().isoformat())
    end = (old + dt.timedelta(days=10)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert a["service_request_id"] in ids(start_date=start, end_date=end)


def test_bad_dates_and_params_are_400(c, db):
    assert "datetime" in error(c.get(URL, {"start_date": "last tuesday"}), 400)
    error(c.get(URL, {"end_date": "2026-13-01"}), 400)
    assert "before" in error(
        c.get(URL, {"start_date": "2026-03-01", "end_date": "2026-02-01"}), 400
    )
    assert "90 days" in error(
        c.get(URL, {"start_date": "2025-01-01", "end_date": "2025-06-01"}), 400
    )
    error(c.get(URL, {"status": "pending"}), 400)
    error(c.get(URL, {"page": "0"}), 400)
    error(c.get(URL, {"page_size": "x"}), 400)
    xml(c.get(BASE + "requests.xml", {"start_date": "nope"}), "errors", 400)


def test_paging(c, posted):
    made = [posted()["service_request_id"] for _ in range(3)]
    p1 = body(c.get(URL, {"page_size": 2}), "requests")
    p2 = body(c.get(URL, {"page_size": 2, "page": 2}), "requests")
    got = [r["service_request_id"] for r in p1 + p2]
    assert got[:3] == made[::-1]


def test_extensions_and_duplicates(c, posted):
    a, b = posted(), posted()
    case_merge(case=_case(b), into=_case(a), by=SYSTEM)
    rows = body(c.get(URL, {"extensions": "true"}), "requests")
    by_id = {r["service_request_id"]: r["extended_attributes"] for r in rows}
    assert by_id[b["service_request_id"]]["parent_service_request_id"] == a["service_request_id"]
    assert by_id[a["service_request_id"]]["duplicates"] == [b["service_request_id"]]
    ext = by_id[a["service_request_id"]]
    assert ext["township_code"] == KEYAN and ext["grid_code"].startswith(KEYAN)
    assert ext["detailed_status"] == "reported"
    assert "extended_attributes" not in body(c.get(URL), "requests")[0]
    root = xml(c.get(BASE + "requests.xml", {"extensions": "true"}), "service_requests")
    assert root.find("request/extended_attributes/detailed_status") is not None


def test_agency_and_expected_after_dispatch(c, posted):
    a = posted()
    case = _case(a)
    case_register(case=case, by=SYSTEM)
    unit = case.route_unit or case.township.units.first()
    case_dispatch(case=Case.objects.get(pk=case.pk), by=SYSTEM, unit=unit)
    case.refresh_from_db()
    row = body(c.get(BASE + f"requests/{a['service_request_id']}.json"), "requests")[0]
    assert row["agency_responsible"] == unit.name
    assert row["expected_datetime"] == timezone.localtime(case.close_due_at).isoformat(
        timespec="seconds"
    )
    assert row["status_notes"] == "已派遣"


def test_jurisdiction_filters_the_list(c, posted):
    a = posted()
    b = posted(lat=None, long=None, address_id=PANJIANG)
    ids = lambda j: [  # noqa: E731
        r["service_request_id"] for r in body(c.get(URL, {"jurisdiction_id": j}), "requests")
    ]
    assert a["service_request_id"] in ids("330603") and b["service_request_id"] not in ids("330603")
    assert b["service_request_id"] in ids("530303")
    error(
        c.get(BASE + f"requests/{a['service_request_id']}.json", {"jurisdiction_id": "530303"}), 404
    )


def test_json_lists_are_bare_arrays(c, posted):
    posted()
    assert json.loads(c.get(URL).content)[0]["service_request_id"]


def test_list_query_count_does_not_grow(c, posted, django_assert_max_num_queries):
    for _ in range(2):
        posted()
    with django_assert_max_num_queries(2):  # the cases, then their merged duplicates
        body(c.get(URL, {"extensions": "true"}), "requests")
    for _ in range(4):
        posted()
    with django_assert_max_num_queries(2):
        assert len(body(c.get(URL, {"extensions": "true"}), "requests")) == 6
