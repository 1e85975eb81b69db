"""The API replays S6: draft, approve, run, and the refusals, each with its reason."""

import pytest
from django.utils import timezone

from jiceng.assessment.models import AssessmentItem, Inspection
from tests.conftest import client_for

from .helpers import unit

pytestmark = pytest.mark.django_db
J = "application/json"


def item_body(**extra):
    return {
        "name": "综合执法工作考核",
        "year": timezone.localdate().year,
        "target": "township",
        "indicators": [
            {"name": "执法办案质量", "points": 70, "method": "抽查案卷"},
            {"name": "群众满意度", "points": 30},
        ],
        **extra,
    }


def test_draft_approve_run_over_the_api():
    issuer, approver = client_for("assessor_kq"), client_for("kaohe_kq")
    r = issuer.post("/api/v1/assessment/items", item_body(), content_type=J)
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["status"] == "draft" and item["issuer"] == "柯桥区委宣传部"
    pk = item["id"]
    street = unit("柯岩街道办事处").pk
    early = issuer.post(
        f"/api/v1/assessment/items/{pk}/inspections",
        {"units": [street], "kind": "check"},
        content_type=J,
    )
    assert early.status_code == 400 and "未经批准" in early.json()["detail"]
    assert issuer.post(f"/api/v1/assessment/items/{pk}/submit").json()["status"] == "submitted"
    own = issuer.post(f"/api/v1/assessment/items/{pk}/approve", {"document": "x"}, content_type=J)
    assert own.status_code == 403
    ok = approver.post(
        f"/api/v1/assessment/items/{pk}/approve",
        {"document": "柯考核办〔2026〕3号"},
        content_type=J,
    )
    assert ok.status_code == 200 and ok.json()["indicators_intact"] is True
    frozen = issuer.put(f"/api/v1/assessment/items/{pk}", item_body(), content_type=J)
    assert frozen.status_code == 400 and "指标已冻结" in frozen.json()["detail"]
    run = issuer.post(
        f"/api/v1/assessment/items/{pk}/inspections",
        {"units": [street], "kind": "supervision"},
        content_type=J,
    )
    assert run.status_code == 201 and run.json()[0]["unit"] == "柯岩街道办事处"
    # the street sees the check in its inbox, and the approved item that caused it
    inbox = client_for("dispatcher_ky").get("/api/v1/workload/tasks?kind=assessment").json()
    assert [t["subject"] for t in inbox] == ["综合执法工作考核（督查）"]
    assert client_for("leader_ky").get(f"/api/v1/assessment/items/{pk}").status_code == 200
    # another county sees none of it
    assert client_for("county_zy").get(f"/api/v1/assessment/items/{pk}").status_code == 404
    assert client_for("county_zy").get("/api/v1/assessment/items").json() == []


def test_refusals_over_the_api_change_nothing():
    issuer = client_for("assessor_kq")
    veto = issuer.post("/api/v1/assessment/items", item_body(one_vote_veto=True), content_type=J)
    assert veto.status_code == 400 and "一票否决" in veto.json()["detail"]
    unknown = issuer.post(
        "/api/v1/assessment/items", item_body(veto_authorization=99999), content_type=J
    )
    assert unknown.status_code == 400
    wrong = issuer.post("/api/v1/assessment/items", item_body(target="village"), content_type=J)
    assert wrong.status_code == 400 and "考核对象" in wrong.json()["detail"]
    station = client_for("police_ky").post("/api/v1/assessment/items", item_body(), content_type=J)
    assert station.status_code == 403
    assert not AssessmentItem.objects.exists() and not Inspection.objects.exists()


def test_the_item_list_reads_indicators_once_however_many_items():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .helpers import approved

    api = client_for("assessor_kq")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/assessment/items").status_code == 200
        return len(ctx.captured_queries)

    approved(name="一")
    one = queries()
    for name in ("二", "三", "四"):
        approved(name=name)
    assert queries() == one
    assert all(i["indicators_intact"] for i in api.get("/api/v1/assessment/items").json())
