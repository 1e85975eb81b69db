"""Pages and API: builder with live count, saving, running, explanation, unmasking, export."""

import datetime as dt
import json
from urllib.parse import urlencode

from jiceng.core.models import AuditEvent
from jiceng.outreach.demo import HEALTH_RULE
from jiceng.outreach.ids import id_parse, make_id
from jiceng.outreach.models import Resident, Rule
from jiceng.workload.models import Task
from tests.conftest import client_for
from tests.outreach import factories as f

DONGPO = "330102003057"


def dongpo_rule():
    return Rule.objects.get(name=HEALTH_RULE["name"], region__code=DONGPO)


def builder_post(region_pk, **extra):
    data = {
        "name": "浏览器外新建的健康证规则",
        "subject": "employee",
        "region": region_pk,
        "combinator": "all",
        "row_field": ["business.industry", "health_cert_expires"],
        "row_op": ["eq", "expires_within_days"],
        "row_value": ["餐饮", "30"],
        "task_title": "健康证提醒",
        "due_working_days": "5",
        "recipient": "social_worker",
        "test_cases": json.dumps(HEALTH_RULE["test_cases"][:3], ensure_ascii=False),
        "activate": "1",
    }
    data.update(extra)
    return data


def test_index_and_new_page(persona):
    client = persona("social_worker")
    body = client.get("/outreach/").content.decode()
    assert HEALTH_RULE["name"] in body
    assert "东坡路社区（330102003057）" in client.get("/outreach/rules/new/").content.decode()


def test_live_count_and_errors(persona):
    client = persona("social_worker")
    region = dongpo_rule().region_id
    body = client.post("/outreach/rules/preview/", builder_post(region)).content.decode()
    assert 'id="live-count">5<' in body
    bad = builder_post(region, row_op=["eq", "age_ge"])
    body = client.post("/outreach/rules/preview/", bad).content.decode()
    assert "不能用运算“age_ge”" in body
    bad = builder_post(region, row_value=["餐饮", "三十"])
    assert "需要一个整数" in client.post("/outreach/rules/preview/", bad).content.decode()


def test_save_run_and_inbox(persona, person):
    client = persona("social_worker")
    region = dongpo_rule().region_id
    resp = client.post("/outreach/rules/new/", builder_post(region))
    rule = Rule.objects.get(name="浏览器外新建的健康证规则")
    assert resp.status_code == 302 and rule.active and rule.tests_pass
    assert rule.from_unit.name == "东坡路社区"
    resp = client.post(f"/outreach/rules/{rule.pk}/do/", {"action": "run"}, follow=True)
    assert "筛查完成：符合条件5，新开待办5" in resp.content.decode()
    inbox = client.get("/inbox/?kind=outreach").content.decode()
    assert inbox.count("健康证提醒：") == 5
    task = Task.objects.filter(source_key__startswith=f"outreach:{rule.pk}:").first()
    assert task.assignee_person == person("social_worker")


def test_invalid_builder_input_keeps_the_form(persona):
    client = persona("social_worker")
    resp = client.post(
        "/outreach/rules/new/",
        builder_post(dongpo_rule().region_id, row_field=["nope", ""], row_op=["eq", ""]),
    )
    assert resp.status_code == 200 and "没有字段“nope”" in resp.content.decode()
    assert not Rule.objects.filter(name="浏览器外新建的健康证规则").exists()


def test_a_json_condition_that_is_not_an_object_is_refused_with_an_example(persona):
    client = persona("social_worker")
    for text in ("999999999999", '["all"]', '"年满80周岁"'):
        data = builder_post(dongpo_rule().region_id, mode="json", condition_json=text)
        resp = client.post("/outreach/rules/new/", data)
        assert resp.status_code == 200 and "条件JSON须是一个对象" in resp.content.decode(), text
    assert not Rule.objects.filter(name="浏览器外新建的健康证规则").exists()


