"""交办事项 (S7): an upper unit asks units or people in its area for something; it lands in their
inbox, counts in their burden, they finish it with a reply, and the sender sees who has."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.core.models import AuditEvent
from jiceng.org.models import Unit
from jiceng.workload.models import Task, TaskState
from jiceng.workload.selectors import burden_for
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def later(hours: int = 48) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def form(**extra) -> dict:
    return {
        "kind": "data_request",
        "subject": "报送本季度禁毒宣传活动台账",
        "body": "附表一份",
        **extra,
    }


def test_a_county_department_asks_a_street_and_a_person_and_sees_who_has_done_it():
    street, me = unit("柯岩街道办事处"), user("dispatcher_ky").person
    audits = AuditEvent.objects.count()
    r = client_for("assessor_kq").post(
        "/inbox/send/", form(unit=[street.pk], person=[me.pk], due_at=later()), follow=True
    )
    assert r.status_code == 200 and "已交办 2 个接收对象" in r.content.decode()
    tasks = list(Task.objects.filter(subject="报送本季度禁毒宣传活动台账").order_by("id"))
    assert [(t.assignee_unit_id, t.assignee_person_id) for t in tasks] == [
        (street.pk, None),
        (None, me.pk),
    ]
    assert {t.from_unit.name for t in tasks} == {"柯桥区委宣传部"}
    assert len({t.details["batch"] for t in tasks}) == 1 and all(t.due_at for t in tasks)
    verbs = list(AuditEvent.objects.order_by("id")[audits:].values_list("verb", flat=True))
    assert verbs == ["task.open", "task.open", "task.send"]

    # both reach the dispatcher's inbox (one as theirs, one as their unit's) and the burden
    inbox = client_for("dispatcher_ky").get("/inbox/").content.decode()
    assert inbox.count("报送本季度禁毒宣传活动台账") == 2
    now = timezone.now()
    assert burden_for(me, now - dt.timedelta(days=1), now + dt.timedelta(minutes=1))["tasks"] == 2

    # the dispatcher reports it done with what was sent; the sender sees it
    mine = tasks[1]
    page = client_for("dispatcher_ky").get(f"/inbox/tasks/{mine.pk}/").content.decode()
    assert 'id="finish"' in page
    done = client_for("dispatcher_ky").post(
        f"/inbox/tasks/{mine.pk}/done/", {"reply": "已报送台账12份"}, follow=True
    )
    assert done.status_code == 200 and "已报送台账12份" in done.content.decode()
    mine.refresh_from_db()
    assert mine.state == TaskState.DONE and mine.close_reason == "已报送台账12份"
    sent = client_for("assessor_kq").get("/inbox/sent/").content.decode()
    assert "已办结 1 / 2" in sent and "已报送台账12份" in sent and "柯岩街道办事处" in sent


def test_a_data_request_needs_a_reply_and_finishing_twice_is_refused():
    me = user("dispatcher_ky").person
    client_for("assessor_kq").post("/inbox/send/", form(person=[me.pk]))
    task = Task.objects.get(subject="报送本季度禁毒宣传活动台账")
    c = client_for("dispatcher_ky")
    r = c.post(f"/inbox/tasks/{task.pk}/done/", {"reply": ""})
    assert r.status_code == 400 and "数据填报请写明报送情况" in r.content.decode()
    assert Task.objects.get(pk=task.pk).state == TaskState.OPEN
    assert c.post(f"/inbox/tasks/{task.pk}/done/", {"reply": "x" * 201}).status_code == 400
    assert c.post(f"/inbox/tasks/{task.pk}/done/", {"reply": "已报"}).status_code == 302
    again = c.post(f"/inbox/tasks/{task.pk}/done/", {"reply": "又报"})
    assert again.status_code == 400 and "已经办结" in again.content.decode()
    assert Task.objects.get(pk=task.pk).close_reason == "已报"


def test_only_the_recipient_finishes_it():
    street = unit("柯岩街道办事处")
    client_for("assessor_kq").post("/inbox/send/", form(kind="other", unit=[street.pk]))
    task = Task.objects.get(subject="报送本季度禁毒宣传活动台账")
    # 孙民警 works in 柯岩街道 but for the police station: not theirs to finish
    police = client_for("police_ky")
    assert 'id="finish"' not in police.get(f"/inbox/tasks/{task.pk}/").content.decode()
    r = police.post(f"/inbox/tasks/{task.pk}/done/", {"reply": "好"})
    assert r.status_code == 403 and "不是交给您或您所在单位的" in r.content.decode()
    assert client_for("dispatcher_pj").post(f"/inbox/tasks/{task.pk}/done/").status_code == 404
    assert Task.objects.get(pk=task.pk).state == TaskState.OPEN
    assert client_for("grid_ky").post(f"/inbox/tasks/{task.pk}/done/").status_code == 302


def test_a_task_a_module_opened_is_finished_there():
    from jiceng.workload.actions import task_open

    me = user("dispatcher_ky").person
    task = task_open(
        kind="case",
        subject="案件待办",
        region=me.region,
        by=me.user,
        assignee_person=me,
        link="/cases/X/",
    )
    c = client_for("dispatcher_ky")
    assert 'id="finish"' not in c.get(f"/inbox/tasks/{task.pk}/").content.decode()
    r = c.post(f"/inbox/tasks/{task.pk}/done/", {"reply": "好"})
    assert r.status_code == 400 and "请到办理页面处理" in r.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"unit": [], "person": []}, "请至少选择一个接收单位或人员"),
        ({"subject": "  "}, "请填写事项名称"),
        ({"kind": "case"}, "类型只能是数据填报或其他"),
        ({"due_at": "2020-01-01T09:00"}, "办理时限不能早于现在"),
        ({"due_at": "下周一"}, "办理时限的格式应为"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_sent(data, message):
    audits = AuditEvent.objects.count()
    r = client_for("assessor_kq").post(
        "/inbox/send/", {**form(unit=[unit("柯岩街道办事处").pk]), **data}
    )
    assert r.status_code == 400 and message in r.content.decode()
    assert 'value="报送本季度禁毒宣传活动台账"' in r.content.decode() or "subject" in data
    assert not Task.objects.filter(kind="data_request").exists()
    assert AuditEvent.objects.count() == audits


def test_a_recipient_outside_the_area_is_refused_without_naming_it():
    ky, pj = unit("柯岩街道办事处"), unit("盘江镇人民政府")
    r = client_for("assessor_kq").post("/inbox/send/", form(unit=[ky.pk, pj.pk]))
    assert r.status_code == 400 and "不在您的管辖范围内" in r.content.decode()
    assert "盘江镇人民政府" not in r.content.decode()
    # a street's leader reaches the street's own units and staff, not the county's
    leader = client_for("leader_ky")
    assert leader.post("/inbox/send/", form(unit=[unit("柯桥区委宣传部").pk])).status_code == 400
    ok = leader.post("/inbox/send/", form(person=[user("grid_ky").person.pk]))
    assert ok.status_code == 302
    assert Task.objects.filter(kind="data_request").count() == 1


@pytest.mark.parametrize("who", ["dispatcher_ky", "grid_ky", "resident", "publicity_pj"])
def test_only_leaders_the_county_and_assessors_send(who):
    c = client_for(who)
    page = c.get("/inbox/send/")
    assert page.status_code == 403 and "可以交办事项" in page.content.decode()
    assert c.get("/inbox/sent/").status_code == 403
    assert c.post("/inbox/send/", form(unit=[unit("柯岩街道办事处").pk])).status_code == 403
    api = c.post("/api/v1/workload/tasks", form(units=[1]), content_type="application/json")
    assert api.status_code == 403
    assert not Task.objects.filter(kind="data_request").exists()


def test_the_send_page_lists_only_the_senders_area():
    page = client_for("leader_pj").get("/inbox/send/").content.decode()
    form_part = page[page.index('id="recipients"') :]
    assert "盘江镇综合执法队" in form_part and "蒋宣传" in form_part
    assert "柯岩街道" not in form_part and "卫镇长" not in form_part  # not the leader themself


def test_the_api_sends_and_finishes():
    street = unit("柯岩街道办事处")
    api = client_for("assessor_kq")
    r = api.post(
        "/api/v1/workload/tasks",
        form(kind="other", units=[street.pk]),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    (task,) = r.json()
    assert task["kind"] == "other" and task["from_unit"] == "柯桥区委宣传部"
    # a check runs only under an approved assessment item (S6), never as a plain 交办
    check = api.post(
        "/api/v1/workload/tasks",
        form(kind="assessment", units=[street.pk]),
        content_type="application/json",
    )
    assert check.status_code == 400 and "已批准的考核事项" in check.json()["detail"]
    assert not Task.objects.filter(kind="assessment").exists()
    bad = api.post(
        "/api/v1/workload/tasks",
        form(units=[unit("盘江镇人民政府").pk]),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "不在您的管辖范围内" in bad.json()["detail"]
    done = client_for("dispatcher_ky").post(
        f"/api/v1/workload/tasks/{task['id']}/done",
        {"reply": "已迎检"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "done"
    refused = client_for("dispatcher_ky").post(
        f"/api/v1/workload/tasks/{task['id']}/done", {}, content_type="application/json"
    )
    assert refused.status_code == 400 and "已经办结" in refused.json()["detail"]


def test_the_action_itself_refuses_a_recipient_outside_the_area():
    """Whatever calls it (a page, the API, a script), tasks_send checks the area again."""
    from django.core.exceptions import ValidationError

    from jiceng.workload.actions import tasks_send

    sender = user("assessor_kq").person
    with pytest.raises(ValidationError, match="不在您的管辖范围内：盘江镇人民政府"):
        tasks_send(
            sender=sender,
            kind="data_request",
            subject="越界",
            units=[unit("柯岩街道办事处"), unit("盘江镇人民政府")],
            by=sender.user,
        )
    assert not Task.objects.filter(subject="越界").exists()


def test_a_form_sent_back_keeps_the_chosen_people_unfolded():
    """Two people chosen under one unit: the unit comes back unfolded, both still ticked."""
    chosen = [user(n).person for n in ("dispatcher_ky", "grid_ky")]
    r = client_for("assessor_kq").post(
        "/inbox/send/", form(person=[p.pk for p in chosen], subject="")
    )
    page = r.content.decode()
    assert r.status_code == 400
    unit_row = page[
        page.index(f'value="{chosen[0].pk}"') - 3000 : page.index(f'value="{chosen[0].pk}"')
    ]
    assert "<details open>" in unit_row[unit_row.rindex("<details") :]
    assert all(f'value="{p.pk}" checked' in page for p in chosen)


def test_the_sender_exports_who_has_done_it_and_who_is_late():
    street, me = unit("柯岩街道办事处"), user("dispatcher_ky").person
    sender = client_for("assessor_kq")
    sender.post("/inbox/send/", form(unit=[street.pk], person=[me.pk], due_at=later()))
    other = form(subject="上报防汛值班表", unit=[street.pk], due_at=later())
    sender.post("/inbox/send/", other)
    mine = Task.objects.get(subject="报送本季度禁毒宣传活动台账", assignee_person=me)
    client_for("dispatcher_ky").post(f"/inbox/tasks/{mine.pk}/done/", {"reply": "已报送12份"})
    # the street's task runs past its limit
    Task.objects.filter(subject="上报防汛值班表").update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )

    r = sender.get("/inbox/sent.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("交办事项", "类型", "交办时间", "办理时限", "接收对象", "状态")
    by_who = {(row[0], row[4]): row for row in rows[1:]}
    assert len(by_who) == 3
    done = by_who[("报送本季度禁毒宣传活动台账", "王派遣")]
    assert done[5] == "已办结" and done[6] and done[7] in ("", None) and done[8] == "已报送12份"
    assert by_who[("上报防汛值班表", "柯岩街道办事处")][7] == "已超期"

    batch = mine.details["batch"]
    one = sender.get(f"/inbox/sent.xlsx?batch={batch}")
    rows = list(load_workbook(io.BytesIO(one.content)).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"报送本季度禁毒宣传活动台账"} and len(rows) == 3
    assert sender.get("/inbox/sent.xlsx?batch=nope").status_code == 404
    # another sender's export holds none of it; a non-sender gets 403
    theirs = client_for("county_zy").get("/inbox/sent.xlsx")
    assert "上报防汛值班表".encode() not in theirs.content
    assert len(list(load_workbook(io.BytesIO(theirs.content)).active.iter_rows())) == 1
    assert client_for("dispatcher_ky").get("/inbox/sent.xlsx").status_code == 403
