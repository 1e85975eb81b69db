"""A notice (阅知: a 通报, a review's result) is read, not done: the one it reached marks it 已阅
from the inbox even though it links elsewhere, and it does not count in the burden."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.org.models import Region, Unit
from jiceng.workload.actions import task_open
from jiceng.workload.models import Task
from jiceng.workload.selectors import burden_by_month, burden_for
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db


def _sent(kind: str, subject: str) -> Task:
    me = user("dispatcher_pj").person
    sender = Unit.objects.filter(region__code="530303", kind="department").first()
    return task_open(
        kind=kind,
        subject=subject,
        body="详见链接",
        region=Region.objects.get(code="530303102"),
        by=None,
        assignee_person=me,
        from_unit=sender,
        link="/assessment/",
    )


def test_a_notice_is_marked_read_from_the_inbox_and_leaves_the_burden():
    me = user("dispatcher_pj").person
    now = timezone.now()
    before = burden_for(me, now - dt.timedelta(days=1), now + dt.timedelta(minutes=1))
    monthly = burden_by_month(user("county_zy"), months=1, now=now + dt.timedelta(minutes=1))
    notice = _sent("notice", "考核结果通报：第2名")
    work = _sent("other", "请核实辖区数据")
    after = burden_for(me, now - dt.timedelta(days=1), now + dt.timedelta(minutes=1))
    assert after["tasks"] == before["tasks"] + 1 and "notice" not in after["by_kind"]
    monthly_after = burden_by_month(user("county_zy"), months=1, now=now + dt.timedelta(minutes=1))
    assert monthly_after["totals"][-1]["tasks"] == monthly["totals"][-1]["tasks"] + 1

    c = client_for("dispatcher_pj")
    page = c.get("/inbox/").content.decode()
    assert f'action="/inbox/tasks/{notice.pk}/done/"' in page  # 已阅 in the list
    assert f'action="/inbox/tasks/{work.pk}/done/"' not in page
    r = c.post(f"/inbox/tasks/{notice.pk}/done/")
    assert r.status_code == 302 and r.url == "/inbox/"
    notice.refresh_from_db()
    assert notice.state == "done" and notice.close_reason == "已阅"
    # work that links to its own page is still finished there, not from the inbox
    r = c.post(f"/inbox/tasks/{work.pk}/done/", {"reply": "已核实"})
    assert r.status_code == 400 and "请到办理页面处理" in r.content.decode()
    assert Task.objects.get(pk=work.pk).state == "open"


def test_only_the_one_it_reached_reads_it():
    notice = _sent("notice", "复核结果：维持")
    r = client_for("dispatcher_ky").post(f"/inbox/tasks/{notice.pk}/done/")
    assert r.status_code == 404
    assert Task.objects.get(pk=notice.pk).state == "open"
