"""不予处罚 (第三十三条) and 撤销立案: by the leader, from allowed states only; 不予处罚 is served and
closed without execution; 撤销立案 ends the case."""

import pytest

from jiceng.core.models import AuditEvent
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from jiceng.workload.models import Task
from tests.conftest import client_for

from .helpers import BEFORE, WARNING, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
MINOR = {"ground": "first_minor", "note": "首次违法，已自行拆除", "kinds": ["order_correct"]}


def _investigating(act_date=None):
    pc = open_case(act_date=act_date) if act_date else open_case()
    captain = client_for("captain_pj")
    assert post(captain, f"{API}{pc.code}/investigate").status_code == 200
    return pc, captain


def _same(pc, state: str, steps: int, audits: int):
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.state == state and fresh.outcome == "" and fresh.cancelled_at is None
    assert PenaltyStep.objects.filter(penalty_case=pc).count() == steps
    assert AuditEvent.objects.count() == audits


def test_no_penalty_is_served_and_closed_without_execution():
    pc, captain = _investigating()
    r = post(captain, f"{API}{pc.code}/no-penalty", MINOR)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "decided" and body["outcome"] == "no_penalty"
    assert body["no_penalty_ground"] == "first_minor" and body["penalty_kinds"] == ["order_correct"]
    assert body["serve_due_at"] is not None
    assert "execute" not in [o["name"] for o in body["options"]]
    assert post(captain, f"{API}{pc.code}/serve").status_code == 200
    r = post(captain, f"{API}{pc.code}/execute")
    assert r.status_code == 409 and "无需执行" in r.json()["detail"]
    r = post(captain, f"{API}{pc.code}/close")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "不予行政处罚" in page and "初次违法且危害后果轻微" in page


def test_a_penalty_is_not_closed_before_it_is_executed():
    pc, captain = _investigating()
    add_evidence(pc)
    post(captain, f"{API}{pc.code}/notify", WARNING)
    body = {"note": "警告", "kinds": ["warning"], "waived": True}
    assert post(captain, f"{API}{pc.code}/decide", body).status_code == 200
    post(captain, f"{API}{pc.code}/serve")
    r = post(captain, f"{API}{pc.code}/close")
    assert r.status_code == 409 and "尚未执行" in r.json()["detail"]


@pytest.mark.parametrize(
    "body,message",
    [
        ({**MINOR, "ground": ""}, "请选择不予处罚的法定情形"),
        ({**MINOR, "ground": "feels_small"}, "请选择不予处罚的法定情形"),
        ({**MINOR, "note": " "}, "事实和理由"),
        ({**MINOR, "kinds": ["fine"]}, "不能有「fine」"),
    ],
)
def test_no_penalty_bad_input_is_400_and_nothing_written(body, message):
    pc, captain = _investigating()
    audits = AuditEvent.objects.count()
    r = post(captain, f"{API}{pc.code}/no-penalty", body)
    assert r.status_code == 400 and message in r.json()["detail"]
    _same(pc, "investigating", 2, audits)


def test_only_the_leader_decides_no_penalty_or_cancels(persona):
    pc = open_case()
    officer = client_for("handler_ky")  # 柯岩 officer: not even in scope
    assert (
        post(officer, f"{API}{pc.code}/cancel", {"ground": "other", "note": "x"}).status_code == 404
    )
    from jiceng.org.models import PersonRole
    from tests.conftest import user

    # An officer of 盘江镇 who is not its leader.
    land = user("land_pj").person
    PersonRole.objects.create(person=land, role="enforcement_officer")
    audits = AuditEvent.objects.count()
    land_client = client_for("land_pj")
    r = post(land_client, f"{API}{pc.code}/cancel", {"ground": "facts_fail", "note": "查无实据"})
    assert r.status_code == 403 and "分管领导" in r.json()["detail"]
    post(client_for("captain_pj"), f"{API}{pc.code}/investigate")
    audits = AuditEvent.objects.count()
    r = post(land_client, f"{API}{pc.code}/no-penalty", MINOR)
    assert r.status_code == 403 and "分管领导" in r.json()["detail"]
    _same(pc, "investigating", 2, audits)


def test_no_penalty_not_from_a_forbidden_state():
    pc = open_case()  # 立案 only: investigate first
    audits = AuditEvent.objects.count()
    r = post(client_for("leader_pj"), f"{API}{pc.code}/no-penalty", MINOR)
    assert r.status_code == 409 and "不能作出不予处罚决定" in r.json()["detail"]
    _same(pc, "filed", 1, audits)


def test_no_penalty_in_a_district_case_waits_for_the_approval():
    pc, captain = _investigating(act_date=BEFORE)
    r = post(captain, f"{API}{pc.code}/no-penalty", MINOR)
    assert r.status_code == 409 and "沾益区综合行政执法局审批" in r.json()["detail"]


def test_cancel_ends_the_case_and_takes_it_out_of_the_district_inbox(persona):
    pc, captain = _investigating(act_date=BEFORE)
    add_evidence(pc)
    post(captain, f"{API}{pc.code}/notify", WARNING)
    post(captain, f"{API}{pc.code}/submit")
    key = f"enforcement:{pc.pk}:approval"
    assert Task.objects.get(source_key=key).state == "open"
    empty = post(captain, f"{API}{pc.code}/cancel", {"ground": "not_ours", "note": ""})
    assert empty.status_code == 400 and "撤销立案的理由" in empty.json()["detail"]
    body = {"ground": "not_ours", "note": "经核实属相邻乡镇辖区"}
    r = post(captain, f"{API}{pc.code}/cancel", body)
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["state"] == "cancelled" and out["cancel_reason"] == "经核实属相邻乡镇辖区"
    assert out["options"] == []
    assert Task.objects.get(source_key=key).state == "done"
    for step, again in [("investigate", {}), ("cancel", body), ("no-penalty", MINOR)]:
        r = post(captain, f"{API}{pc.code}/{step}", again)
        assert r.status_code == 409, step
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "已撤销立案" in page and "经核实属相邻乡镇辖区" in page
    assert pc.code not in [c["code"] for c in captain.get(f"{API}?state=open").json()]


def test_cancel_not_after_the_decision():
    pc, captain = _investigating()
    post(captain, f"{API}{pc.code}/no-penalty", MINOR)
    audits = AuditEvent.objects.count()
    r = post(captain, f"{API}{pc.code}/cancel", {"ground": "other", "note": "改变主意"})
    assert r.status_code == 409 and "不能撤销立案" in r.json()["detail"]
    assert PenaltyCase.objects.get(pk=pc.pk).state == "decided"
    assert AuditEvent.objects.count() == audits


def test_the_page_offers_no_penalty_and_cancel_to_the_leader_only():
    pc, captain = _investigating()
    leader = client_for("leader_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert f"/enforcement/{pc.code}/act/no_penalty/" in leader
    assert f"/enforcement/{pc.code}/act/cancel/" in leader
    dispatcher = client_for("dispatcher_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert "/act/cancel/" not in dispatcher
    r = client_for("leader_pj").post(
        f"/enforcement/{pc.code}/act/cancel/", {"ground": "facts_fail", "note": "查无实据"}
    )
    assert r.status_code == 302
    assert PenaltyCase.objects.get(pk=pc.pk).state == "cancelled"
