"""撤回复核: the one who asked, or a leader of the inspected unit, withdraws an open review request;
the organiser's task is closed with the reason, the result may be scored again, and the
inspection is not appealed again. Anyone else, another area, or a decided review: refused,
nothing changed."""

import pytest
from django.core.exceptions import ValidationError

from jiceng.assessment import actions
from jiceng.assessment.models import Appeal
from jiceng.core.audit import AuditEvent
from jiceng.org.models import Role
from jiceng.workload.models import Task
from tests.conftest import client_for

from .helpers import appeal, approved, inspect, person, score, staff, streets

pytestmark = pytest.mark.django_db
J = "application/json"


def _appealed():
    (x,) = inspect(approved(), "柯岩街道办事处")
    return appeal(score(x, 55, 40))


def _unchanged(a: Appeal):
    fresh = Appeal.objects.get(pk=a.pk)
    assert fresh.status == a.status and fresh.withdrawn_at == a.withdrawn_at
    assert Task.objects.get(source_key=f"assessment:appeal:{a.pk}").state == a.task.state


def test_the_leader_withdraws_on_the_page_and_the_result_may_be_scored_again():
    a = _appealed()
    x = a.inspection
    page = f"/assessment/inspections/{x.pk}/"
    leader = client_for("leader_ky")
    assert 'id="withdraw-form"' in leader.get(page).content.decode()
    # staff of the unit without a leader's role, the organiser, and another county: refused
    for who, status in (("dispatcher_ky", 403), ("assessor_kq", 403), ("leader_pj", 404)):
        assert 'id="withdraw-form"' not in client_for(who).get(page).content.decode()
        assert client_for(who).post(f"{page}appeal/withdraw/", {"reason": "x"}).status_code == (
            status
        )
        _unchanged(a)
    assert not AuditEvent.objects.filter(verb="assessment.appeal.withdraw").exists()

    r = leader.post(f"{page}appeal/withdraw/", {"reason": "已与组织单位沟通，认可评分"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "withdrawn" and a.withdrawn_by == person("leader_ky")
    assert a.withdraw_reason == "已与组织单位沟通，认可评分"
    task = Task.objects.get(source_key=f"assessment:appeal:{a.pk}")
    assert task.state == "closed" and "认可评分" in task.close_reason
    event = AuditEvent.objects.get(verb="assessment.appeal.withdraw")
    assert event.before["status"] == "open" and event.after["status"] == "withdrawn"
    shown = leader.get(page).content.decode()
    assert 'id="appeal-withdrawn"' in shown and 'id="withdraw-form"' not in shown
    assert 'id="appeal-form"' not in shown  # not asked again

    # the organiser scores again as when no review is open
    organiser = client_for("assessor_kq")
    assert 'id="score-form"' in organiser.get(page).content.decode()
    first, second = x.item.indicators.all()
    r = organiser.post(f"{page}score/", {f"score_{first.pk}": "58", f"score_{second.pk}": "40"})
    assert r.status_code == 302
    x.refresh_from_db()
    assert x.total == 98

    # withdrawn is final: no second request, no second withdrawal, no decision
    r = leader.post(f"{page}appeal/", {"indicator": [first.pk], "reasons": "再申请"})
    assert r.status_code == 400 and "撤回后不能再次申请复核" in r.content.decode()
    r = leader.post(f"{page}appeal/withdraw/", {})
    assert r.status_code == 400 and "撤回" in r.content.decode()
    r = organiser.post(f"{page}appeal/decide/", {"outcome": "upheld", "decision": "维持"})
    assert r.status_code == 400 and "复核申请已于" in r.content.decode()
    assert Appeal.objects.filter(inspection=x).count() == 1
    assert AuditEvent.objects.filter(verb="assessment.appeal.withdraw").count() == 1


def test_the_asker_or_another_leader_withdraws_through_the_api():
    # an assessor of the unit (not a leader) asks, and may withdraw what it asked
    asker = staff("kaohe_ky", "柯岩街道办事处", Role.ASSESSOR)
    (x,) = inspect(approved(), "柯岩街道办事处")
    score(x, 50, 30)
    first = x.item.indicators.all()[0]
    a = actions.appeal_create(
        inspection=x, person=asker, indicator_ids=[first.pk], reasons="有误", by=asker.user
    )
    api = f"/api/v1/assessment/inspections/{x.pk}/appeal/withdraw"
    # another assessor of the same unit is neither the asker nor a leader
    other = staff("kaohe2_ky", "柯岩街道办事处", Role.ASSESSOR)
    assert client_for(other.user.username).post(api, {}, content_type=J).status_code == 403
    assert client_for("leader_pj").post(api, {}, content_type=J).status_code == 404
    # a leader of another street of the same county: not its inspection
    staff("leader_other", streets(1)[0], Role.LEADER)
    assert client_for("leader_other").post(api, {}, content_type=J).status_code == 404
    _unchanged(a)
    r = client_for("kaohe_ky").post(api, {}, content_type=J)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "withdrawn" and body["withdrawn_by"] == "kaohe_ky"
    assert body["withdraw_reason"] == ""
    assert Task.objects.get(source_key=f"assessment:appeal:{a.pk}").close_reason == "复核申请已撤回"

    # a second leader of the unit withdraws the first leader's request
    (y,) = inspect(x.item, "柯岩街道办事处")
    b = appeal(score(y, 50, 30))
    staff("leader2_ky", "柯岩街道办事处", Role.LEADER)
    api = f"/api/v1/assessment/inspections/{y.pk}/appeal/withdraw"
    r = client_for("leader2_ky").post(api, {"reason": "撤回"}, content_type=J)
    assert r.status_code == 200 and r.json()["withdraw_reason"] == "撤回"
    b.refresh_from_db()
    assert b.status == "withdrawn"


def test_a_decided_review_is_not_withdrawn():
    a = _appealed()
    organiser = person("assessor_kq")
    actions.appeal_decide(
        appeal=a, person=organiser, outcome="upheld", decision="维持", by=organiser.user
    )
    a.refresh_from_db()
    r = client_for("leader_ky").post(
        f"/api/v1/assessment/inspections/{a.inspection_id}/appeal/withdraw", {}, content_type=J
    )
    assert r.status_code == 400 and "复核已经办结（维持）" in r.json()["detail"]
    _unchanged(a)
    with pytest.raises(ValidationError):
        actions.appeal_withdraw(appeal=a, person=person("leader_ky"), by=None)
    # no review at all: 404 naming it
    (x,) = inspect(a.inspection.item, "柯岩街道办事处")
    r = client_for("leader_ky").post(
        f"/api/v1/assessment/inspections/{x.pk}/appeal/withdraw", {}, content_type=J
    )
    assert r.status_code == 404 and "没有复核申请" in r.json()["detail"]
