"""减负监测 (S7): month by month, how many tasks and upper units reach each person in scope."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.org.models import Region, Unit
from jiceng.workload.actions import task_open
from jiceng.workload.models import Task
from jiceng.workload.selectors import burden_by_month, month_starts
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db
PANJIANG = "530303102"


def months_ago(n: int, day: int = 10) -> dt.datetime:
    """A moment in the n-th calendar month before this one (local time)."""
    return month_starts(timezone.now(), n + 1)[0].replace(day=day, hour=10)


def send(n: int, when: dt.datetime, *, to=None, to_unit=None, units=()) -> None:
    """n tasks from the given upper units in turn, to a person or a unit, created at `when`."""
    township = Region.objects.get(code=PANJIANG)
    me = user("dispatcher_pj")
    for k in range(n):
        task = task_open(
            kind="data_request" if k % 2 else "assessment",
            subject=f"报表{k}",
            region=township,
            by=me,
            assignee_person=to,
            assignee_unit=to_unit,
            from_unit=units[k % len(units)] if units else None,
        )
        Task.objects.filter(pk=task.pk).update(created_at=when)


@pytest.fixture
def story():
    """S7: 蒋宣传 of 盘江镇 hears from 8 county departments; after the reform, from 2."""
    publicity = user("publicity_pj").person
    county = list(Unit.objects.filter(region__code="530303", kind="department").order_by("pk"))
    assert len(county) >= 8
    send(16, months_ago(2), to=publicity, units=county[:8])
    send(4, months_ago(1), to=publicity, units=county[:2])
    team = Unit.objects.get(name="盘江镇综合执法队")
    send(3, months_ago(1), to_unit=team, units=county[:1])  # the team's, seen by all its members
    return publicity, county, team


def row_of(table, name):
    return next(r for r in table["people"] if r["person"].name == name)


def test_a_person_reached_by_fewer_units_month_by_month(story):
    publicity, county, team = story
    table = burden_by_month(user("leader_pj"), months=3)
    assert table["months"] == [m.strftime("%Y-%m") for m in month_starts(timezone.now(), 3)]
    cells = row_of(table, "蒋宣传")["months"]
    assert [(c["tasks"], c["upper_units"]) for c in cells] == [(16, 8), (4, 2), (0, 0)]
    # a unit's task reaches each of its members once, and counts once in the totals
    members = [
        r
        for r in table["people"]
        if team.pk in (r["person"].home_unit_id, r["person"].managing_unit_id)
    ]
    assert members and all(r["months"][1]["tasks"] >= 3 for r in members)
    totals = table["totals"]
    assert [t["tasks"] for t in totals] == [16, 7, 0]
    assert [t["upper_units"] for t in totals] == [8, 2, 0]
    assert totals[0]["by_kind"] == {"assessment": 8, "data_request": 8}
    assert [t["change"] for t in totals] == [None, -9, -7]
    assert all(r["person"].region.code.startswith(PANJIANG) for r in table["people"])


def test_the_units_that_send_most_come_first(story):
    publicity, county, team = story
    send(2, months_ago(1), to=publicity)  # opened by the platform itself, from no unit
    senders = burden_by_month(user("leader_pj"), months=3)["senders"]
    # county[0] sent 2, then 2 + 3 (to the team); county[1] 2, then 2; the others 2; the platform 2
    assert [(s["unit"].pk if s["unit"] else None, s["months"]) for s in senders[:2]] == [
        (county[0].pk, [2, 5, 0]),
        (county[1].pk, [2, 2, 0]),
    ]
    assert sum(s["tasks"] for s in senders) == 16 + 7 + 2
    assert any(s["unit"] is None and s["tasks"] == 2 for s in senders)
    page = client_for("leader_pj").get("/inbox/burden/", {"months": "3"}).content.decode()
    table = page[page.index('id="burden-senders"') : page.index('id="burden-people"')]
    assert table.index(county[0].name) < table.index(county[1].name) and "平台自动派发" in table


def test_the_page_shows_the_trend_and_the_county_chooses_a_township(story):
    page = client_for("leader_pj").get("/inbox/burden/", {"months": "3"}).content.decode()
    assert "减负监测" in page and "蒋宣传" in page and "16 / 8" in page and "4 / 2" in page
    assert '<span class="badge ok">-9</span>' in page
    assert '"tasks": [16, 7, 0], "units": [8, 2, 0]' in page  # the trend the chart draws
    county = client_for("county_zy").get("/inbox/burden/", {"region": PANJIANG, "months": "3"})
    assert county.status_code == 200 and "16 / 8" in county.content.decode()
    assert "盘江镇" in county.content.decode()


def test_the_export_is_the_same_table(story):
    r = client_for("leader_pj").get("/inbox/burden.xlsx", {"months": "3"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames == ["按人员", "按月合计", "按交办单位"]
    people = list(wb["按人员"].iter_rows(values_only=True))
    assert people[0] == ("姓名", "所属区域", "单位", "月份", "收到事项", "上级单位数")
    mine = [row for row in people if row[0] == "蒋宣传"]
    assert [(row[4], row[5]) for row in mine] == [(16, 8), (4, 2), (0, 0)]
    totals = list(wb["按月合计"].iter_rows(values_only=True))
    assert totals[0][:3] == ("月份", "事项合计", "上级单位数") and "考核检查" in totals[0]
    assert [row[1] for row in totals[1:]] == [16, 7, 0]
    senders = list(wb["按交办单位"].iter_rows(values_only=True))
    assert senders[0][:2] == ("交办单位", "所属区域") and senders[0][-1] == "合计"
    assert senders[1][-4:] == (2, 5, 0, 7)


def test_the_api_gives_the_same_figures(story):
    body = client_for("county_zy").get("/api/v1/workload/burden/monthly?months=3").json()
    mine = next(p for p in body["people"] if p["name"] == "蒋宣传")
    assert [m["tasks"] for m in mine["months"]] == [16, 4, 0] and mine["region"] == PANJIANG
    assert [t["tasks"] for t in body["totals"]] == [16, 7, 0]
    assert body["senders"][0]["months"] == [2, 5, 0] and body["senders"][0]["region"] == "530303"


@pytest.mark.parametrize("who", ["dispatcher_pj", "grid_ky", "resident", "publicity_pj"])
def test_only_leaders_the_county_and_assessors_watch_the_burden(story, who):
    c = client_for(who)
    page = c.get("/inbox/burden/")
    assert page.status_code == 403 and "减负监测供分管领导" in page.content.decode()
    assert c.get("/inbox/burden.xlsx").status_code == 403
    api = c.get("/api/v1/workload/burden/monthly")
    assert api.status_code == 403 and "减负监测" in api.json()["detail"]


def test_another_township_or_county_sees_none_of_it(story):
    keyan = client_for("leader_ky")
    assert "蒋宣传" not in keyan.get("/inbox/burden/").content.decode()
    assert keyan.get("/inbox/burden/", {"region": PANJIANG}).status_code == 404
    assert keyan.get("/inbox/burden.xlsx", {"region": PANJIANG}).status_code == 404
    assert keyan.get(f"/api/v1/workload/burden/monthly?region={PANJIANG}").status_code == 404
    other_county = client_for("county_kq").get("/inbox/burden/").content.decode()
    assert "蒋宣传" not in other_county
    assert "蒋宣传" not in client_for("assessor_kq").get("/inbox/burden/").content.decode()


def test_bad_months_fall_back_and_are_bounded(story):
    c = client_for("leader_pj")
    assert c.get("/inbox/burden/", {"months": "abc"}).context["months"] == 6
    assert c.get("/inbox/burden/", {"months": "999"}).context["months"] == 24
    assert c.get("/inbox/burden/", {"months": "0"}).context["months"] == 1


def test_queries_do_not_grow_with_tasks(story, django_assert_max_num_queries):
    c = client_for("county_zy")
    c.get("/inbox/burden/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        c.get("/inbox/burden/")
    publicity, county, _team = story
    send(40, months_ago(1), to=publicity, units=county)
    with django_assert_max_num_queries(len(before)):
        c.get("/inbox/burden/")
