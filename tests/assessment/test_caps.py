"""The caps table and its Excel are scoped like every list."""

import io

import openpyxl
import pytest

from tests.conftest import client_for

from .helpers import approved, inspect

pytestmark = pytest.mark.django_db


def _sheet(who: str) -> list[tuple]:
    r = client_for(who).get("/assessment/caps.xlsx")
    assert r.status_code == 200
    return list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)


def test_caps_excel_counts_and_stays_in_scope():
    inspect(approved(), "柯岩街道办事处")
    rows = _sheet("county_kq")
    assert rows[0][:5] == ("单位", "所属区域", "考核对象", "已接受次数", "年度上限")
    street = next(r for r in rows if r[0] == "柯岩街道办事处")
    assert street[3:6] == (1, 12, 11)
    names = {r[0] for r in rows[1:]}
    assert "柯岩街道派出所" in names and not any(n.startswith("盘江镇") for n in names)
    assert not any("柯岩街道" in (r[0] or "") for r in _sheet("dispatcher_pj"))
