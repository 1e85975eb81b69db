"""Browser: upload a list with one bad row, see that row's error, fix it, import, find it public."""

import pytest

from tests.browser.conftest import login
from tests.powers import corpus

pytestmark = pytest.mark.browser


def test_upload_fix_import_and_find_on_public_page(page, live_url, tmp_path):
    rows = corpus.valid_rows(4, "UI")
    rows[2] = corpus.row(3, "UI", 事项类型="行政批评")
    bad = corpus.write(tmp_path / "bad.xlsx", rows)
    login(page, live_url, "county_zy")
    page.goto(f"{live_url}/powers/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#preview")
    problems = page.locator("#import-problems")
    problems.wait_for()
    assert "第4行 C列（事项类型）" in problems.inner_text()
    assert "行政批评" in problems.inner_text()

    good = corpus.write(tmp_path / "good.xlsx", corpus.valid_rows(4, "UI"))
    page.set_input_files("input[name=file]", str(good))
    page.click("#preview")
    page.locator("#import-ok").wait_for()
    page.click("#confirm")
    page.wait_for_selector("text=已导入")

    page.goto(f"{live_url}/powers/?region=530303101&on=2021-03-01")
    page.fill("input[name=q]", "UI-00003")
    page.click("#list-query button[type=submit]")
    table = page.locator("#held")
    assert "UI-00003" in table.inner_text()
    assert "白水镇" in table.inner_text()


def test_the_public_query_form_fields_are_phone_width(phone_page, live_url):
    """Every field of the public query is as wide as the others, a thumb's target on a phone."""
    phone_page.goto(f"{live_url}/powers/")
    widths = {
        name: phone_page.locator(f"#list-query [name={name}]").bounding_box()["width"]
        for name in ("region", "on", "type", "q")
    }
    assert max(widths.values()) - min(widths.values()) < 4, widths
    assert min(widths.values()) > 250, widths  # on a 390 px screen
