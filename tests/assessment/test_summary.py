"""年度考核结果汇总: each unit's score and place in every approved item of the year, in the
caller's area; no total and no overall place; Excel out."""

import io

import openpyxl
import pytest
from django.utils import timezone

from jiceng.assessment.selectors import year_summary
from tests.conftest import client_for, user

from .helpers import approved, draft, inspect, safety_item, score, streets

pytestmark = pytest.mark.django_db


def _year_of_two_items():
    t1, t2 = streets(2)
    publicity = approved(name="宣传思想工作考核")
    ky, x1, x2 = inspect(publicity, "柯岩街道办事处", t1, t2)
    score(ky, 55, 40)
    score(x1, 50, 40)
    score(x2, 40, 40)
    safety = safety_item()
    ky_s, x1_s = inspect(safety, "柯岩街道办事处", t1)
    score(ky_s, 90, vetoed=True, veto_reason="发生较大安全事故")
    score(x1_s, 100)  # a full score reads "100", not "1E+2"
    unscored = approved(name="文明创建考核")
    inspect(unscored, "柯岩街道办事处")
    drafted = draft(name="草拟中的考核")
    return publicity, safety, unscored, drafted, (ky, x1, x2)


def _cells(summary, unit_name):
    (row,) = [r for r in summary["rows"] if r["unit"].name == unit_name]
    return {c["column"]["item"].pk: c["found"] for c in row["cells"]}


def test_the_county_sees_every_unit_in_every_item_of_the_year_and_no_total():
    publicity, safety, unscored, drafted, (ky, x1, x2) = _year_of_two_items()
    year = timezone.localdate().year
    summary = year_summary(user("county_kq"), year)
    items = [c["item"].pk for c in summary["columns"]]
    assert publicity.pk in items and safety.pk in items
    assert unscored.pk not in items and drafted.pk not in items
    mine = _cells(summary, "柯岩街道办事处")
    assert [(x["rank"], str(x["total"]), x["vetoed"]) for x in mine[publicity.pk]] == [
        (1, "95", False)
    ]
    assert [(x["rank"], x["vetoed"]) for x in mine[safety.pk]] == [(2, True)]  # a veto last
    assert [x["rank"] for x in _cells(summary, x1.unit.name)[safety.pk]] == [1]
    assert _cells(summary, x2.unit.name)[safety.pk] == []  # not inspected under it

    page = client_for("county_kq").get(f"/assessment/summary/?year={year}").content.decode()
    assert 'id="summary"' in page and publicity.name in page and "不合计得分，不排总名次" in page
    assert "第3名/共3个" in page and "一票否决" in page
    assert "合计" not in page.split('id="summary"', 1)[1]
    # another year has none of these
    assert year_summary(user("county_kq"), year - 1)["columns"] == []

    r = client_for("county_kq").get(f"/assessment/summary.xlsx?year={year}")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
    header = rows[0]
    assert header[:2] == ("单位", "所属区域") and publicity.name in header
    ky_row = next(row for row in rows if row[0] == "柯岩街道办事处")
    assert ky_row[header.index(publicity.name)] == "95（第1名/共3个）"
    assert ky_row[header.index(safety.name)] == "一票否决（第2名/共2个）"
    x1_row = next(row for row in rows if row[0] == x1.unit.name)
    assert x1_row[header.index(safety.name)] == "100（第1名/共2个）"
    assert ("各考核事项的指标、分值和方法不同，不合计得分，不排总名次",) in [r[:1] for r in rows]


def test_a_street_sees_its_own_row_with_its_place_among_all_and_another_county_nothing():
    publicity, _safety, _unscored, _drafted, (ky, x1, x2) = _year_of_two_items()
    year = timezone.localdate().year
    summary = year_summary(user("dispatcher_ky"), year)
    assert [r["unit"].name for r in summary["rows"]] == ["柯岩街道办事处"]
    assert [x["rank"] for x in _cells(summary, "柯岩街道办事处")[publicity.pk]] == [1]
    page = client_for("dispatcher_ky").get("/assessment/summary/").content.decode()
    assert x1.unit.name not in page and x2.unit.name not in page and "第1名/共3个" in page

    other = year_summary(user("county_zy"), year)
    assert publicity.pk not in [c["item"].pk for c in other["columns"]]
    assert all(r["unit"].region.code.startswith("530303") for r in other["rows"])
    page = client_for("county_zy").get("/assessment/summary/").content.decode()
    assert publicity.name not in page and "柯岩街道办事处" not in page
