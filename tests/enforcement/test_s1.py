"""S1 end to end through the API: the holder of the power on the act's date drives the procedure."""

import pytest
from django.utils import timezone

from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from jiceng.workload.models import Task
from tests.conftest import client_for, user

from .helpers import PANJIANG, png, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


INTENDED = {"kinds": ["fine", "order_demolish"], "fine_amount": "5000"}
DECISION = {"note": "罚款并限期拆除", "kinds": ["fine", "order_demolish"], "fine_amount": "5000"}


def LAND() -> int:
    return user("land_pj").person.pk


def _open(client, act_date: str, party: str):
    r = post(
        client,
        API,
        {"power": "JC-CF-001", "party_name": party, "act_date": act_date, "facts": "挡住生产路"},
    )
    assert r.status_code == 201, r.content
    return r.json()


def _evidence(client, code: str, captured_by: int):
    r = client.post(
        f"{API}{code}/evidence",
        {"file": _file(), "captured_by": captured_by, "device": "执法记录仪 DSJ-PJ-003"},
    )
    assert r.status_code == 201, r.content
    return r.json()


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("现场.png", png(), content_type="image/png")


def _through_notify(client, code: str, land_id: int):
    for step in ("order-stop", "investigate"):
        assert post(client, f"{API}{code}/{step}").status_code == 200
    _evidence(client, code, land_id)
    r = post(client, f"{API}{code}/notify", {"note": "送达事先告知书", **INTENDED})
    assert r.status_code == 200, r.content
    return r.json()


def test_act_after_devolution_the_town_decides_itself(persona):
    captain = client_for("captain_pj")
    body = _open(captain, "2021-06-01", "李某")
    assert body["approval_required"] is False
    assert body["township"] == PANJIANG
    assert "2019-05-01" in body["holder_explanation"]
    assert "盘江镇综合执法队" in body["holder_explanation"]
    code = body["code"]
    after = _through_notify(captain, code, LAND())
    assert "submit" not in [o["name"] for o in after["options"]]
    refused = post(captain, f"{API}{code}/submit")
    assert refused.status_code == 409 and "无需报区级审批" in refused.json()["detail"]
    r = post(captain, f"{API}{code}/decide", {**DECISION, "waived": True})
    assert r.status_code == 200, r.content
    paid = {"method": "bank", "paid_amount": "5000", "paid_on": str(timezone.localdate())}
    for step, body in (("serve", {}), ("execute", paid), ("close", {})):
        r = post(captain, f"{API}{code}/{step}", body)
        assert r.status_code == 200, (step, r.content)
    final = r.json()
    assert final["state"] == "closed"
    names = [s["step"] for s in final["steps"]]
    assert names == [
        "open",
        "order_stop",
        "investigate",
        "evidence",
        "notify",
        "decide",
        "serve",
        "execute",
        "close",
    ]
    assert "approve" not in names


def test_act_before_devolution_needs_district_approval_first(persona):
    captain = client_for("captain_pj")
    district = persona("county_b")  # 沾益区综合行政执法局
    body = _open(captain, "2019-03-10", "王某")
    code = body["code"]
    assert body["approval_required"] is True
    assert body["approval_unit"] == "沾益区综合行政执法局"
    assert "2019-05-01" in body["holder_explanation"] and "审批" in body["holder_explanation"]
    _through_notify(captain, code, LAND())

    refused = post(captain, f"{API}{code}/decide", {**DECISION, "waived": True})
    assert refused.status_code == 409
    assert "沾益区综合行政执法局审批" in refused.json()["detail"]
    pc = PenaltyCase.objects.get(code=code)
    assert pc.state == "notified" and pc.decided_at is None and pc.decision == ""

    assert post(captain, f"{API}{code}/submit").status_code == 200
    task = Task.objects.get(source_key=f"enforcement:{pc.pk}:approval", state="open")
    assert task.assignee_unit.name == "沾益区综合行政执法局"
    # The town cannot approve its own case.
    own = post(captain, f"{API}{code}/approve")
    assert own.status_code == 403 and "沾益区综合行政执法局" in own.json()["detail"]
    refused = post(captain, f"{API}{code}/decide", {**DECISION, "waived": True})
    assert refused.status_code == 409

    assert post(district, f"{API}{code}/approve", {"note": "同意"}).status_code == 200
    task.refresh_from_db()
    assert task.state == "done"
    r = post(captain, f"{API}{code}/decide", {**DECISION, "waived": True})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "decided"
    steps = list(PenaltyStep.objects.filter(penalty_case=pc).values_list("step", flat=True))
    assert steps.index("submit") < steps.index("approve") < steps.index("decide")


def test_district_sends_it_back_for_more_investigation(persona):
    captain = client_for("captain_pj")
    code = _open(captain, "2019-03-10", "赵某")["code"]
    _through_notify(captain, code, LAND())
    post(captain, f"{API}{code}/submit")
    empty = post(persona("county_b"), f"{API}{code}/reject", {"note": " "})
    assert empty.status_code == 400 and "退回理由" in empty.json()["detail"]
    r = post(persona("county_b"), f"{API}{code}/reject", {"note": "证据不足，补充调查"})
    assert r.status_code == 200
    assert r.json()["state"] == "investigating"


def test_decision_waits_for_the_hearing_window_unless_waived(persona):
    captain = client_for("captain_pj")
    code = _open(captain, "2021-06-01", "钱某")["code"]
    _through_notify(captain, code, LAND())
    r = post(captain, f"{API}{code}/decide", DECISION)
    assert r.status_code == 409 and "第六十四条" in r.json()["detail"]
    assert PenaltyCase.objects.get(code=code).state == "notified"
