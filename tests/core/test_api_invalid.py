"""A request body the API's schema refuses gets 422 with each field and what is wrong, in the
user's language, and changes nothing."""

import json

import pytest

from jiceng.assessment.models import InspectionCap
from jiceng.workload.models import Task
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
J = "application/json"


def test_a_malformed_body_is_named_field_by_field_in_chinese():
    before = list(InspectionCap.objects.values_list("pk", "limit"))
    body = {"region": "330603", "year": "明年", "target": "township", "document": "x"}
    r = client_for("county_kq").put("/api/v1/assessment/caps", json.dumps(body), content_type=J)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith("请求数据有误：")
    assert "year：应为整数" in detail and "limit：必须填写" in detail
    assert {e["type"] for e in r.json()["errors"]} == {"int_parsing", "missing"}
    assert list(InspectionCap.objects.values_list("pk", "limit")) == before


def test_broken_json_a_404_and_english_users():
    c = client_for("county_kq")
    r = c.put("/api/v1/assessment/caps", "{not json", content_type=J)
    assert r.status_code == 400 and r.json()["detail"] == "请求内容不是有效的 JSON"
    # a 404 says why, not a bare "Not Found"
    r = client_for("dispatcher_pj").get("/api/v1/assessment/items/999999")
    assert r.status_code == 404 and r.json()["detail"] == "未找到，或不在您的管辖范围内"
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = c.put("/api/v1/assessment/caps", json.dumps({"region": "330603"}), content_type=J)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("The request is invalid: ")
    assert "year: required" in r.json()["detail"]


def test_numbers_out_of_range_are_refused_not_a_crash():
    """Found by calling every operation with garbage: each of these was a 500."""
    c = client_for("county_kq")
    for url in (
        "/api/v1/cases?offset=-1",
        "/api/v1/cases?offset=99999999999999999999",
        "/api/v1/enforcement/?limit=0",
        "/api/v1/assessment/caps?year=-1",
        "/api/v1/workload/burden?days=99999999999",
        # an id past 64 bits is no record (SQLite overflowed on it; PostgreSQL found none)
        "/api/v1/workload/tasks?from_unit=99999999999999999999",
        "/api/v1/cases?unit=0",
    ):
        r = c.get(url)
        assert r.status_code == 422 and "超出允许的范围" in r.json()["detail"], url
    sent = Task.objects.count()
    body = {"kind": "data", "subject": "x", "units": [], "people": [2**63]}
    r = c.post("/api/v1/workload/tasks", json.dumps(body), content_type=J)
    assert r.status_code == 422 and "people.0：超出允许的范围" in r.json()["detail"]
    assert Task.objects.count() == sent


def test_a_refusal_raised_outside_an_endpoint_keeps_its_status_and_words():
    r = client_for("county_kq").get("/api/v1/cases/indicators?start=明天&end=2026-11-01")
    assert r.status_code == 400 and r.json()["detail"] == "日期格式应为 YYYY-MM-DD"
