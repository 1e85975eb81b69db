"""The inbox 我的待办: my tasks and my unit's, filters, overdue marking, burden (S7)."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.org.models import Region, Unit
from jiceng.workload.actions import task_finish, task_open
from jiceng.workload.models import Task, TaskState
from jiceng.workload.selectors import burden_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def publicity(person):
    """S7: the publicity member of 盘江镇, reached by many county departments."""
    me = person("staff_b")
    county_units = list(Unit.objects.filter(region__code="530303", kind="department"))
    township = Region.objects.get(code="530303102")
    for k, unit in enumerate(county_units[:8]):
        for j in range(2):
            task_open(
                kind="data_request",
                subject=f"{unit.name}报表{j}",
                region=township,
                by=me.user,
                assignee_person=me,
                from_unit=unit,
                due_at=timezone.now() + dt.timedelta(days=k - 3, hours=1),
            )
    return me, county_units[:8]


def test_inbox_shows_mine_and_my_units_tasks_with_overdue(persona, person, publicity):
    me, units = publicity
    task_open(
        kind="case", subject="本单位待办", region=me.region, by=me.user, assignee_unit=me.home_unit
    )
    page = persona("staff_b").get("/inbox/").content.decode()
    assert "本单位待办" in page and f"{units[0].name}报表0" in page
    assert page.count("已超期") == 6  # units 0-2, two tasks each, are past due


def test_inbox_filters_by_sending_unit(persona, publicity):
    _, units = publicity
    page = persona("staff_b").get("/inbox/", {"from_unit": units[1].pk}).content.decode()
    assert f"{units[1].name}报表0" in page and f"{units[2].name}报表0" not in page


def test_done_tasks_leave_the_open_inbox(persona, publicity):
    me, units = publicity
    task = Task.objects.get(subject=f"{units[0].name}报表0")
    task_finish(task=task, by=me.user)
    task_finish(task=task, by=me.user)  # twice changes nothing
    assert Task.objects.get(pk=task.pk).state == TaskState.DONE
    assert f"{units[0].name}报表0" not in persona("staff_b").get("/inbox/").content.decode()


def test_burden_counts_distinct_upper_units_and_tasks(publicity):
    me, _ = publicity
    now = timezone.now()
    b = burden_for(me, now - dt.timedelta(days=1), now + dt.timedelta(seconds=1))
    assert b["upper_units"] == 8 and b["tasks"] == 16 and b["by_kind"] == {"data_request": 16}
    assert b["from_platform"] == 0  # every one of them came from a unit


def test_one_open_task_per_source_key(person):
    me = person("staff_a")
    a = task_open(
        kind="other",
        subject="x",
        region=me.region,
        by=me.user,
        assignee_person=me,
        source_key="test:1",
    )
    b = task_open(
        kind="other",
        subject="x",
        region=me.region,
        by=me.user,
        assignee_person=me,
        source_key="test:1",
    )
    assert a.pk == b.pk
    task_finish(task=a, by=me.user)
    c = task_open(
        kind="other",
        subject="x",
        region=me.region,
        by=me.user,
        assignee_person=me,
        source_key="test:1",
    )
    assert c.pk != a.pk


def test_another_townships_task_is_404(persona, publicity):
    task = Task.objects.filter(subject__endswith="报表0").first()
    assert persona("staff_b").get(f"/inbox/tasks/{task.pk}/").status_code == 200
    assert persona("staff_a").get(f"/inbox/tasks/{task.pk}/").status_code == 404
    assert persona("staff_a").get(f"/api/v1/workload/tasks/{task.pk}").status_code == 404
