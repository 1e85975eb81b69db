"""听证 (第六十三、六十四条): the notice says whether the intended penalty carries the right; a
request within 5 working days holds the decision until the hearing is held (noticed 7 working days
before, at or after the time noticed, by someone who did not investigate) or is withdrawn."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement import clocks, hearing
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from tests.conftest import client_for, user

from .helpers import WARNING, add_evidence, hearing_record, open_case, post

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

    # No hearing before the party was told its time and place (第六十四条第二项).
    held = timezone.now() - dt.timedelta(days=1)
    hold = {"at": _iso(held), "host": user("leader_pj").person.pk, **hearing_record()}
    r = post(captain, f"{API}{pc.code}/hearing-hold", hold)
    assert r.status_code == 409 and "尚未通知当事人" in r.json()["detail"]
    option = next(o for o in body["options"] if o["name"] == "hearing_hold")
    assert "尚未通知当事人" in option["refusal"]  # shown disabled with the reason

    # The chair may not be someone who investigated: the captain did, 沈国土 captured evidence.
    asked_on = str(timezone.localtime(requested).date())
    notice = {"at": _iso(held), "place": "镇政府会议室", "served_on": asked_on}
    for who in ("captain_pj", "land_pj"):
        r = post(captain, f"{API}{pc.code}/hearing-notice", {**notice, "host": user(who).person.pk})
        assert r.status_code == 400 and "参与了本案调查" in r.json()["detail"], who
    early = {**notice, "at": _iso(requested + dt.timedelta(days=1))}
    r = post(
        captain, f"{API}{pc.code}/hearing-notice", {**early, "host": user("leader_pj").person.pk}
    )
    assert r.status_code == 400 and "七个工作日" in r.json()["detail"]
    assert f"通知于{asked_on}送达" in r.json()["detail"]
    assert PenaltyCase.objects.get(pk=pc.pk).hearing_scheduled_at is None

    notice = {**notice, "host": user("leader_pj").person.pk}
    r = post(captain, f"{API}{pc.code}/hearing-notice", notice)
    assert r.status_code == 200, r.content
    assert r.json()["hearing_place"] == "镇政府会议室" and r.json()["hearing_chair"] == "卫镇长"
    # ... and the chair named at the hearing is checked again
    for who in ("captain_pj", "land_pj"):
        hold = {"at": _iso(held), "host": user(who).person.pk, **hearing_record()}
        r = post(captain, f"{API}{pc.code}/hearing-hold", hold)
        assert r.status_code == 400 and "参与了本案调查" in r.json()["detail"], who
    before = {"at": _iso(held - dt.timedelta(hours=1)), **hearing_record()}
    r = post(captain, f"{API}{pc.code}/hearing-hold", before)
    assert r.status_code == 400 and "不能早于通知的时间" in r.json()["detail"]
    assert PenaltyCase.objects.get(pk=pc.pk).hearing_held_at is None

    hold = {
        "at": _iso(held),
        "host": user("leader_pj").person.pk,
        **hearing_record(),
        "note": "当事人到场陈述",
    }
    r = post(captain, f"{API}{pc.code}/hearing-hold", hold)
    assert r.status_code == 200, r.content
    assert r.json()["hearing_host"] == "卫镇长"
    # 第六十五条: the decision follows the record — the chair's report first; only the chair.
    r = post(captain, f"{API}{pc.code}/decide", {**decide, "waived": False})
    assert r.status_code == 409 and "须先由听证主持人作出听证报告" in r.json()["detail"]
    report = {"facts": "事实清楚", "law": "适用法律正确", "proposal": "同意罚款"}
    r = post(captain, f"{API}{pc.code}/hearing-report", report)
    assert r.status_code == 403 and "卫镇长" in r.json()["detail"]
    r = post(client_for("leader_pj"), f"{API}{pc.code}/hearing-report", report)
    assert r.status_code == 200, r.content
    # A hearing held makes the decision 重大 (第五十八条第一款第二项): the review comes first.
    r = post(captain, f"{API}{pc.code}/decide", {**decide, "waived": False})
    assert r.status_code == 409 and "经过听证程序" in r.json()["detail"]
    review = {"result": "passed", "note": "同意"}
    assert post(client_for("legal_pj"), f"{API}{pc.code}/legal-review", review).status_code == 200
    r = post(captain, f"{API}{pc.code}/decide", {**decide, "waived": False})
    assert r.status_code == 200, r.content
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "当事人到场陈述" in page and "卫镇长" in page and "镇政府会议室" in page


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
    assert r.status_code == 409 and "第四十五条" in r.json()["detail"]
    assert "重新告知" in r.json()["detail"]
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
    assert "最早听证日期" in page and f"/enforcement/{pc.code}/act/hearing_notice/" in page
    assert f"/enforcement/{pc.code}/act/hearing_hold/" in page  # offered, disabled until noticed
    assert "尚未通知当事人" in page


def _requested(days_ago=20):
    pc, captain = _notified(days_ago=days_ago)
    asked = timezone.now() - dt.timedelta(days=days_ago - 1)
    assert post(captain, f"{API}{pc.code}/hearing-request", {"at": _iso(asked)}).status_code == 200
    return pc, captain, timezone.localtime(asked).date()


def test_a_new_notice_replaces_the_schedule_and_both_stay_in_the_history():
    pc, captain, asked_on = _requested()
    chair = user("leader_pj").person.pk
    first = timezone.now() - dt.timedelta(days=3)
    second = timezone.now() - dt.timedelta(days=1)
    notice = {"place": "村委会", "host": chair, "served_on": str(asked_on)}
    r = post(captain, f"{API}{pc.code}/hearing-notice", {**notice, "at": _iso(first)})
    assert r.status_code == 200, r.content
    r = post(
        captain, f"{API}{pc.code}/hearing-notice", {**notice, "at": _iso(second), "place": "镇政府"}
    )
    assert r.status_code == 200 and r.json()["hearing_place"] == "镇政府"
    steps = PenaltyStep.objects.filter(penalty_case=pc, step="hearing_notice").order_by("seq")
    assert [s.data["place"] for s in steps] == ["村委会", "镇政府"]
    assert steps[0].data["replaces"] is None
    assert dt.datetime.fromisoformat(steps[1].data["replaces"]) == first
    assert timezone.localtime(PenaltyCase.objects.get(pk=pc.pk).hearing_scheduled_at).date() == (
        timezone.localtime(second).date()
    )
    # the first time no longer counts: holding then is before the time noticed now
    r = post(captain, f"{API}{pc.code}/hearing-hold", {"at": _iso(first), **hearing_record()})
    assert r.status_code == 400 and "不能早于通知的时间" in r.json()["detail"]
    r = post(captain, f"{API}{pc.code}/hearing-hold", {"at": _iso(second), **hearing_record()})
    assert r.status_code == 200 and r.json()["hearing_host"] == "卫镇长"  # the noticed chair
    again = post(captain, f"{API}{pc.code}/hearing-notice", {**notice, "at": _iso(second)})
    assert again.status_code == 409 and "没有待举行的听证申请" in again.json()["detail"]
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert 'id="hearing-notice"' in page and "镇政府" in page


@pytest.mark.parametrize(
    "change,message",
    [
        ({"place": " "}, "请填写听证地点"),
        ({"at": None}, "请填写通知的听证时间"),
        ({"served_on": None}, "送达当事人的日期"),
        ({"host": None}, "听证主持人须为本乡镇街道的工作人员"),
        ({"served_on": "2099-01-01"}, "不能晚于今天"),
        ({"served_on": "2020-01-01"}, "不能早于当事人要求听证的日期"),
    ],
)
def test_a_bad_notice_is_refused_and_nothing_is_written(change, message):
    pc, captain, asked_on = _requested()
    audits = AuditEvent.objects.count()
    notice = {
        "at": _iso(timezone.now()),
        "place": "镇政府",
        "host": user("leader_pj").person.pk,
        "served_on": str(asked_on),
    }
    r = post(captain, f"{API}{pc.code}/hearing-notice", {**notice, **change})
    assert r.status_code == 400 and message in r.json()["detail"], r.content
    assert PenaltyCase.objects.get(pk=pc.pk).hearing_scheduled_at is None
    assert AuditEvent.objects.count() == audits
    assert not PenaltyStep.objects.filter(penalty_case=pc, step="hearing_notice").exists()


def test_a_notice_served_too_late_names_the_dates():
    pc, captain, _asked_on = _requested()
    served = timezone.localdate() - dt.timedelta(days=2)
    earliest = hearing.notice_earliest(served)
    r = post(
        captain,
        f"{API}{pc.code}/hearing-notice",
        {
            "at": _iso(timezone.now()),
            "place": "镇政府",
            "host": user("leader_pj").person.pk,
            "served_on": str(served),
        },
    )
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert f"通知于{served}送达" in detail and f"听证最早为{earliest}" in detail
    assert earliest > timezone.localdate()  # two days is not seven working days
    assert PenaltyCase.objects.get(pk=pc.pk).hearing_scheduled_at is None


def test_the_notice_is_audited_and_taken_on_the_page():
    pc, _captain, asked_on = _requested()
    client = client_for("captain_pj")
    at = timezone.localtime(timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "at": at,
        "place": "镇政府二楼",
        "host": user("leader_pj").person.pk,
        "served_on": asked_on,
    }
    r = client.post(f"/enforcement/{pc.code}/act/hearing_notice/", form)
    assert r.status_code == 302
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.hearing_place == "镇政府二楼" and fresh.hearing_notice_served_on == asked_on
    event = AuditEvent.objects.filter(verb="enforcement.hearing_notice").latest("id")
    assert event.before["hearing_place"] == "" and event.after["hearing_place"] == "镇政府二楼"
    page = client.get(f"/enforcement/{pc.code}/").content.decode()
    assert "镇政府二楼" in page and "通知送达" in page
