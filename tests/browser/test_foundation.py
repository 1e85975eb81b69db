"""A grid worker on a phone logs in, sees the inbox, and sees the grid map with polygons."""

import pytest

from jiceng.org.models import Region
from jiceng.workload.actions import task_open
from tests.browser.conftest import login
from tests.conftest import user

pytestmark = pytest.mark.browser


def test_grid_worker_on_a_phone_sees_inbox_and_grid_map(live_url, phone_page):
    me = user("grid_ky").person
    task_open(
        kind="case",
        subject="巡查发现：柯岩路暴露垃圾",
        region=Region.objects.get(code="330603002"),
        by=me.user,
        assignee_person=me,
    )
    login(phone_page, live_url, "grid_ky")
    phone_page.goto(f"{live_url}/inbox/")
    assert phone_page.locator("#inbox").get_by_text("巡查发现：柯岩路暴露垃圾").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scroll
    task = phone_page.locator("#inbox tr.task", has_text="巡查发现：柯岩路暴露垃圾")
    assert task.locator("td").first.bounding_box()["width"] > 300  # a card, not a squeezed column
    phone_page.goto(f"{live_url}/org/regions/330603002/")
    phone_page.wait_for_selector("#map[data-features]")
    drawn = phone_page.locator("#map path.leaflet-interactive").count()
    assert drawn == Region.objects.filter(level="grid", code__startswith="330603002").count() > 0


def test_wrong_password_gets_a_chinese_message(live_url, page):
    login(page, live_url, "grid_ky", password="wrong")
    assert page.get_by_text("用户名或密码不正确").is_visible()
