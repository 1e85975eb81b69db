"""S2 in the browser with a frozen clock: a grid worker's patrol finding in 柯岩街道 is routed to
the street, the dispatcher whistles 派出所, 生态环境 and 城管, each reports in, the case is handled,
verified and closed within 12 working hours, and the dashboard shows it on time."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from jiceng.cases.models import Case
from jiceng.core.calendar import working_seconds_between
from tests.browser.conftest import login
from tests.cases.helpers import KEYAN, point_in

pytestmark = pytest.mark.browser
START = timezone.make_aware(dt.datetime(2025, 6, 10, 9, 0))  # a Tuesday morning


def as_user(browser, live_url, username, phone=False):
    opts = {
        "locale": "zh-CN",
        "viewport": {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
    }
    page = browser.new_context(**opts).new_page()
    page.set_default_timeout(15000)
    login(page, live_url, username)
    return page


def act(page, live_url, code, button_id, fill=None):
    page.goto(f"{live_url}/cases/{code}/")
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    page.click(f"#{button_id}")
    page.wait_for_load_state("networkidle")
    assert "操作成功" in page.content(), page.inner_text(".messages")


def test_s2_patrol_whistle_report_in_close_on_time(browser, live_url):
    with time_machine.travel(START, tick=True) as clock:
        grid = as_user(browser, live_url, "grid_ky", phone=True)
        grid.goto(f"{live_url}/cases/patrol/")
        grid.check("input[name=category_code][value=M06010]")
        grid.fill("#id_description", "巡查发现有人用三轮车运来垃圾，倾倒在河边空地")
        grid.click("#picker")  # a click on the map fills the coordinates
        assert grid.input_value("#id_lon") and grid.input_value("#id_lat")
        lon, lat = point_in(KEYAN, 3)
        grid.fill("#id_lon", str(lon))
        grid.fill("#id_lat", str(lat))
        grid.click("#submit")
        grid.wait_for_load_state("networkidle")
        assert "已派遣" in grid.inner_text("#status")
        assert "柯岩街道综合执法队" in grid.inner_text("#assignments")
        assert "JC-CF-002" in grid.inner_text("#routing")
        code = Case.objects.latest("id").code

        clock.shift(dt.timedelta(minutes=5))
        desk = as_user(browser, live_url, "dispatcher_ky")
        desk.goto(f"{live_url}/cases/{code}/")
        for name in ("柯岩街道派出所", "柯岩街道生态环境工作站", "柯岩街道城管中队"):
            desk.check(f"#whistle-form label:has-text('{name}') input")
        desk.fill("#whistle-message", "有人倾倒垃圾，请立即到场")
        desk.click("#do-whistle")
        desk.wait_for_load_state("networkidle")
        assert desk.locator("#assignments tr[data-unit]").count() == 4

        handler = as_user(browser, live_url, "handler_ky")
        act(handler, live_url, code, "do-accept")
        clock.shift(dt.timedelta(minutes=10))
        helpers = {u: as_user(browser, live_url, u) for u in ("police_ky", "env_ky", "urban_ky")}
        for page in helpers.values():
            act(page, live_url, code, "do-report-in")

        clock.shift(dt.timedelta(hours=2))
        act(
            handler,
            live_url,
            code,
            "do-handle",
            {"#handle-result": "已清运垃圾，查获倾倒人并立案处罚"},
        )
        for page in helpers.values():
            act(page, live_url, code, "do-assist-done", {"#assist-result": "已到场配合处置"})
        clock.shift(dt.timedelta(minutes=30))
        act(grid, live_url, code, "do-verify")
        act(desk, live_url, code, "do-close")
        assert "已结案" in desk.inner_text("#status")
        timeline = desk.inner_text("#timeline")
        assert timeline.count("报到") >= 3 and "吹哨" in timeline and "结案" in timeline

        case = Case.objects.get(code=code)
        assert working_seconds_between(case.reported_at, case.closed_at) < 12 * 3600
        assert case.closed_at <= case.close_due_at

        desk.goto(f"{live_url}/cases/dashboard/")
        on_time = desk.inner_text("[data-indicator='按期处置率']")
        assert "100%" in on_time and "1 / 1" in on_time
        assert "100%" in desk.inner_text("[data-indicator='按期结案率']")
