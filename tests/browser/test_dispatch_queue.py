"""Smart dispatch on the dispatcher's phone: an unsure report waits in the queue with three
suggestions and their drivers highlighted; one tap on "采用" sets the category, records the
correction, and the page stays the queue."""

import pytest
from django.test import Client

from jiceng.cases.models import Case
from jiceng.dispatch import ml
from jiceng.dispatch.actions import classifier_model_activate, classifier_model_register
from jiceng.dispatch.models import Correction
from tests.browser.conftest import login
from tests.cases.helpers import report
from tests.dispatch.conftest import train_toy

pytestmark = pytest.mark.browser
SCHOOL = "学校乱收补课费，老师体罚学生，中考招生政策"


@pytest.fixture
def toy_model_active(live_url, tmp_path):
    model = train_toy()
    path = ml.save(model, tmp_path / "toy.joblib")
    return classifier_model_activate(record=classifier_model_register(path=path, model=model))


def test_dispatcher_adopts_a_suggestion_on_a_phone(
    live_url, toy_model_active, phone_page, settings
):
    settings.JICENG_AUTO_DISPATCH_THRESHOLD = 1.01  # nothing is sure enough: all wait
    r = report(Client(), category=None, text=SCHOOL, k=None)
    assert r.status_code == 201, r.content
    case = Case.objects.get(code=r.json()["code"])
    top, second, _ = case.prediction["suggestions"]
    assert top["category"] == "P03"

    login(phone_page, live_url, "dispatcher_ky")
    phone_page.goto(f"{live_url}/cases/queue/")
    row = phone_page.locator(f'tr[data-code="{case.code}"]')
    items = row.locator(".suggest li")
    assert items.count() == 3
    assert "教育文体" in items.nth(0).inner_text()
    assert items.nth(0).locator("mark").count() >= 1  # the characters that drove it
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 400
    # A card per report on a phone: the buttons read across and the report keeps its width.
    for i in range(3):
        box = items.nth(i).get_by_role("button", name="采用").bounding_box()
        assert box["width"] > box["height"], box
    assert row.locator("td").first.bounding_box()["width"] > 300

    items.nth(1).get_by_role("button", name="采用").tap()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.url.endswith("/cases/queue/")
    assert "操作成功" in phone_page.inner_text(".messages")

    case.refresh_from_db()
    assert case.category.code == second["category"]
    correction = Correction.objects.get(case=case)
    assert not correction.agreed and correction.by.username == "dispatcher_ky"
    # Once a category is set the row offers 立案派遣 instead of "采用" on the set one.
    row = phone_page.locator(f'tr[data-code="{case.code}"]')
    assert row.get_by_role("button", name="采用").count() == 2


def test_admin_evaluates_a_model_on_a_spreadsheet_before_choosing_it(
    live_url, toy_model_active, page, tmp_path
):
    from jiceng.core.tables import workbook_bytes
    from tests.dispatch.conftest import toy_rows

    rows = [["title", "body", "label1"]] + [
        [r["title"], r["body"], r["label1"]] for r in toy_rows()
    ]
    rows[1][2] = "教育文体"  # one message filed under the wrong label: one mistake in 18
    sheet = tmp_path / "抽查留言.xlsx"
    sheet.write_bytes(workbook_bytes([("留言", rows)]))

    login(page, live_url, "admin")
    page.goto(f"{live_url}/admin/dispatch/classifiermodel/")
    page.get_by_role("link", name="用标注表格评估").first.click()
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="评估", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#eval-n") == "18"
    assert page.inner_text("#eval-accuracy") == "0.9444"
    assert page.locator("#eval-mistakes tbody tr").count() == 1
    assert page.locator("#eval-confusion tbody tr").count() == 3

    with page.expect_download() as download:
        page.set_input_files("input[type=file]", str(sheet))
        page.get_by_role("button", name="评估并导出 Excel（含逐条预测）").click()
    assert download.value.suggested_filename == f"评估-模型{toy_model_active.pk}-抽查留言.xlsx"


def test_admin_trains_a_new_model_on_a_sheet(live_url, page, tmp_path, settings):
    from jiceng.core.tables import workbook_bytes
    from jiceng.dispatch.models import ClassifierModel
    from tests.dispatch.conftest import toy_rows

    settings.JICENG_CLASSIFIER_DIR = tmp_path / "models"
    rows = [["工单编号", "工单标题", "工单内容", "事件类别"]] + [
        [str(i), r["title"], r["body"], r["label1"]] for i, r in enumerate(toy_rows())
    ]
    sheet = tmp_path / "热线工单.xlsx"
    sheet.write_bytes(workbook_bytes([("工单", rows)]))

    login(page, live_url, "admin")
    page.goto(f"{live_url}/admin/dispatch/classifiermodel/")
    page.get_by_role("link", name="用表格训练新模型").click()
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="开始训练").click()  # columns left blank: told from the header
    page.wait_for_load_state("networkidle")
    assert (
        "已在后台开始训练：18 条留言，3 个类别（文本列 工单标题、工单内容，类别列 事件类别）"
        in page.inner_text(".messagelist")
    )
    record = ClassifierModel.objects.get(created_by__username="admin")
    assert not record.active
    page.reload()  # the background job (inline here) has finished: its outcome is on the list
    assert f"新模型 #{record.pk}" in page.inner_text("#last-sheet-training")


def test_hotline_operator_takes_a_suggested_category_while_typing(
    live_url, toy_model_active, phone_page
):
    from tests.cases.helpers import KEYAN, point_in

    login(phone_page, live_url, "dispatcher_ky")
    phone_page.goto(f"{live_url}/cases/hotline/")
    phone_page.fill("#id_description", SCHOOL)  # htmx asks once the typing pauses
    picks = phone_page.locator("#intake-suggest .pick-category")
    picks.first.wait_for()
    phone_page.click("#submit")  # no location yet: the form comes back, the suggestions too
    phone_page.wait_for_load_state("networkidle")
    assert "请在地图上点选位置" in phone_page.inner_text("body")
    picks.first.wait_for()
    assert picks.count() == 3 and "教育文体" in picks.first.inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 400
    picks.first.tap()
    assert phone_page.input_value("#id_category_code") == "P03"
    assert picks.first.get_attribute("aria-pressed") == "true"

    lon, lat = point_in(KEYAN, 2)
    phone_page.fill("#id_lon", str(lon))
    phone_page.fill("#id_lat", str(lat))
    phone_page.click("#submit")
    phone_page.wait_for_load_state("networkidle")
    case = Case.objects.get(description=SCHOOL)
    assert case.category.code == "P03" and case.category_source != "classifier"
