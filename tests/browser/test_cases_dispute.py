"""S10 in the browser, on a phone: a neighbours' dispute in 柯岩街道 cannot be marked handled
before a mediation is recorded, nor closed before the planned follow-up visit (回访), which waits
in the mediator's inbox until it is recorded on the case page."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.cases.models import Case
from tests.browser.conftest import login
from tests.cases.helpers import KEYAN, point_in, unit
from tests.conftest import client_for

pytestmark = pytest.mark.browser


def _phone(browser, live_url, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_url, username)
    return page


def _click(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")
    return page.inner_text(".messages")


def test_a_dispute_is_mediated_followed_up_and_closed_on_a_phone(browser, live_url):
    grid = client_for("grid_ky")
    lon, lat = point_in(KEYAN, 2)
    r = grid.post(
        "/api/v1/cases",
        {"description": "两户邻居因排水沟堵塞争吵", "lon": lon, "lat": lat, "category_code": "D01"},
        content_type="application/json",
    )
    code = r.json()["code"]
    desk = _phone(browser, live_url, "dispatcher_ky")
    desk.goto(f"{live_url}/cases/{code}/")
    if desk.locator("select[name=unit_id]").count():
        desk.select_option("select[name=unit_id]", str(unit(KEYAN, "办事处").pk))
        assert "操作成功" in _click(desk, "#do-dispatch")
    assert "操作成功" in _click(desk, "#do-accept")

    desk.fill("#handle-result", "已调解")
    assert "矛盾纠纷须先记录调解经过和结果" in _click(desk, "#do-handle")
    assert Case.objects.get(code=code).status == "accepted"

    visit = timezone.localdate() + dt.timedelta(days=5)
    form = desk.locator("#mediation-form")
    form.locator("input[name=mediator]").fill("王派遣")
    form.locator("input[name=parties]").fill("张某、李某")
    form.locator("textarea[name=content]").fill("现场查看，双方同意共同疏通排水沟")
    form.locator("input[name=outcome]").fill("达成口头协议")
    form.locator("input[name=follow_up_at]").fill(visit.isoformat())
    assert "操作成功" in _click(desk, "#do-mediation")
    assert "待回访" in desk.inner_text("#mediations")
    desk.goto(f"{live_url}/inbox/")
    assert f"调解回访 案件 {code}" in desk.content()

    desk.goto(f"{live_url}/cases/{code}/")
    desk.fill("#handle-result", "已调解，达成口头协议")
    assert "操作成功" in _click(desk, "#do-handle")
    r = client_for("grid_ky").post(
        f"/api/v1/cases/{code}/verify", {"ok": True}, content_type="application/json"
    )
    assert r.status_code == 200
    desk.goto(f"{live_url}/cases/{code}/")
    assert "调解回访尚未完成" in _click(desk, "#do-close")

    desk.fill("#mediations input[name=result]", "排水沟已疏通，双方无新矛盾")
    assert "操作成功" in _click(desk, "#mediations .do-follow-up")
    assert "已回访" in desk.inner_text("#mediations")
    assert "操作成功" in _click(desk, "#do-close")
    assert Case.objects.get(code=code).status == "closed"
    assert desk.evaluate("document.documentElement.scrollWidth") <= 390
