"""复核 withdrawn and 通报 issued, on phones: 柯岩街道's leader withdraws its review request; the
organiser, no longer held back by an open review, issues the 通报 with its 文号; the street finds
its own place in its inbox, not another street's name."""

import pytest

from jiceng.assessment.models import Appeal, Notice
from tests.assessment.helpers import appeal, approved, inspect, score, streets
from tests.browser.conftest import login

pytestmark = pytest.mark.browser
PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}}


def test_a_review_is_withdrawn_and_the_notice_reaches_each_street(live_url, browser):
    (other,) = streets(1)
    ky, x1 = inspect(approved(name="宣传思想工作检查"), "柯岩街道办事处", other)
    score(x1, 50, 40)
    a = appeal(score(ky, 55, 40))
    lead, county = (browser.new_context(**PHONE) for _ in range(2))
    try:
        organiser = county.new_page()
        login(organiser, live_url, "assessor_kq")
        organiser.goto(f"{live_url}/assessment/{ky.item_id}/")
        assert "复核办结或撤回后方可印发通报" in organiser.inner_text("#notice-refusals")
        assert organiser.locator("#notice-form").count() == 0

        phone = lead.new_page()
        login(phone, live_url, "leader_ky")
        phone.goto(f"{live_url}/assessment/inspections/{ky.pk}/")
        phone.fill("#withdraw-form input[name=reason]", "已沟通，认可评分")
        phone.click("#withdraw")
        phone.wait_for_load_state("networkidle")
        assert "复核申请已撤回" in phone.inner_text(".messages")
        assert phone.inner_text("#appeal-status") == "已撤回"
        assert "认可评分" in phone.inner_text("#appeal-withdrawn")
        assert phone.locator("#appeal-form").count() == 0
        assert Appeal.objects.get(pk=a.pk).status == "withdrawn"

        organiser.reload()
        organiser.fill("#notice-form input[name=document]", "柯宣通〔2026〕1号")
        organiser.click("#issue-notice")
        organiser.wait_for_load_state("networkidle")
        assert "通报已印发" in organiser.inner_text(".messages")
        assert "柯宣通〔2026〕1号" in organiser.inner_text("#notice-issued")
        assert Notice.objects.filter(item_id=ky.item_id).count() == 1
        # the 通报 as a document to print, on a phone as wide as the screen
        organiser.click("#notice-document")
        organiser.wait_for_load_state("networkidle")
        assert organiser.inner_text("#docno") == "柯宣通〔2026〕1号"
        assert organiser.inner_text("#doc-title") == "关于宣传思想工作检查结果的通报"
        assert [
            r.inner_text() for r in organiser.locator("#doc-ranks tbody tr td:nth-child(2)").all()
        ] == [ky.unit.name, x1.unit.name]
        assert organiser.evaluate("document.documentElement.scrollWidth") <= 390
        # the year's summary: one card per unit on a phone, each item's place in it
        organiser.goto(f"{live_url}/assessment/summary/")
        card = organiser.locator("#summary tbody tr", has_text=ky.unit.name)
        assert "95" in card.inner_text() and "第1名/共2个" in card.inner_text()
        assert organiser.evaluate("document.documentElement.scrollWidth") <= 390

        phone.goto(f"{live_url}/inbox/")
        inbox = phone.inner_text("main")
        assert "考核结果通报：宣传思想工作检查，第1名（共2个），95分" in inbox
        assert other not in inbox
        # a notice asks only for reading: 已阅 in the list, and it leaves the 待办
        row = phone.locator("tr.task", has_text="考核结果通报：宣传思想工作检查")
        row.get_by_role("button", name="已阅").click()
        phone.wait_for_load_state("networkidle")
        assert "已阅：考核结果通报" in phone.inner_text(".messages")
        assert "考核结果通报：宣传思想工作检查" not in phone.inner_text("#inbox")
    finally:
        lead.close()
        county.close()
