"""听证 (第六十三、六十四条): the notice says whether the intended penalty carries the right; a
request within 5 working days holds the decision until the hearing is held (by someone who did
not investigate, 7 working days after the request at the earliest) or the request is withdrawn."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement import clocks
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from tests.conftest import client_for, user

from .helpers import WARNING, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
FINE = {"kinds": ["fine"], "fine_amount": "6000"}  # 较大数额 for a citizen (platform default 5000)


def _notified(intended=FINE, days_ago=0):
    pc = open_case()
    captain = client_for("captain_pj")
    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    r = post(captain, f"{API}{pc.code}/notify", intended)
    assert r.status_code == 200, r.content
    if days_ago:
        then = timezone.now() - dt.timedelta(days=days_ago)
        until = clocks.deadline("hearing", then)
        PenaltyCase.objects.filter(pk=pc.pk).update(notified_at=then, hearing_until=until)
    return pc, captain


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat()


@pytest.mark.parametrize(
    "intended,right",
    [
        (FINE, True),
        ({"kinds": ["fine"], "fine_amount": "4999"}, False),
        ({"kinds": ["revoke_licence"]}, True),
        ({"kinds": ["suspend_business", "warning"]}, True),
        (WARNING, False),
        ({**WARNING, "hearing_offered": True}, True),  # 其他较重的行政处罚
    ],
)
def test_the_notice_says_whether_the_penalty_carries_the_right(intended, right):
    pc, captain = _notified(intended)
    body = captain.get(f"{API}{pc.code}").json()
    assert body["hearing_right"] is right
    step = PenaltyStep.objects.get(penalty_case=pc, step="notify")
    assert step.data["hearing_right"] is right
    assert step.data["penalty_kinds"] == intended["kinds"]


def test_a_request_holds_the_decision_until_the_hearing_and_the_hearing_is_major():
    pc, captain = _notified(days_ago=20)
    requested = timezone.now() - dt.timedelta(days=19)
    r = post(captain, f"{API}{pc.code}/hearing-request", {"at": _iso(requested)})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["hearing_earliest"] == str(
        timezone.localtime(clocks.deadline("hearing_notice", requested)).date()
    )
    decide = {"note": "罚款", **FINE, "waived": True}
    r = post(captain, f"{API}{pc.code}/decide", decide)
    assert r.status_code == 409 and "须举行听证或当事人撤回申请" in r.json()["detail"]
    option = next(o for o in body["options"] if o["name"] == "decide")
    assert "须举行听证" in option["refusal"]

    # The chair may not be someone who investigated: the captain did, 沈国土 captured evidence.
    for who in ("captain_pj", "land_pj"):
        hold = {"at": _iso(timezone.now()), "host": user(who).person.pk, "note": "听证笔录"}
        r = post(captain, f"{API}{pc.code}/hearing-hold", hold)
        assert r.status_code == 400 and "参与了本案调查" in r.json()["detail"], who
    early = {"at": _iso(requested + dt.timedelta(days=1)), "host": user("leader_pj").person.pk}
    r = post(captain, f"{API}{pc.code}/hearing-hold", {**early, "note": "听证笔录"})
    assert r.status_code == 400 and "七个工作日" in r.json()["detail"]
    assert PenaltyCase.objects.get(pk=pc.pk).hearing_held_at is None

    held = timezone.now() - dt.timedelta(days=1)
    hold = {"at": _iso(held), "host": user("leader_pj").person.pk, "note": "当事人到场陈述"}
    r = post(captain, f"{API}{pc.code}/hearing-hold", hold)
    assert r.status_code == 200, r.content
    assert r.json()["hearing_host"] == "卫镇长"
    # A hearing held makes the decision 重大 (第五十八条第一款第二项): the review comes first.
    r = post(captain, f"{API}{pc.code}/decide", {**decide, "waived": False})
    assert r.status_code == 409 and "经过听证程序" in r.json()["detail"]
    review = {"result": "passed", "note": "同意"}
    assert post(client_for("legal_pj"), f"{API}{pc.code}/legal-review", review).status_code == 200
    r = post(captain, f"{API}{pc.code}/decide", {**decide, "waived": False})
    assert r.status_code == 200, r.content
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "当事人到场陈述" in page and "卫镇长" in page


def test_a_late_request_is_refused_with_the_date():
    pc, captain = _notified(days_ago=30)
    until = PenaltyCase.objects.get(pk=pc.pk).hearing_until
    audits = AuditEvent.objects.count()
    r = post(captain, f"{API}{pc.code}/hearing-request", {"note": "当事人来电"})
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert timezone.localtime(until).strftime("%Y-%m-%d %H:%M") in detail and "届满" in detail
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.hearing_requested_at is None and AuditEvent.objects.count() == audits
    assert not PenaltyStep.objects.filter(penalty_case=pc, step="hearing_request").exists()


def test_no_request_when_the_penalty_carries_no_right():
    pc, captain = _notified(WARNING)
    r = post(captain, f"{API}{pc.code}/hearing-request")
    assert r.status_code == 409 and "不属于听证范围" in r.json()["detail"]


def test_a_withdrawn_request_lets_the_decision_follow():
    pc, captain = _notified()
    none = post(captain, f"{API}{pc.code}/hearing-withdraw", {"note": "书面撤回"})
    assert none.status_code == 409 and "没有待举行的听证申请" in none.json()["detail"]
    assert post(captain, f"{API}{pc.code}/hearing-request").status_code == 200
    again = post(captain, f"{API}{pc.code}/hearing-request")
    assert again.status_code == 409 and "已要求过听证" in again.json()["detail"]
    empty = post(captain, f"{API}{pc.code}/hearing-withdraw", {"note": " "})
    assert empty.status_code == 400
    assert (
        post(captain, f"{API}{pc.code}/hearing-withdraw", {"note": "书面撤回"}).status_code == 200
    )
    # Withdrawn: no need to wait for the rest of the 5 days, nor to tick "waived".
    r = post(captain, f"{API}{pc.code}/decide", {"note": "罚款", **FINE})
    assert r.status_code == 200, r.content


def test_a_heavier_decision_needs_a_new_notice_which_a_hearing_request_stops():
    pc, captain = _notified(WARNING)
    r = post(captain, f"{API}{pc.code}/decide", {"note": "罚款", **FINE, "waived": True})
    assert r.status_code == 409 and "请重新告知" in r.json()["detail"]
    r = post(captain, f"{API}{pc.code}/notify", FINE)  # 重新告知
    assert r.status_code == 200 and r.json()["hearing_right"] is True
    assert post(captain, f"{API}{pc.code}/hearing-request").status_code == 200
    r = post(captain, f"{API}{pc.code}/notify", WARNING)
    assert r.status_code == 409 and "已要求听证" in r.json()["detail"]


def test_only_an_officer_of_the_town_records_the_hearing(persona):
    pc, _captain = _notified()
    r = post(persona("staff_b"), f"{API}{pc.code}/hearing-request")
    assert r.status_code == 403 and "执法人员" in r.json()["detail"]
    assert PenaltyCase.objects.get(pk=pc.pk).hearing_requested_at is None


def test_the_page_offers_the_hearing_steps_and_takes_a_request():
    pc, _captain = _notified()
    client = client_for("captain_pj")
    page = client.get(f"/enforcement/{pc.code}/").content.decode()
    assert f"/enforcement/{pc.code}/act/hearing_request/" in page and "已告知听证权利" in page
    r = client.post(f"/enforcement/{pc.code}/act/hearing_request/", {"at": "", "note": "来访"})
    assert r.status_code == 302
    page = client.get(f"/enforcement/{pc.code}/").content.decode()
    assert "最早听证日期" in page and f"/enforcement/{pc.code}/act/hearing_hold/" in page
