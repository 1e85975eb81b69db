"""S10 · disputes (矛盾纠纷): a dispute is handled only once a mediation is on record, a planned
follow-up visit (回访) waits in the recorder's inbox, and the case closes only after it."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.cases.models import Case, MediationRecord
from jiceng.core.audit import AuditEvent
from jiceng.workload.models import Task
from tests.conftest import client_for, user

from .helpers import KEYAN, report, unit

pytestmark = pytest.mark.django_db
J = "application/json"


def post(who, code, step, body=None):
    return client_for(who).post(f"/api/v1/cases/{code}/{step}", body or {}, content_type=J)


def _dispute_in_hand() -> str:
    r = report(client_for("grid_ky"), category="D01", text="两户邻居因排水沟堵塞发生争吵")
    code = r.json()["code"]
    office = unit(KEYAN, "办事处")
    if Case.objects.get(code=code).status == "reported":
        assert post("dispatcher_ky", code, "register").status_code == 200
    r = post("dispatcher_ky", code, "dispatch", {"unit_id": office.pk})
    assert r.status_code == 200, r.json()
    assert post("dispatcher_ky", code, "accept").status_code == 200
    return code


MEDIATION = {
    "mediator": "王派遣",
    "parties": "张某、李某",
    "content": "现场查看排水沟，双方同意共同疏通",
    "outcome": "达成口头协议",
}


def test_a_dispute_is_handled_after_mediation_and_closed_after_the_follow_up():
    code = _dispute_in_hand()
    r = post("dispatcher_ky", code, "handle", {"result": "已调解"})
    assert r.status_code == 409 and "矛盾纠纷须先记录调解经过和结果" in r.json()["detail"]
    assert Case.objects.get(code=code).status == "accepted"

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    r = post("dispatcher_ky", code, "mediation", {**MEDIATION, "follow_up_at": str(yesterday)})
    assert r.status_code == 400 and r.json()["detail"] == "回访日期不能早于今天"
    assert not MediationRecord.objects.filter(case__code=code).exists()

    visit = timezone.localdate() + dt.timedelta(days=7)
    r = post("dispatcher_ky", code, "mediation", {**MEDIATION, "follow_up_at": str(visit)})
    assert r.status_code == 200
    [rec] = r.json()["mediations"]
    assert rec["follow_up_at"] == str(visit) and rec["followed_up_at"] is None
    task = Task.objects.get(source_key__endswith=f"mediation:{rec['id']}:follow_up")
    assert task.assignee_person.user == user("dispatcher_ky") and task.state == "open"
    assert timezone.localdate(task.due_at) == visit and task.subject.startswith("调解回访")

    assert post("dispatcher_ky", code, "handle", {"result": "已调解"}).status_code == 200
    assert post("grid_ky", code, "verify", {"ok": True}).status_code == 200
    r = post("dispatcher_ky", code, "close")
    assert r.status_code == 409 and "调解回访尚未完成" in r.json()["detail"]

    url = f"mediation/{rec['id']}/follow-up"
    assert post("dispatcher_pj", code, url, {"result": "x"}).status_code == 404
    r = post("dispatcher_ky", code, url, {"result": "  "})
    assert r.status_code == 400 and r.json()["detail"] == "请填写回访情况"
    r = post("dispatcher_ky", code, url, {"result": "排水沟已疏通，双方无新矛盾"})
    assert r.status_code == 200
    assert r.json()["mediations"][0]["follow_up_result"] == "排水沟已疏通，双方无新矛盾"
    task.refresh_from_db()
    assert task.state == "done"
    case = Case.objects.get(code=code)
    assert AuditEvent.objects.filter(verb="cases.follow_up", object_id=str(case.pk)).count() == 1
    r = post("dispatcher_ky", code, url, {"result": "再次回访"})
    assert r.status_code == 409 and "已于" in r.json()["detail"]

    assert post("dispatcher_ky", code, "close").status_code == 200
    assert Case.objects.get(code=code).status == "closed"
    r = post("dispatcher_ky", code, "mediation", MEDIATION)
    assert r.status_code == 409 and "已结案" in r.json()["detail"]
    assert MediationRecord.objects.filter(case__code=code).count() == 1


def test_the_case_page_records_the_follow_up():
    code = _dispute_in_hand()
    visit = timezone.localdate() + dt.timedelta(days=3)
    page = client_for("dispatcher_ky")
    r = page.post(
        f"/cases/{code}/act/mediation/", {**MEDIATION, "follow_up_at": "2026-02-30"}, follow=True
    )
    assert "回访日期的格式应为 年-月-日" in r.content.decode()
    page.post(f"/cases/{code}/act/mediation/", {**MEDIATION, "follow_up_at": str(visit)})
    html = page.get(f"/cases/{code}/").content.decode()
    assert "待回访" in html and 'name="record"' in html
    rec = MediationRecord.objects.get(case__code=code)
    r = page.post(
        f"/cases/{code}/act/follow_up/", {"record": rec.pk, "result": "双方履行协议"}, follow=True
    )
    assert "操作成功" in r.content.decode() and "已回访" in r.content.decode()
    rec.refresh_from_db()
    assert rec.follow_up_result == "双方履行协议" and rec.followed_up_by == user("dispatcher_ky")