def test_subject_page_explains_masked_and_unmask_is_audited(persona):
    rule = dongpo_rule()
    resident = Resident.objects.get(name="陈一鸣")
    emp = resident.employments.get()
    url = f"/outreach/subjects/employee/{emp.pk}/?rule={rule.pk}"
    street = client_for("dispatcher_hb")  # 湖滨街道 dispatcher: in scope, but no need to unmask
    other = street.get(url).content.decode()
    assert "陈**" in other and "陈一鸣" not in other and "查看完整信息" not in other
    refused = street.get(url + "&unmask=1")
    assert refused.status_code == 403  # and says why, in a page like the others
    assert '<p id="error-text">您的岗位无需查看未脱敏的个人信息</p>' in refused.content.decode()
    assert persona("staff_a").get(url).status_code == 404
    sw = persona("social_worker")
    body = sw.get(url).content.decode()
    assert "最新健康证有效期至 已过期或30天内到期" in body and "陈一鸣" not in body
    before = AuditEvent.objects.filter(verb="outreach.unmasked_view").count()
    body = sw.get(url + "&unmask=1").content.decode()
    assert "陈一鸣" in body and "13800000001" in body
    assert AuditEvent.objects.filter(verb="outreach.unmasked_view").count() == before + 1


def test_export_is_audited_and_masked_by_default(persona):
    rule = dongpo_rule()
    sw = persona("social_worker")
    masked = sw.get(f"/outreach/rules/{rule.pk}/matches.csv").content.decode("utf-8-sig")
    assert "陈**" in masked and "陈一鸣" not in masked
    full = sw.get(f"/outreach/rules/{rule.pk}/matches.csv?unmask=1").content.decode("utf-8-sig")
    assert "陈一鸣" in full
    events = AuditEvent.objects.filter(verb="outreach.export").order_by("-id")[:2]
    assert [e.after["unmasked"] for e in events] == [True, False]
    street = client_for("dispatcher_hb")
    assert street.get(f"/outreach/rules/{rule.pk}/matches.csv?unmask=1").status_code == 403


def test_residents_lookup_by_id_number(persona):
    number = make_id("330102", dt.date(1960, 1, 2), 999)
    r = f.resident("查找人", birth=dt.date(1960, 1, 2))
    r.id_hash = id_parse(number).hash
    r.save()
    client = persona("social_worker")
    body = client.post("/outreach/residents/", {"id": number}).content.decode()
    assert "查**" in body and number not in body
    bad = client.post("/outreach/residents/", {"id": "330102196001020000"}).content.decode()
    assert "校验位" in bad


def test_api_rules_preview_run(persona):
    client = persona("social_worker")
    rule = dongpo_rule()
    names = [r["name"] for r in client.get("/api/v1/outreach/rules").json()]
    assert HEALTH_RULE["name"] in names
    body = {"subject": "employee", "region": DONGPO, "condition": HEALTH_RULE["condition"]}
    resp = client.post("/api/v1/outreach/preview", body, content_type="application/json")
    assert resp.json() == {"count": 5}
    body["condition"] = {"field": "x", "op": "eq", "value": 1}
    resp = client.post("/api/v1/outreach/preview", body, content_type="application/json")
    assert resp.status_code == 400 and "没有字段“x”" in resp.json()["detail"]
    run = client.post(f"/api/v1/outreach/rules/{rule.pk}/run").json()
    assert run["matched"] == 5
    assert client.get(f"/api/v1/outreach/rules/{rule.pk}/runs").json()[0]["id"] == run["id"]


def test_api_other_township_gets_404(persona):
    staff_b = persona("staff_b")
    rule = dongpo_rule()
    assert staff_b.post(f"/api/v1/outreach/rules/{rule.pk}/run").status_code == 404
    body = {"subject": "employee", "region": DONGPO, "condition": HEALTH_RULE["condition"]}
    resp = staff_b.post("/api/v1/outreach/preview", body, content_type="application/json")
    assert resp.status_code == 404
    assert persona("resident").get("/outreach/").status_code == 404


def test_preview_by_get_query(persona):
    query = urlencode(
        {
            "subject": "resident",
            "region": dongpo_rule().region_id,
            "mode": "json",
            "condition_json": json.dumps({"field": "tags", "op": "contains", "value": "低保"}),
        }
    )
    assert (
        'id="live-count">2<'
        in persona("social_worker").get(f"/outreach/rules/preview/?{query}").content.decode()
    )
