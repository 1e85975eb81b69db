"""Pages and API: public list (anyone), item history, import preview/confirm, gaps, readiness."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiceng.workload.models import Task, TaskKind

from . import corpus

pytestmark = pytest.mark.django_db


def test_public_list_for_anyone():
    r = Client().get("/powers/?region=530303102&on=2020-01-01&q=规划许可证")
    assert r.status_code == 200
    body = r.content.decode()
    assert "JC-CF-001" in body and "盘江镇综合执法队" in body
    assert "JC-CF-006" not in body  # not held by the town


def test_public_list_type_filter_and_beijing_count():
    r = Client().get("/powers/?region=110101005&on=2020-07-01")
    assert "431 项" in r.content.decode()
    before = Client().get("/powers/?region=110101005&on=2020-06-30&type=penalty")
    assert "0 项" in before.content.decode()


def test_public_list_query_count(django_assert_max_num_queries):
    Client().get("/powers/?region=110101005&on=2020-07-01")  # warm the index
    with django_assert_max_num_queries(12):
        Client().get("/powers/?region=110101001&on=2020-07-01")


def test_public_export_xlsx():
    r = Client().get("/powers/export.xlsx?region=530303102&on=2020-01-01")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    codes = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert "JC-QZ-001" in codes and "JC-CF-006" not in codes


def test_item_history_and_api():
    r = Client().get("/powers/items/JC-CF-001/")
    assert "版本历史" in r.content.decode() and "沾政发〔2019〕12号" in r.content.decode()
    api = Client().get("/api/v1/powers/items/JC-CF-001").json()
    assert api["versions"][0]["version"] == 1


def test_holder_api_public():
    r = Client().get("/api/v1/powers/holder?power=JC-CF-001&region=530303102001001&on=2019-05-01")
    body = r.json()
    assert r.status_code == 200
    assert body["unit"]["name"] == "盘江镇综合执法队" and body["level"] == "township"
    assert body["delegation"]["document"].startswith("沾政发〔2019〕12号")
    assert body["delegation"]["effective_from"] == "2019-05-01"
    before = Client().get("/api/v1/powers/holder?power=JC-CF-001&region=530303102&on=2019-04-30")
    assert before.json()["delegation"] is None
    assert Client().get("/api/v1/powers/holder?power=X&region=530303102").status_code == 404
    assert (
        Client().get("/api/v1/powers/holder?power=JC-CF-001&region=530303102&on=x").status_code
        == 400
    )


def test_import_page_only_for_admins(persona):
    assert persona("staff_a").get("/powers/import/").status_code == 403
    assert persona("staff_b").get("/powers/import/").status_code == 403
    assert persona("county_b").get("/powers/import/").status_code == 200
    assert Client().get("/powers/import/").status_code == 302


def test_import_preview_then_confirm(persona, tmp_path):
    client = persona("county_b")
    rows = corpus.valid_rows(3, "WEB")
    rows[1] = corpus.row(2, "WEB", 生效日期="2021-02-30")
    bad = corpus.write(tmp_path / "bad.xlsx", rows)
    with bad.open("rb") as fh:
        r = client.post("/powers/import/", {"file": fh})
    assert "第3行 J列（生效日期）" in r.content.decode()
    good = corpus.write(tmp_path / "good.xlsx", corpus.valid_rows(3, "WEB"))
    with good.open("rb") as fh:
        r = client.post("/powers/import/", {"file": fh})
    assert "预检通过" in r.content.decode()
    token = r.context["token"]
    r = client.post("/powers/import/", {"token": token})
    assert "已导入" in r.content.decode()
    r = Client().get("/powers/?region=530303101&on=2021-06-01&q=WEB-00002")
    assert "WEB-00002" in r.content.decode()
    # Someone else cannot use the token.
    assert persona("county").post("/powers/import/", {"token": token}).status_code == 404


def test_gaps_show_responsibility_without_power(persona):
    r = persona("staff_b").get("/powers/gaps/?on=2024-01-01")  # default: own township
    body = r.content.decode()
    assert "辖区无照经营的查处" in body and "JC-CF-006" in body
    api = persona("staff_a").get("/api/v1/powers/gaps?region=330603002&on=2024-01-01").json()
    no_power = [g for g in api if g["kind"] == "no_power"]
    assert [g["power"] for g in no_power] == ["JC-CF-005"]
    assert no_power[0]["kind_label"] == "有责无权"
    x = persona("staff_b").get("/powers/gaps/export.xlsx?region=530303102&on=2024-01-01")
    ws = load_workbook(io.BytesIO(x.content)).worksheets[0]
    assert any(row[0].value == "有责无权" for row in ws.iter_rows(min_row=2))


def test_a_platform_admin_without_a_township_is_asked_to_choose_one(persona):
    r = persona("admin").get("/powers/gaps/")
    assert r.status_code == 200 and "请选择一个乡镇街道" in r.content.decode()
    assert "gaps/export.xlsx" not in r.content.decode()
    assert persona("admin").get("/powers/gaps/export.xlsx").status_code == 404
    chosen = persona("admin").get("/powers/gaps/?region=530303102&on=2024-01-01")
    assert "JC-CF-006" in chosen.content.decode()


def test_a_county_picks_one_of_its_townships_by_name(persona):
    page = persona("county").get("/powers/gaps/").content.decode()  # 柯桥区: its own code
    assert "请选择一个乡镇街道" in page and 'id="no-power"' not in page
    assert '<option value="330603002">柯岩街道（330603002）</option>' in page
    assert "530303102" not in page  # another county's township is not offered
    assert "gaps/export.xlsx" not in page
    assert persona("county").get("/powers/gaps/export.xlsx").status_code == 404
    chosen = persona("county").get("/powers/gaps/?region=330603002&on=2024-01-01").content
    assert 'value="330603002" selected' in chosen.decode() and "JC-CF-005" in chosen.decode()


def test_readiness_cannot_carry_opens_department_task(persona):
    url = "/powers/readiness/530303102/JC-CF-004/"
    form = {
        "status": "cannot_carry",
        "trained_staff": 1,
        "certified_officers": 0,
        "note": "缺少持证执法人员和高空作业设备",
    }
    assert persona("county_b").post(url, form).status_code == 403  # the county reads, not edits
    assert persona("staff_a").post(url, form).status_code == 404  # another township
    r = persona("staff_b").post(url, form)
    assert r.status_code == 302
    task = Task.objects.get(source_key="powers:readiness:530303102:JC-CF-004")
    assert task.kind == TaskKind.READINESS and task.assignee_unit.name == "沾益区综合行政执法局"
    board = persona("county_b").get("/powers/readiness/board/").content.decode()
    assert "缺少持证执法人员" in board
    assert (
        "缺少持证执法人员" not in persona("county").get("/powers/readiness/board/").content.decode()
    )
    form.update(status="ready", note="")
    persona("staff_b").post(url, form)
    task.refresh_from_db()
    assert task.state == "done"


def test_readiness_note_required(persona):
    r = persona("staff_b").post(
        "/powers/readiness/530303102/JC-CF-004/",
        {"status": "needs_support", "trained_staff": 0, "certified_officers": 0, "note": ""},
    )
    assert r.status_code == 200 and "请在说明中写明缺什么" in r.content.decode()


def test_api_delegation_scope(persona):
    body = {
        "power": "JC-CF-004",
        "target": "530303101",
        "effective_from": "2022-01-01",
        "document": "沾政发〔2022〕5号",
    }
    r = persona("county").post("/api/v1/powers/delegations", body, content_type="application/json")
    assert r.status_code == 403
    r = persona("county_b").post(
        "/api/v1/powers/delegations", body, content_type="application/json"
    )
    assert r.status_code == 201
    again = persona("county_b").post(
        "/api/v1/powers/delegations", body, content_type="application/json"
    )
    assert again.status_code == 400 and "沾政发〔2022〕5号" in again.json()["detail"]
    pk = r.json()["id"]
    revoke = {"end": "2023-01-01", "document": "沾政发〔2022〕9号"}
    assert (
        persona("county")
        .post(f"/api/v1/powers/delegations/{pk}/revoke", revoke, content_type="application/json")
        .status_code
        == 404
    )
    r = persona("county_b").post(
        f"/api/v1/powers/delegations/{pk}/revoke", revoke, content_type="application/json"
    )
    assert r.json()["effective_to"] == "2023-01-01"
