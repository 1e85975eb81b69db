"""On a 390 px phone: the dashboard's indicators sit two to a row, and no page is wider than the
screen."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_dashboard_indicators_two_a_row_and_nothing_wider_than_the_phone(live_url, phone_page):
    login(phone_page, live_url, "dispatcher_ky")
    phone_page.goto(f"{live_url}/cases/dashboard/")
    cards = phone_page.locator("#indicators .card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 1 and second["x"] > first["x"] + first["width"]
    for path in ("/cases/dashboard/", "/cases/queue/", "/cases/", "/powers/gaps/", "/"):
        phone_page.goto(f"{live_url}{path}")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)


def test_the_burden_monitor_fits_a_leaders_phone(live_url, phone_page):
    """A year of months, one column each, still reads on the phone: each person is a card."""
    login(phone_page, live_url, "county_zy")
    phone_page.goto(f"{live_url}/inbox/burden/?months=12")
    assert phone_page.locator("#burden-people tbody tr").count() >= 5  # 盘江镇's staff
    phone_page.wait_for_selector("#burden-trend canvas")  # the monthly trend is drawn
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    with phone_page.expect_download() as download:
        phone_page.click("#burden-export")
    assert download.value.suggested_filename.startswith("burden-530303-")
    for path in ("/inbox/send/", "/inbox/data/", "/inbox/data/staff/", "/inbox/data/cases/"):
        phone_page.goto(f"{live_url}{path}")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, path
