"""S7 on phones: the town's leader asks the publicity member for a report; he finds it in his
inbox, says what he sent and marks it done; the leader sees it done, with his reply."""

import pytest

from jiceng.workload.models import Task, TaskState
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_a_leader_sends_a_data_request_and_the_cadre_finishes_it(live_url, browser):
    leader = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    cadre = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = leader.new_page()
        login(page, live_url, "leader_pj")
        page.goto(f"{live_url}/inbox/send/")
        page.select_option("select[name=kind]", "data_request")
        page.fill("input[name=subject]", "报送11月宣传思想工作台账")
        page.locator(".recipient", has_text="盘江镇人民政府").locator("summary").click()
        page.get_by_label("蒋宣传").check()
        page.click("#send")
        page.wait_for_load_state("networkidle")
        assert "已交办 1 个接收对象" in page.inner_text(".messages")
        assert "已办结 0 / 1" in page.inner_text(".batch")

        phone = cadre.new_page()
        login(phone, live_url, "publicity_pj")
        phone.goto(f"{live_url}/inbox/")
        phone.click("text=报送11月宣传思想工作台账")
        phone.click("#finish button")  # a data request needs a reply first
        phone.wait_for_load_state("networkidle")
        assert "数据填报请写明报送情况" in phone.inner_text("#finish")
        phone.fill("textarea[name=reply]", "已报送台账3份，附活动照片")
        phone.click("#finish button")
        phone.wait_for_load_state("networkidle")
        assert "已报送台账3份" in phone.inner_text("#task-reply")
        assert phone.locator("#finish").count() == 0

        page.reload()
        assert "已办结 1 / 1" in page.inner_text(".batch")
        assert "已报送台账3份，附活动照片" in page.inner_text(".batch")
        task = Task.objects.get(subject="报送11月宣传思想工作台账")
        assert task.state == TaskState.DONE and task.from_unit.name == "盘江镇人民政府"
    finally:
        leader.close()
        cadre.close()


def test_the_county_narrows_dozens_of_units_by_typing(live_url, phone_page):
    login(phone_page, live_url, "county_zy")
    phone_page.goto(f"{live_url}/inbox/send/")
    rows = phone_page.locator("#recipients .recipient")
    everyone = rows.count()
    assert everyone > 20  # 沾益区's departments, townships, their stations and committees
    phone_page.fill("#recipient-filter", "蒋宣传")  # a person: their unit stays, unfolded
    shown = phone_page.locator("#recipients .recipient:visible")
    assert shown.count() == 1 and "盘江镇人民政府" in shown.inner_text()
    assert phone_page.get_by_label("蒋宣传").is_visible()
    phone_page.fill("#recipient-filter", "")
    assert phone_page.locator("#recipients .recipient:visible").count() == everyone
