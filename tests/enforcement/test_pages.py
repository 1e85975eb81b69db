"""The pages: list for the caller's area, detail with the holder explanation and the buttons the
person may use now, 立案 through the form, the menu entry, the demo and the legal clocks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jiceng.core.calendar import is_workday
from jiceng.enforcement import clocks
from jiceng.enforcement.models import PenaltyCase
from jiceng.org.demo import DemoContext
from tests.conftest import client_for

from .helpers import BEFORE, add_evidence, open_case

pytestmark = pytest.mark.django_db


def test_list_shows_the_areas_cases_and_the_menu_entry():
    pc = open_case(party="列表当事人")
    page = client_for("captain_pj").get("/enforcement/").content.decode()
    assert "列表当事人" in page and pc.code in page
    assert 'href="/enforcement/"' in page  # nav entry
    other = client_for("handler_ky").get("/enforcement/").content.decode()
    assert "列表当事人" not in other
    resident = client_for("resident").get("/").content.decode()
    assert 'href="/enforcement/"' not in resident


def test_detail_shows_explanation_and_only_allowed_buttons():
    pc = open_case(act_date=BEFORE)
    captain = client_for("captain_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert "2019-05-01" in captain and "沾益区综合行政执法局" in captain
    assert f"/enforcement/{pc.code}/act/investigate/" in captain
    assert f"/enforcement/{pc.code}/act/approve/" not in captain
    assert "违法行为发生至发现已超过二年" in captain  # 第三十六条 warning
    dispatcher = client_for("dispatcher_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert "/act/" not in dispatcher and "您现在没有可办理的环节" in dispatcher


def test_open_form_and_steps_through_the_pages():
    client = client_for("captain_pj")
    r = client.post(
        "/enforcement/open/",
        {
            "power": "JC-CF-001",
            "party_name": "表单当事人",
            "party_kind": "organisation",
            "act_date": "2022-04-01",
        },
    )
    pc = PenaltyCase.objects.get(party_name="表单当事人")
    assert pc.party_kind == "organisation"
    assert r.status_code == 302 and r.url == f"/enforcement/{pc.code}/"
    assert pc.approval_required is False and pc.handling_unit.name == "盘江镇综合执法队"
    client.post(f"/enforcement/{pc.code}/act/investigate/", {"note": "现场勘查"})
    add_evidence(pc)
    client.post(f"/enforcement/{pc.code}/act/notify/", {"kinds": ["fine"], "fine_amount": "3000"})
    body = {"note": "罚款", "waived": "1", "kinds": ["fine", "order_demolish"]}
    r = client.post(f"/enforcement/{pc.code}/act/decide/", {**body, "fine_amount": "abc"})
    assert r.status_code == 400 and "罚款金额须为大于0的金额" in r.content.decode()
    r = client.post(f"/enforcement/{pc.code}/act/decide/", {**body, "fine_amount": "3,000"})
    assert r.status_code == 302
    pc.refresh_from_db()
    assert pc.state == "decided" and pc.fine_amount == Decimal("3000.00")
    assert pc.penalty_kinds == ["fine", "order_demolish"]
    page = client.get(f"/enforcement/{pc.code}/").content.decode()
    assert "罚款、责令限期拆除（非行政处罚）" in page and "3000.00 元" in page
    listing = client.get("/enforcement/").content.decode()
    assert "罚款、责令限期拆除（非行政处罚） · 3000.00 元" in listing


def test_open_form_refuses_a_missing_party():
    r = client_for("captain_pj").post(
        "/enforcement/open/", {"power": "JC-CF-001", "party_name": " ", "act_date": "2022-04-01"}
    )
    assert r.status_code == 400 and "请填写当事人" in r.content.decode()


def test_open_from_a_reported_case():
    from jiceng.cases.actions import Report, case_report
    from tests.cases.helpers import PANJIANG, point_in

    lon, lat = point_in(PANJIANG, None)
    case, _ = case_report(
        report=Report(
            description="农户新建房屋挡住生产路",
            lon=lon,
            lat=lat,
            category_code="M06001",
            occurred_at=timezone.now() - dt.timedelta(days=3),
        ),
        by=None,
    )
    r = client_for("captain_pj").post(
        "/api/v1/enforcement/",
        {"case": case.code, "party_name": "李某"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["case"] == case.code and r.json()["power"] == "JC-CF-001"
    again = client_for("captain_pj").post(
        "/api/v1/enforcement/",
        {"case": case.code, "party_name": "李某"},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_clocks_follow_the_law_and_the_working_day_calendar():
    start = timezone.make_aware(dt.datetime(2024, 9, 30, 10, 0))
    decision = timezone.localtime(clocks.deadline("decision", start))
    assert decision.date() == dt.date(2024, 12, 30)  # 九十日 (第六十条), natural days
    hearing = timezone.localtime(clocks.deadline("hearing", start)).date()
    days = [start.date() + dt.timedelta(days=k) for k in range(1, 20)]
    assert hearing == [d for d in days if is_workday(d)][4]  # 五日 = 5 working days (第八十五条)
    assert hearing > dt.date(2024, 10, 7)  # National Day holidays do not count
    assert clocks.deadline("decision", timezone.make_aware(dt.datetime(2020, 1, 2, 9))) is None


def test_demo_loads_both_s1_cases_once():
    from jiceng.cases import demo as cases_demo
    from jiceng.enforcement import demo

    ctx = DemoContext(with_samples=True)
    cases_demo.load_late(ctx)  # runs first in load_demo (app order)
    demo.load_late(ctx)
    demo.load_late(ctx)
    cases = PenaltyCase.objects.filter(demo=True).order_by("act_date")
    assert cases.count() == 2
    before, after = cases
    assert before.approval_required and before.state == "awaiting_approval"
    assert (
        not after.approval_required
        and after.state == "served"
        and after.case.idempotency_key == "demo-pj-farmland"
    )
    assert after.evidence.get().device.startswith("执法记录仪")


def test_demo_cases_have_a_party_address_and_a_second_load_fills_an_old_one():
    from jiceng.cases import demo as cases_demo
    from jiceng.enforcement import demo

    ctx = DemoContext(with_samples=True)
    cases_demo.load_late(ctx)
    demo.load_late(ctx)
    cases = PenaltyCase.objects.filter(demo=True)
    assert cases.count() == 2 and all(c.party_address for c in cases)
    PenaltyCase.objects.filter(demo=True).update(party_address="")  # loaded before addresses
    demo.load_late(ctx)
    demo.load_late(ctx)
    assert {c.party_address for c in cases} == set(demo.ADDRESSES.values())
    assert PenaltyCase.objects.filter(demo=True).count() == 2
