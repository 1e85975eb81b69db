"""The reporting map works without base-map tiles (offline): it outlines the caller's grids, or
the townships for the public, so a tap on the map is a real place that the report is routed by."""

import pytest

from jiceng.cases.models import Case
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def outlined(page) -> int:
    page.wait_for_selector("#picker path.leaflet-interactive", state="attached")
    return page.locator("#picker path.leaflet-interactive").count()


def tap_middle_of_map(page) -> tuple[float, float]:
    """Tap the middle of the map, as a thumb would; the coordinates it filled in."""
    picker = page.locator("#picker")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return float(page.input_value("#id_lon")), float(page.input_value("#id_lat"))


def test_a_grid_worker_taps_the_map_and_the_finding_lands_in_their_grids(live_url, phone_page):
    login(phone_page, live_url, "grid_ky")
    phone_page.goto(f"{live_url}/cases/patrol/")
    assert outlined(phone_page) >= 2  # 柯岩街道's grids, not a blank map at 0°, 0°
    phone_page.check("input[name=category_code][value=M06010]")
    phone_page.fill("#id_description", "巡查发现路边有人倾倒装修垃圾")
    lon, lat = tap_middle_of_map(phone_page)
    assert 120 < lon < 121 and 29.5 < lat < 30.5  # 绍兴市柯桥区, not the Gulf of Guinea
    assert phone_page.inner_text("#where") == f"已选位置 {lon:.6f}, {lat:.6f}"
    phone_page.click("#submit")
    phone_page.wait_for_load_state("networkidle")
    case = Case.objects.latest("id")
    assert case.description == "巡查发现路边有人倾倒装修垃圾"
    assert case.township.code == "330603002" and case.region.level == "grid"


def test_a_resident_picks_the_township_then_taps_the_place(live_url, phone_page):
    phone_page.goto(f"{live_url}/cases/report/")
    assert outlined(phone_page) >= 3  # every township taking reports, across the country
    phone_page.fill("#id_description", "河道里漂着很多垃圾，气味很大")
    phone_page.fill("#id_lon", "120.1")  # a point in the sea: refused, and shown again
    phone_page.fill("#id_lat", "10.0")
    phone_page.click("#submit")
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator(".errors").count() == 1
    assert phone_page.locator("#picker .leaflet-marker-icon").count() == 1

    # tap a township's name on the map: it zooms there, without setting a point
    phone_page.click("#picker .area-label:has-text('盘江镇')")
    assert float(phone_page.input_value("#id_lon")) == 120.1
    lon, lat = tap_middle_of_map(phone_page)
    assert 103 < lon < 105 and 25 < lat < 27  # 曲靖市沾益区
    # or choose the township below the map: the map zooms to it
    phone_page.select_option("#id_township_code", "330603002")
    lon, lat = tap_middle_of_map(phone_page)
    assert 120 < lon < 121 and 29.5 < lat < 30.5  # 绍兴市柯桥区
    phone_page.click("#submit")
    phone_page.wait_for_load_state("networkidle")
    case = Case.objects.latest("id")
    assert case.description == "河道里漂着很多垃圾，气味很大"
    assert case.township.code == "330603002"


def test_the_map_speaks_english_after_the_switch(live_url, phone_page):
    phone_page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_url}])
    phone_page.goto(f"{live_url}/cases/report/")
    phone_page.select_option("#id_township_code", "330603002")
    lon, lat = tap_middle_of_map(phone_page)
    assert phone_page.inner_text("#where") == f"Chosen point {lon:.6f}, {lat:.6f}"


def test_labels_of_nearby_townships_are_one_label_not_a_pile(live_url, phone_page):
    """At the zoom that shows the whole country, 柯岩街道 (Shaoxing) and 湖滨街道 (Hangzhou) are a
    few pixels apart: one label names both, and a tap on it zooms to where they are apart."""
    phone_page.goto(f"{live_url}/cases/report/")
    outlined(phone_page)
    labels = phone_page.locator("#picker .area-label")
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, (a, b)
    texts = [labels.nth(i).inner_text() for i in range(labels.count())]
    both = [t for t in texts if "柯岩街道" in t and "湖滨街道" in t]
    assert len(both) == 1 and any("盘江镇" in t for t in texts), texts

    phone_page.click("#picker .area-label:has-text('柯岩街道')")
    phone_page.wait_for_timeout(600)  # the zoom animation
    texts = [labels.nth(i).inner_text() for i in range(labels.count())]
    assert not any("柯岩街道" in t and "湖滨街道" in t for t in texts), texts
    assert float(phone_page.input_value("#id_lon") or 0) == 0  # a label sets no point
