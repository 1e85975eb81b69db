"""案件台账 as .xlsx: one row per case of the caller's area, the list's state filter applied, in a
bounded number of queries."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiceng.enforcement.models import PenaltyCase
from tests.conftest import client_for

from .helpers import BEFORE, KEYAN, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
URL = "/enforcement/export.xlsx"
HEADER = [
    "案件编号",
    "当事人",
    "当事人类型",
    "当事人住所或地址",
    "权力事项",
    "程序",
    "违法行为发生日",
    "立案日期",
    "承办单位",
    "是否区级审批",
    "是否重大（法制审核）",
    "是否听证",
    "处罚种类",
    "罚款金额",
    "没收金额",
    "决定日期",
    "送达日期",
    "缴纳方式",
    "缴纳日期",
    "实缴金额",
    "加处罚款",
    "结案日期",
    "当前状态",
]


def _sheet(client, query: str = "") -> list[tuple]:
    r = client.get(URL + query)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)


def _by_code(rows) -> dict:
    return {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}


def _decided(party="台账当事人"):
    pc = open_case(party=party)
    captain = client_for("captain_pj")
    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    post(captain, f"{API}{pc.code}/notify", {"kinds": ["fine"], "fine_amount": "2000"})
    body = {"note": "罚款", "kinds": ["fine"], "fine_amount": "2000", "waived": True}
    assert post(client_for("leader_pj"), f"{API}{pc.code}/decide", body).status_code == 200
    assert post(captain, f"{API}{pc.code}/serve").status_code == 200
    return PenaltyCase.objects.get(pk=pc.pk)


def test_every_column_of_a_decided_case_reads_back():
    pc = _decided()
    rows = _sheet(client_for("captain_pj"))
    assert list(rows[0]) == HEADER
    row = _by_code(rows)[pc.code]
    today = timezone.localdate()
    assert row["当事人"] == "台账当事人" and row["当事人类型"] == "公民"
    assert row["程序"] == "普通程序"
    assert row["权力事项"].startswith("JC-CF-001 ")
    assert row["违法行为发生日"].date() == pc.act_date
    assert row["立案日期"].date() == timezone.localtime(pc.filed_at).date()
    assert row["承办单位"] == pc.handling_unit.name
    assert row["是否区级审批"] == "否" and row["是否重大（法制审核）"] == "否"
    assert row["是否听证"] == "否"
    assert row["处罚种类"] == "罚款" and row["罚款金额"] == 2000 and row["没收金额"] is None
    assert row["决定日期"].date() == today and row["送达日期"].date() == today
    assert row["结案日期"] is None and row["当前状态"] == "已送达"


def test_a_major_amount_an_approval_and_a_no_penalty_show_as_such():
    big = open_case(party="重大当事人")
    captain = client_for("captain_pj")
    post(captain, f"{API}{big.code}/investigate")
    add_evidence(big)
    post(captain, f"{API}{big.code}/notify", {"kinds": ["fine"], "fine_amount": "20000"})
    district = open_case(act_date=BEFORE, party="审批当事人")
    spared = open_case(party="不罚当事人")
    post(captain, f"{API}{spared.code}/investigate")
    body = {"ground": "first_minor", "note": "初次违法", "kinds": ["order_correct"]}
    assert post(client_for("leader_pj"), f"{API}{spared.code}/no-penalty", body).status_code == 200
    rows = _by_code(_sheet(client_for("captain_pj")))
    assert rows[big.code]["是否重大（法制审核）"] == "是"  # 20000 ≥ the 10000 default
    # intended only: nothing decided yet
    assert rows[big.code]["处罚种类"] is None and rows[big.code]["罚款金额"] is None
    assert rows[district.code]["是否区级审批"] == "是"
    assert rows[spared.code]["处罚种类"] == "不予行政处罚；责令改正（非行政处罚）"
    assert rows[spared.code]["罚款金额"] is None


def test_each_township_sees_only_its_own_cases():
    pj = _decided()
    ky = open_case(township=KEYAN, power="JC-CF-002", by="handler_ky", party="柯岩台账当事人")
    panjiang = _by_code(_sheet(client_for("captain_pj")))
    keyan = _by_code(_sheet(client_for("dispatcher_ky")))
    assert pj.code in panjiang and ky.code not in panjiang
    assert ky.code in keyan and pj.code not in keyan
    assert all(r["承办单位"] != pj.handling_unit.name for r in keyan.values())
    assert ky.code not in _by_code(_sheet(client_for("county_zy")))


def test_the_state_filter_of_the_list_applies():
    served = _decided()
    filed = open_case(party="仅立案")
    rows = _by_code(_sheet(client_for("captain_pj"), "?state=served"))
    assert served.code in rows and filed.code not in rows
    assert {r["当前状态"] for r in rows.values()} == {"已送达"}
    rows = _by_code(_sheet(client_for("captain_pj"), "?state=filed"))
    assert filed.code in rows and served.code not in rows
    every = _by_code(_sheet(client_for("captain_pj"), "?state=nonsense"))  # ignored, like the list
    assert {served.code, filed.code} <= set(every)
    list_page = client_for("captain_pj").get("/enforcement/?state=served").content.decode()
    assert f"{URL}?state=served" in list_page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx)


def test_the_ledger_costs_the_same_queries_for_one_case_or_many(django_assert_max_num_queries):
    client = client_for("captain_pj")
    _decided()
    few = _queries(client)
    for n in range(6):
        pc = open_case(party=f"批量{n}")
        post(client, f"{API}{pc.code}/investigate")
        add_evidence(pc)
        post(client, f"{API}{pc.code}/notify", {"kinds": ["fine"], "fine_amount": "20000"})
    _decided("另一个已决定")
    assert _queries(client) == few
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_the_list_page_links_the_export():
    page = client_for("captain_pj").get("/enforcement/").content.decode()
    assert 'id="ledger-export"' in page and URL in page
