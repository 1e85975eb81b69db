"""S1: a resident's report of 私搭乱建 in 盘江镇 goes to whoever held the power on the act's date."""

import pytest

from jiceng.cases.models import Case, Category

from .helpers import PANJIANG, report

pytestmark = pytest.mark.django_db


def _send(client, occurred_at: str):
    r = report(
        client,
        township=PANJIANG,
        category="M06001",
        text="村民反映：农户新建房屋挡住村里的生产路",
        occurred_at=occurred_at,
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_category_is_linked_to_the_power_items():
    codes = set(Category.objects.get(code="M06001").powers.values_list("code", flat=True))
    assert {"JC-CF-001", "JC-QZ-001"} <= codes


def test_after_devolution_the_town_team_gets_it_with_the_delegation_explained(client):
    body = _send(client, "2021-06-01T10:00:00+08:00")
    assert body["route_unit"] == "盘江镇综合执法队"
    why = " ".join(body["route_explanation"])
    assert "JC-CF-001" in why and "2019-05-01" in why and "盘江镇综合执法队" in why
    case = Case.objects.get(code=body["code"])
    assert case.route_power == "JC-CF-001"


def test_before_devolution_the_district_bureau_gets_it(client):
    body = _send(client, "2018-03-01T10:00:00+08:00")
    assert body["route_unit"] == "沾益区综合行政执法局"
    assert "JC-CF-001" in " ".join(body["route_explanation"])


def test_the_explanation_is_shown_on_the_case_for_staff(client, persona):
    code = _send(client, "2021-06-01T10:00:00+08:00")["code"]
    got = persona("staff_b").get(f"/api/v1/cases/{code}").json()
    assert got["route_unit"] == "盘江镇综合执法队"
    assert any("2019-05-01" in line for line in got["route_explanation"])
