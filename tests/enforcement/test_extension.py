"""Extending the 90-day limit to decide (第六十条: 另有规定的，从其规定): once, by the leader, before
it runs out, with the reason and its basis; the first limit is kept and both are shown."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from tests.conftest import client_for

from .helpers import open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
BASIS = "案情复杂，依据《市场监督管理行政处罚程序规定》第六十四条经负责人批准延长"


def _later(pc, days: int) -> str:
    return str(pc.decision_last_day + dt.timedelta(days=days))


def test_the_leader_extends_once_and_the_clock_shows_both_limits():
    pc = open_case()
    first = pc.decision_due_at
    leader = client_for("leader_pj")
    r = post(leader, f"{API}{pc.code}/extend", {"due_on": _later(pc, 30), "note": BASIS})
    assert r.status_code == 200, r.content
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.decision_due_original == first
    assert fresh.decision_last_day == pc.decision_last_day + dt.timedelta(days=30)
    assert fresh.decision_extension_reason == BASIS
    assert PenaltyStep.objects.get(penalty_case=pc, step="extend").data == {
        "due_on": _later(pc, 30)
    }
    page = leader.get(f"/enforcement/{pc.code}/").content.decode()
    assert "已延长" in page and str(pc.decision_last_day) in page and _later(pc, 30) in page
    again = post(leader, f"{API}{pc.code}/extend", {"due_on": _later(pc, 60), "note": BASIS})
    assert again.status_code == 409 and "已延长过一次" in again.json()["detail"]


@pytest.mark.parametrize(
    "body,status,message",
    [
        ({"due_on": None, "note": BASIS}, 400, "延长后的作出决定期限"),
        ({"due_on": "LATER", "note": " "}, 400, "理由和所依据"),
        ({"due_on": "SAME", "note": BASIS}, 400, "须晚于原期限"),
    ],
)
def test_bad_extensions_change_nothing(body, status, message):
    pc = open_case()
    body = {**body, "due_on": {"LATER": _later(pc, 10), "SAME": _later(pc, 0)}.get(body["due_on"])}
    audits = AuditEvent.objects.count()
    r = post(client_for("leader_pj"), f"{API}{pc.code}/extend", body)
    assert r.status_code == status and message in r.json()["detail"]
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.decision_due_at == pc.decision_due_at and fresh.decision_extended_at is None
    assert AuditEvent.objects.count() == audits


def test_only_the_leader_and_not_after_the_limit_ran_out(persona):
    pc = open_case()
    body = {"due_on": _later(pc, 30), "note": BASIS}
    r = post(persona("staff_b"), f"{API}{pc.code}/extend", body)
    assert r.status_code == 403 and "分管领导" in r.json()["detail"]
    past = timezone.now() - dt.timedelta(days=1)
    PenaltyCase.objects.filter(pk=pc.pk).update(decision_due_at=past)
    r = post(client_for("leader_pj"), f"{API}{pc.code}/extend", body)
    assert r.status_code == 409 and "届满" in r.json()["detail"]


def test_the_page_offers_the_extension_to_the_leader():
    pc = open_case()
    page = client_for("leader_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert f"/enforcement/{pc.code}/act/extend/" in page
    r = client_for("leader_pj").post(
        f"/enforcement/{pc.code}/act/extend/", {"due_on": _later(pc, 15), "note": BASIS}
    )
    assert r.status_code == 302
    assert PenaltyCase.objects.get(pk=pc.pk).decision_extended_at is not None
    officer = client_for("captain_pj")  # also a leader of 盘江镇: may see it but not twice
    assert "/act/extend/" not in officer.get(f"/enforcement/{pc.code}/").content.decode()
