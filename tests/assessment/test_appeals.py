"""复核: the inspected unit asks once, in time, naming the indicators and its reasons; the request
is in the organiser's inbox; while it is open nobody re-scores; the organiser upholds or changes
(through the ordinary scoring), and the unit finds the decision in its inbox."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiceng.assessment import actions, guards
from jiceng.assessment.models import Appeal, IndicatorScore, Inspection
from jiceng.core.audit import AuditEvent
from jiceng.core.calendar import add_working_days
from jiceng.workload.models import Task
from jiceng.workload.selectors import inbox_for
from tests.conftest import client_for, user

from .helpers import appeal, approved, inspect, person, score

pytestmark = pytest.mark.django_db
J = "application/json"


def _scored():
    (x,) = inspect(approved(), "柯岩街道办事处")
    return score(x, 55, 40)


def _tasks(source_key: str):
    return Task.objects.filter(source_key=source_key)


def test_the_unit_appeals_in_its_inbox_order_and_the_organiser_upholds():
    x = _scored()
    page = f"/assessment/inspections/{x.pk}/"
    first, second = x.item.indicators.all()
    leader = client_for("leader_ky")
    shown = leader.get(page).content.decode()
    assert 'id="appeal-form"' in shown and "评分后5个工作日内可申请复核一次" in shown
    # staff without a leader's or an administrator's role may not ask for the unit
    assert 'id="appeal-form"' not in client_for("dispatcher_ky").get(page).content.decode()
    r = client_for("dispatcher_ky").post(f"{page}appeal/", {"indicator": first.pk, "reasons": "x"})
    assert r.status_code == 403
    # indicators and reasons are required; nothing is written when either is missing
    r = leader.post(f"{page}appeal/", {"reasons": " "})
    assert r.status_code == 400
    assert (
        "请选择有异议的指标" in r.content.decode() and "请写明申请复核的理由" in r.content.decode()
    )
    assert (
        not Appeal.objects.exists()
        and not AuditEvent.objects.filter(verb__startswith="assessment.appeal").exists()
    )

    r = leader.post(f"{page}appeal/", {"indicator": [first.pk], "reasons": "会议记录已补齐"})
    assert r.status_code == 302
    a = Appeal.objects.get(inspection=x)
    assert a.status == "open" and a.total_before == 95 and list(a.indicators.all()) == [first]
    task = _tasks(f"assessment:appeal:{a.pk}").get()
    assert task.state == "open" and task.assignee_unit == x.item.issuer and a.task == task
    assert task.from_unit == x.unit and task.due_at == add_working_days(a.created_at, 5)
    assert task in inbox_for(user("assessor_kq"))
    created = AuditEvent.objects.get(verb="assessment.appeal.create")
    assert (
        created.after["indicators"] == [first.pk] and created.after["reasons"] == "会议记录已补齐"
    )

    # one open appeal at a time
    r = leader.post(f"{page}appeal/", {"indicator": [second.pk], "reasons": "再申请"})
    assert r.status_code == 400 and "复核正在办理" in r.content.decode()
    assert Appeal.objects.count() == 1
    # while it is open the organiser does not re-score: the page offers the decision instead
    organiser = client_for("assessor_kq")
    shown = organiser.get(page).content.decode()
    assert 'id="decide-form"' in shown and 'id="score-form"' not in shown
    r = organiser.post(f"{page}score/", {f"score_{first.pk}": 60, f"score_{second.pk}": 40})
    assert r.status_code == 400 and "申请复核，复核尚未办结，不能重新评分" in r.content.decode()
    x.refresh_from_db()
    assert x.total == 95

    # the unit does not decide its own appeal; a decision needs its reason
    assert (
        leader.post(f"{page}appeal/decide/", {"outcome": "upheld", "decision": "x"}).status_code
        == 403
    )
    r = organiser.post(f"{page}appeal/decide/", {"outcome": "upheld", "decision": ""})
    assert r.status_code == 400 and "请写明复核意见" in r.content.decode()
    r = organiser.post(
        f"{page}appeal/decide/", {"outcome": "upheld", "decision": "会议记录系评分后补写，不予采信"}
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "upheld" and a.total_after == 95 and a.decided_by == person("assessor_kq")
    task.refresh_from_db()
    assert task.state == "done"
    notice = _tasks(f"assessment:appeal:{a.pk}:result").get()
    assert notice.assignee_unit == x.unit and notice.state == "open" and "维持" in notice.subject
    assert notice in inbox_for(user("leader_ky"))
    decided = AuditEvent.objects.get(verb="assessment.appeal.decide")
    assert decided.before["status"] == "open" and decided.after["status"] == "upheld"
    assert "不予采信" in leader.get(page).content.decode()

    # at most once, and a decided appeal is not decided again
    r = leader.post(f"{page}appeal/", {"indicator": [first.pk], "reasons": "仍有异议"})
    assert r.status_code == 400
    assert "只能申请复核一次" in r.content.decode() and "结果：维持" in r.content.decode()
    r = organiser.post(f"{page}appeal/decide/", {"outcome": "changed", "decision": "改"})
    assert r.status_code == 400 and "复核已经办结" in r.content.decode()
    assert (
        Appeal.objects.count() == 1
        and AuditEvent.objects.filter(verb="assessment.score").count() == 1
    )


def test_a_change_goes_through_the_scoring_rules_and_the_audit_keeps_both_results():
    x = _scored()
    first, second = x.item.indicators.all()
    api = f"/api/v1/assessment/inspections/{x.pk}"
    leader, organiser = client_for("leader_ky"), client_for("assessor_kq")
    other = approved(name="另一项考核").indicators.all()[0]
    r = leader.post(f"{api}/appeal", {"indicators": [other.pk], "reasons": "有误"}, content_type=J)
    assert r.status_code == 400 and "所选指标不属于本考核事项" in r.json()["detail"]
    r = leader.post(
        f"{api}/appeal", {"indicators": [first.pk, second.pk], "reasons": "有误"}, content_type=J
    )
    assert r.status_code == 201 and r.json()["status"] == "open"
    assert r.json()["indicators"] == [first.pk, second.pk]
    a = Appeal.objects.get()

    def decide(*values, outcome="changed"):
        rows = [
            {"indicator": i.pk, "score": v} for i, v in zip((first, second), values, strict=False)
        ]
        body = {"outcome": outcome, "decision": "核实后更正", "scores": rows}
        return organiser.post(f"{api}/appeal/decision", json.dumps(body), content_type=J)

    r = decide(61, 40)
    assert r.status_code == 400 and "得分须在0至60分之间" in r.json()["detail"]
    r = decide(58)
    assert r.status_code == 400 and "请为指标“新时代文明实践站运行”评分" in r.json()["detail"]
    r = decide(55, 40)
    assert r.status_code == 400 and "与原评分相同" in r.json()["detail"]
    a.refresh_from_db()
    assert a.status == "open" and _tasks(f"assessment:appeal:{a.pk}").get().state == "open"
    assert sorted(IndicatorScore.objects.filter(inspection=x).values_list("score", flat=True)) == [
        40,
        55,
    ]

    r = decide(58, 40)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "changed" and r.json()["total_after"] == "98.0"
    x.refresh_from_db()
    assert x.total == 98
    rescored = AuditEvent.objects.filter(verb="assessment.score").latest("id")
    assert rescored.before["total"] == "95.0" and rescored.after["total"] == "98.0"
    decided = AuditEvent.objects.get(verb="assessment.appeal.decide")
    assert decided.after["total_before"] == "95.0" and decided.after["total_after"] == "98.0"
    assert "变更" in _tasks(f"assessment:appeal:{a.pk}:result").get().subject
    shown = leader.get(api).json()
    assert shown["appeal"]["status"] == "changed" and shown["total"] == "98.0"

    # another county: not found, for the appeal and the decision alike
    pj = client_for("dispatcher_pj")
    assert (
        pj.post(
            f"{api}/appeal", {"indicators": [first.pk], "reasons": "x"}, content_type=J
        ).status_code
        == 404
    )
    assert (
        pj.post(
            f"{api}/appeal/decision", {"outcome": "upheld", "decision": "x"}, content_type=J
        ).status_code
        == 404
    )
    assert (
        client_for("county_zy")
        .post(f"/assessment/inspections/{x.pk}/appeal/decide/", {})
        .status_code
        == 404
    )


def test_an_appeal_comes_only_after_scoring_and_within_the_time_limit():
    item = approved()
    a, b = inspect(item, "柯岩街道办事处", "柯岩街道办事处")
    with pytest.raises(ValidationError, match="尚未评分"):
        appeal(a)
    score(b, 50, 30)
    long_ago = timezone.now() - dt.timedelta(days=30)
    Inspection.objects.filter(pk=b.pk).update(scored_at=long_ago)
    b.refresh_from_db()
    until = add_working_days(long_ago, guards.appeal_limits(long_ago.date()).ask_days)
    with pytest.raises(
        ValidationError,
        match=f"评分后5个工作日内.*截至{timezone.localtime(until):%Y-%m-%d %H:%M}.*已超过期限",
    ):
        appeal(b)
    page = client_for("leader_ky").get(f"/assessment/inspections/{b.pk}/").content.decode()
    assert 'id="appeal-form"' not in page
    assert (
        not Appeal.objects.exists()
        and not Task.objects.filter(source_key__startswith="assessment:appeal").exists()
    )


def test_the_time_limits_are_a_dated_rule(monkeypatch):
    later = guards.AppealLimits(10, 7, "后来的规则", dt.date(2030, 1, 1))
    monkeypatch.setattr(guards, "APPEAL_LIMITS", [*guards.APPEAL_LIMITS, later])
    assert guards.appeal_limits(dt.date(2029, 12, 31)).ask_days == 5
    assert guards.appeal_limits(dt.date(2030, 1, 1)) == later


def test_results_import_refuses_a_row_under_an_open_appeal_and_keeps_nothing():
    item = approved()
    a, b = inspect(item, "柯岩街道办事处", "柯岩街道办事处")
    score(a, 50, 30)
    appeal(a)
    r = client_for("assessor_kq").get(f"/assessment/{item.pk}/results.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    for row in list(wb["考核结果"].iter_rows())[1:]:
        row[5].value, row[6].value = 60, 40
    out = io.BytesIO()
    wb.save(out)
    r = client_for("assessor_kq").post(
        f"/assessment/{item.pk}/results/import/",
        {"file": SimpleUploadedFile("结果.xlsx", out.getvalue())},
    )
    assert r.status_code == 400
    assert "（柯岩街道办事处）：柯岩街道办事处于" in r.content.decode()
    assert "复核尚未办结，不能重新评分" in r.content.decode()
    a.refresh_from_db(), b.refresh_from_db()
    assert a.total == 80 and b.total is None  # b's row is not kept either


def test_the_appeal_action_refuses_the_organiser_and_other_units():
    x = _scored()
    for who in ("assessor_kq", "county_kq", "dispatcher_ky"):
        with pytest.raises(PermissionError, match="只有被检查单位"):
            actions.appeal_create(
                inspection=x, person=person(who), indicator_ids=[], reasons="", by=None
            )
    a = appeal(x)
    with pytest.raises(PermissionError, match="只有组织单位"):
        actions.appeal_decide(
            appeal=a, person=person("kaohe_kq"), outcome="upheld", decision="维持", by=None
        )
    with pytest.raises(ValidationError, match="只能是维持或变更"):
        actions.appeal_decide(
            appeal=a, person=person("assessor_kq"), outcome="maybe", decision="x", by=None
        )
    a.refresh_from_db()
    assert a.status == "open"
