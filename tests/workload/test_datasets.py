"""一表通 (S8): what the platform holds is read here, not asked of the townships again."""

import io

import pytest
from openpyxl import load_workbook

from jiceng.core.models import AuditEvent
from jiceng.org.models import Person, Unit
from jiceng.workload.models import Task
from tests.cases.helpers import report
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db


def send(who: str, **data):
    street = Unit.objects.get(name="柯岩街道办事处")
    body = {"kind": "data_request", "unit": [street.pk], **data}
    return client_for(who).post("/inbox/send/", body)


def test_a_form_asking_for_what_the_platform_holds_is_refused_with_where_to_read_it():
    audits = AuditEvent.objects.count()
    r = send("assessor_kq", subject="请各街道报送编制人数和公务用车情况")
    page = r.content.decode()
    assert r.status_code == 400 and "平台已有这些数据：单位人员与车辆" in page
    assert 'href="/inbox/data/staff/"' in page
    assert not Task.objects.exists() and AuditEvent.objects.count() == audits
    # sent as 其他 it is still a form; a check is not sent as a 交办 at all (S6)
    other = send("assessor_kq", kind="other", subject="请各街道报送编制人数")
    assert other.status_code == 400 and "单位人员与车辆" in other.content.decode()
    check = send("assessor_kq", kind="assessment", subject="检查公务用车管理")
    assert check.status_code == 400 and "已批准的考核事项" in check.content.decode()
    assert not Task.objects.exists()


def test_with_a_reason_it_is_sent_and_the_reason_is_kept():
    r = send(
        "assessor_kq",
        subject="报送案件办结率",
        body="按省里口径，需分社区统计",
        reason="省里口径按社区统计，平台数据按街道",
    )
    assert r.status_code == 302
    task = Task.objects.get(subject="报送案件办结率")
    assert task.details["instead_of"] == ["cases"]
    assert task.details["reason"] == "省里口径按社区统计，平台数据按街道"
    sent = AuditEvent.objects.filter(verb="task.send").latest("id")
    assert sent.after["instead_of"] == ["cases"] and "省里口径" in sent.after["reason"]


def test_the_api_refuses_the_same_way():
    street = Unit.objects.get(name="柯岩街道办事处")
    r = client_for("assessor_kq").post(
        "/api/v1/workload/tasks",
        {"kind": "data_request", "subject": "统计健康证到期人员", "units": [street.pk]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "主动服务进度" in r.json()["detail"]


def test_staff_and_cars_of_the_area_are_read_from_the_units(persona):
    c = client_for("county_zy")
    page = c.get("/inbox/data/staff/").content.decode()
    town = Unit.objects.get(name="盘江镇人民政府")
    assert "盘江镇人民政府" in page and "柯岩街道" not in page
    r = c.get("/inbox/data/staff.xlsx", {"region": "530303102"})
    rows = list(
        load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True)
    )
    assert rows[0] == (
        "所属区域",
        "单位",
        "类型",
        "编制人数",
        "在岗人员",
        "其中下沉干部",
        "公务用车",
    )
    row = next(x for x in rows if x[1] == "盘江镇人民政府")
    managed = Person.objects.filter(managing_unit=town).count()
    assert managed >= 3  # 卫镇长, 褚派遣, 蒋宣传 …
    assert (row[3], row[4], row[6]) == (13, managed, 1)  # S7: 13 staff on the books, one car
    assert all(x[0] for x in rows[1:])  # every unit is of 沾益区's 盘江镇, named


def test_seconded_officers_are_counted_under_the_street_that_manages_them():
    c = client_for("county_kq")
    r = c.get("/inbox/data/staff.xlsx", {"region": "330603002"})
    rows = list(
        load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True)
    )
    team = next(x for x in rows if x[1] == "柯岩街道综合执法队")
    assert team[5] == 3  # 下沉干部1–3, home unit 柯桥区综合行政执法局


def test_cases_of_each_township_come_from_the_case_loop(persona):
    for k in range(3):
        report(persona("grid_a"), k=k, text=f"倾倒垃圾{k}")
    page = client_for("county_kq").get("/inbox/data/cases/").content.decode()
    assert "柯岩街道" in page and "盘江镇" not in page
    r = client_for("county_kq").get("/inbox/data/cases.xlsx")
    rows = list(
        load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True)
    )
    this_month = next(x for x in rows if x[0] == "柯岩街道" and str(x[1]).endswith("（至今）"))
    assert this_month[2] == 3


def test_only_senders_read_it_and_only_for_their_area():
    for who in ("dispatcher_ky", "grid_ky", "resident"):
        assert client_for(who).get("/inbox/data/").status_code == 403
        assert client_for(who).get("/inbox/data/staff/").status_code == 403
    keyan = client_for("leader_ky")
    assert keyan.get("/inbox/data/staff/", {"region": "530303102"}).status_code == 404
    assert keyan.get("/inbox/data/staff.xlsx", {"region": "530303102"}).status_code == 404
    assert keyan.get("/inbox/data/nothing/").status_code == 404
    page = keyan.get("/inbox/data/").content.decode()
    assert "单位人员与车辆" in page and "案件办理情况" in page and "主动服务进度" in page


def test_readiness_of_each_township_comes_from_what_it_filled_in():
    import datetime as dt

    from jiceng.org.models import Region
    from jiceng.powers.actions import readiness_set
    from jiceng.powers.selectors import delegations_to

    town = Region.objects.get(code="530303102")
    devolved = list(delegations_to(town, dt.date.today()))
    assert devolved  # S1: 盘江镇 carries the district's enforcement powers since 2019
    readiness_set(
        by=user("captain_pj"),
        township=town,
        delegation=devolved[0],
        status="needs_support",
        note="缺少执法记录仪",
    )
    r = client_for("county_zy").get("/inbox/data/readiness.xlsx")
    rows = list(
        load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True)
    )
    assert rows[0] == ("乡镇街道", "下放事项", "未填报", "能接住", "需要支持", "接不住")
    town_row = next(row for row in rows if row[0] == "盘江镇")
    assert town_row == ("盘江镇", len(devolved), len(devolved) - 1, 0, 1, 0)
    refused = send("assessor_kq", subject="请报送下放事项承接情况")
    assert refused.status_code == 400 and "下放事项承接情况" in refused.content.decode()


def test_the_api_gives_the_same_datasets():
    api = client_for("county_zy")
    keys = [d["key"] for d in api.get("/api/v1/workload/data").json()]
    assert keys == ["staff", "cases", "outreach", "readiness"]
    body = api.get("/api/v1/workload/data/staff?region=530303102").json()
    assert body["header"][:2] == ["所属区域", "单位"]
    town = next(row for row in body["rows"] if row[1] == "盘江镇人民政府")
    assert (town[3], town[6]) == (13, 1)
    assert api.get("/api/v1/workload/data/nothing").status_code == 404
    assert api.get("/api/v1/workload/data/staff?region=330603002").status_code == 404
    assert client_for("dispatcher_ky").get("/api/v1/workload/data").status_code == 403
    assert client_for("dispatcher_ky").get("/api/v1/workload/data/staff").status_code == 403
