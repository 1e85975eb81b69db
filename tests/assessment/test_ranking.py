"""排名与通报: an item's scored inspections ranked by total (ties share a rank, a one-vote veto
last), with how many are scored, the mean and the open reviews; one selector for the page, the
API, results.xlsx and the 通报 sheet, scoped like the results."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from jiceng.assessment import actions
from jiceng.assessment.selectors import competition_ranks, ranking
from tests.conftest import client_for, user

from .helpers import appeal, inspect, person, safety_item, score, streets

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "rows, ranks",
    [
        ([], []),
        ([(False, 90)], [1]),
        ([(False, 95), (False, 90), (False, 90), (False, 80)], [1, 2, 2, 4]),
        ([(False, 90), (False, 90), (True, 99), (True, 50)], [1, 1, 3, 3]),
        ([(True, 99)], [1]),
    ],
)
def test_competition_ranks(rows, ranks):
    assert competition_ranks(rows) == ranks


def _board():
    """柯岩 95, two streets tied at 90, two vetoed (99 and 50), one not scored; 柯岩 appeals."""
    item = safety_item()
    t1, t2, t3, t4, t5 = streets(5)
    ky, *others = inspect(item, "柯岩街道办事处", t1, t2, t3, t4, t5)
    score(ky, 95)
    score(others[0], 90)
    score(others[1], 90)
    score(others[2], 99, vetoed=True, veto_reason="发生较大生产安全事故")
    score(others[3], 50, vetoed=True, veto_reason="发生较大生产安全事故")
    return item, ky, (t1, t2, t3, t4, t5)


def test_the_ranking_orders_ties_and_vetoes_and_is_provisional_while_an_appeal_is_open():
    item, ky, (t1, t2, t3, t4, _t5) = _board()
    a = appeal(ky)
    board = ranking(item, user("county_kq"))
    got = [(r["rank"], r["inspection"].unit.name, r["inspection"].vetoed) for r in board["rows"]]
    tied = sorted([t1, t2])
    vetoed = sorted([t3, t4])
    assert got == [
        (1, "柯岩街道办事处", False),
        (2, tied[0], False),
        (2, tied[1], False),
        (4, vetoed[0], True),
        (4, vetoed[1], True),
    ]
    assert board["scored"] == 5 and board["unscored"] == 1
    assert board["mean"] == Decimal("84.8") and board["appeals_open"] == 1

    # the page shows it, marked provisional while 柯岩's appeal is open
    page = client_for("county_kq").get(f"/assessment/{item.pk}/").content.decode()
    assert 'id="ranking"' in page and "复核未结，排名为暂定" in page and "84.8" in page
    # the API says the same
    r = client_for("county_kq").get(f"/api/v1/assessment/items/{item.pk}/ranking").json()
    assert [row["rank"] for row in r["rows"]] == [1, 2, 2, 4, 4]
    assert [row["vetoed"] for row in r["rows"]] == [False, False, False, True, True]
    assert r["rows"][0]["appeal"] == "open" and r["provisional"] and r["unscored"] == 1
    assert r["document"] == "柯考核办〔2026〕9号"

    # once the appeal is decided the ranking is final
    organiser = person("assessor_kq")
    actions.appeal_decide(
        appeal=a, person=organiser, outcome="upheld", decision="核实无误", by=organiser.user
    )
    assert ranking(item, user("county_kq"))["appeals_open"] == 0
    page = client_for("county_kq").get(f"/assessment/{item.pk}/").content.decode()
    assert "复核未结" not in page


def test_the_ranking_is_scoped_like_the_results_with_the_place_among_all():
    item, ky, (t1, t2, *_rest) = _board()
    score(ky, 80)  # now third, after the two streets tied at 90
    county = [
        (r["rank"], r["inspection"].unit.name) for r in ranking(item, user("county_kq"))["rows"]
    ]
    assert county[:3] == [(1, min(t1, t2)), (1, max(t1, t2)), (3, "柯岩街道办事处")]
    # 柯岩街道 sees its own row only, with its place among all, not first of one
    own = ranking(item, user("dispatcher_ky"))
    assert [(r["rank"], r["inspection"].unit.name) for r in own["rows"]] == [(3, "柯岩街道办事处")]
    assert own["scored"] == 1 and own["unscored"] == 0 and own["ranked"] == 5
    assert own["mean"] == 80
    page = client_for("dispatcher_ky").get(f"/assessment/{item.pk}/").content.decode()
    assert t1 not in page and "共5个" in page
    rows, _names = _sheet(client_for("dispatcher_ky"), f"/assessment/{item.pk}/notice.xlsx")
    assert rows[3][0] == "名次按本事项全部已评分结果（共5个）排定"
    assert (3, "柯岩街道办事处") in [r[:2] for r in rows] and t1 not in str(rows)
    # another county does not see the item at all
    pj = client_for("dispatcher_pj")
    assert pj.get(f"/api/v1/assessment/items/{item.pk}/ranking").status_code == 404
    assert pj.get(f"/assessment/{item.pk}/notice.xlsx").status_code == 404


def _sheet(client, url, name=None):
    r = client.get(url)
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    return list((wb[name] if name else wb.active).values), wb.sheetnames


def test_the_notice_and_results_xlsx_carry_the_ranking():
    item, ky, (t1, t2, t3, t4, _t5) = _board()
    appeal(ky)
    county = client_for("county_kq")
    rows, _names = _sheet(county, f"/assessment/{item.pk}/notice.xlsx")
    assert rows[0][0] == "安全生产考核 考核结果通报"
    assert rows[1][:2] == ("批准文号", "柯考核办〔2026〕9号")
    assert rows[2][0] == "通报日期" and rows[2][1].date() == timezone.localdate()
    assert rows[3][:2] == ("复核未结，排名为暂定", 1)
    header = rows.index(
        ("排名", "被检查单位", "所属区域", "日期", "方式", "得分", "一票否决", "复核")
    )
    body = rows[header + 1 : header + 6]
    assert [(r[0], r[1], r[5], r[6], r[7]) for r in body] == [
        (1, "柯岩街道办事处", 95, None, "复核中"),
        (2, sorted([t1, t2])[0], 90, None, None),
        (2, sorted([t1, t2])[1], 90, None, None),
        (4, sorted([t3, t4])[0], 99, "是", None),
        (4, sorted([t3, t4])[1], 50, "是", None),
    ]
    assert ("已评分", 5) in [r[:2] for r in rows] and ("平均分", 84.8) in [r[:2] for r in rows]

    # results.xlsx: the results sheet first (what the import reads), the ranking beside it
    ranked, names = _sheet(county, f"/assessment/{item.pk}/results.xlsx", "排名")
    assert names == ["考核结果", "排名"]
    assert [r[0] for r in ranked[1:6]] == [1, 2, 2, 4, 4]


def test_the_ranking_reads_a_fixed_number_of_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item, ky, _names = _board()
    appeal(ky)
    county = user("county_kq")
    ranking(item, county)  # the caller's person and area, read once per request, are cached
    with CaptureQueriesContext(connection) as few:
        ranking(item, county)
    (extra,) = inspect(item, "柯岩街道办事处")
    score(extra, 70)
    with CaptureQueriesContext(connection) as more:
        assert len(ranking(item, county)["rows"]) == 6
    assert len(more) == len(few) == 3  # every total, the area's inspections, their appeals
