"""第七十一条: a fine collected on the spot reaches the agency within 2 working days (on water, of
reaching the shore); the hand-in is a step, late is shown, the sweep puts it in the team's inbox,
and the case is not closed before it."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.core.calendar import add_working_days
from jiceng.core.models import AuditEvent
from jiceng.enforcement.actions import sweep_overdue
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from jiceng.workload.models import Task
from tests.conftest import client_for

from .helpers import post
from .test_payment import execute, on_spot_body, served_general, served_summary, today

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def collected(**change):
    pc = served_summary()
    r = execute(pc, on_spot_body(**change))
    assert r.status_code == 200, r.content
    return PenaltyCase.objects.get(pk=pc.pk)


def hand_in(pc, body, who="captain_pj"):
    return post(client_for(who), f"{API}{pc.code}/hand-in", body)


def _clock_tasks(pc):
    return Task.objects.filter(source_key__startswith=f"enforcement:{pc.pk}:clock:")


def _nine(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def test_two_working_days_from_collection_then_handed_in_on_time_and_closed():
    pc = collected()
    assert pc.handin_due_at == add_working_days(_nine(timezone.localdate()), 2)
    assert pc.current_due() == pc.handin_due_at and pc.handin_pending
    leader = client_for("leader_pj")
    r = post(leader, f"{API}{pc.code}/close")
    assert r.status_code == 409 and "第七十一条" in r.json()["detail"]
    options = {
        o["name"]: o for o in client_for("captain_pj").get(f"{API}{pc.code}").json()["options"]
    }
    assert options["hand_in"]["refusal"] == ""
    r = hand_in(pc, {"handed_in_on": today(), "handed_to": "镇财政所 李出纳"})
    assert r.status_code == 200, r.content
    assert r.json()["handed_in_on"] == today() and r.json()["handin_late"] is False
    step = PenaltyStep.objects.get(penalty_case=pc, step="hand_in")
    assert step.data["late"] is False and step.data["handed_to"] == "镇财政所 李出纳"
    row = AuditEvent.objects.get(verb="enforcement.hand_in", object_id=str(pc.pk))
    assert row.before["handed_in_on"] is None and row.after["handed_in_to"] == "镇财政所 李出纳"
    again = hand_in(pc, {"handed_in_on": today(), "handed_to": "又一次"})
    assert again.status_code == 409 and "已于" in again.json()["detail"]
    assert post(leader, f"{API}{pc.code}/close").status_code == 200


def test_past_the_limit_the_case_is_overdue_in_the_inbox_and_a_late_hand_in_is_marked():
    pc = collected()
    due = timezone.now() - dt.timedelta(days=1)
    PenaltyCase.objects.filter(pk=pc.pk).update(
        handin_due_at=due, paid_on=timezone.localdate() - dt.timedelta(days=5)
    )
    pc.refresh_from_db()
    assert pc.is_overdue()
    assert sweep_overdue() == 1
    (task,) = _clock_tasks(pc)
    assert "交至行政机关的时限" in task.subject and task.assignee_unit == pc.handling_unit
    captain = client_for("captain_pj")
    assert pc.code in captain.get("/inbox/").content.decode()
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "逾期未交款" in page.split('id="hand-in"', 1)[1].split("</p>", 1)[0]
    listing = captain.get("/enforcement/").content.decode()
    assert "已超期" in listing.split(pc.code, 2)[2].split("</tr>", 1)[0]

    r = hand_in(pc, {"handed_in_on": today(), "handed_to": "镇财政所"})
    assert r.status_code == 200 and r.json()["handin_late"] is True
    task.refresh_from_db()
    assert task.state == "done"
    pc.refresh_from_db()
    assert not pc.is_overdue() and sweep_overdue() == 0
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "逾期交款" in page.split('id="hand-in"', 1)[1].split("</p>", 1)[0]


def test_the_team_is_reminded_the_day_before():
    pc = collected()
    PenaltyCase.objects.filter(pk=pc.pk).update(
        handin_due_at=timezone.now() + dt.timedelta(hours=5)
    )
    assert sweep_overdue() == 1
    (task,) = _clock_tasks(pc)
    assert "将于" in task.subject and "交至行政机关" in task.subject


def test_on_water_the_two_days_run_from_the_shore():
    shore = timezone.localdate()
    pc = collected(ashore_on=str(shore))
    assert pc.ashore_on == shore
    assert pc.handin_due_at == add_working_days(_nine(shore), 2)
    pc2 = served_summary()
    audits = AuditEvent.objects.count()
    r = execute(pc2, on_spot_body(ashore_on=str(shore + dt.timedelta(days=1))))
    assert r.status_code == 400 and "抵岸日期" in r.json()["detail"]
    assert AuditEvent.objects.count() == audits
    assert PenaltyCase.objects.get(pk=pc2.pk).state == "served"


@pytest.mark.parametrize(
    "body,status,message",
    [
        ({"handed_to": "镇财政所"}, 400, "请填写交至行政机关的日期"),
        ({"handed_in_on": "today", "handed_to": " "}, 400, "交款接收人"),
        ({"handed_in_on": "tomorrow", "handed_to": "镇财政所"}, 400, "不能晚于今天"),
        ({"handed_in_on": "before", "handed_to": "镇财政所"}, 400, "不能早于收缴日期"),
    ],
)
def test_a_bad_hand_in_is_refused_and_nothing_is_written(body, status, message):
    pc = collected()
    days = {"today": 0, "tomorrow": 1, "before": -1}
    if "handed_in_on" in body:
        day = timezone.localdate() + dt.timedelta(days=days[body["handed_in_on"]])
        body = {**body, "handed_in_on": str(day)}
    steps, audits = PenaltyStep.objects.count(), AuditEvent.objects.count()
    r = hand_in(pc, body)
    assert r.status_code == status and message in r.json()["detail"], r.content
    assert (PenaltyStep.objects.count(), AuditEvent.objects.count()) == (steps, audits)
    assert PenaltyCase.objects.get(pk=pc.pk).handed_in_on is None


def test_no_hand_in_for_a_bank_payment_or_another_township():
    paid = served_general()
    assert (
        execute(paid, {"method": "bank", "paid_amount": "2000", "paid_on": today()}).status_code
        == 200
    )
    r = hand_in(paid, {"handed_in_on": today(), "handed_to": "镇财政所"})
    assert r.status_code == 409 and "未当场收缴" in r.json()["detail"]
    pc = collected()
    r = hand_in(pc, {"handed_in_on": today(), "handed_to": "镇财政所"}, who="handler_ky")
    assert r.status_code == 404
    assert PenaltyCase.objects.get(pk=pc.pk).handed_in_on is None


def test_the_page_records_the_hand_in_and_the_on_spot_document_names_the_receipt():
    pc = collected()
    captain = client_for("captain_pj")
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert 'name="handed_to"' in page and 'id="hand-in-due"' in page
    assert "待交款" in page.split('id="hand-in"', 1)[1].split("</p>", 1)[0]
    url = f"/enforcement/{pc.code}/act/hand_in/"
    r = captain.post(url, {"handed_in_on": today(), "handed_to": "镇财政所 李出纳"})
    assert r.status_code == 302
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "按时交款" in page and "镇财政所 李出纳" in page
    doc = captain.get(f"/enforcement/{pc.code}/documents/on-spot/").content.decode()
    assert "专用票据号码：云财票 No.0012345" in doc and "人民币50元" in doc
