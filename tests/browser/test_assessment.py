"""S6 on phones: 柯桥区委宣传部 drafts a check of the townships; a one-vote veto without an
authorisation is refused on the page; the county's co-ordinating office approves it; the check
of 柯岩街道 lands in the street's inbox and counts against its yearly cap; the organiser scores it
and the street sees its result; the street's leader asks for a review (复核) and the organiser
upholds it from its inbox."""

import pytest

from jiceng.assessment.models import AssessmentItem, Inspection
from tests.browser.conftest import login

pytestmark = pytest.mark.browser
PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}}


def test_a_check_is_drafted_approved_and_run(live_url, browser):
    issuer, office, street, lead = (browser.new_context(**PHONE) for _ in range(4))
    try:
        page = issuer.new_page()
        login(page, live_url, "assessor_kq")
        page.goto(f"{live_url}/assessment/")
        page.click("#new-item")
        page.fill("input[name=name]", "文明实践站运行检查")
        page.check("input[name=one_vote_veto]")
        page.fill(
            "textarea[name=indicators]", "站点常态化运行｜60｜现场查看\n群众满意度｜40｜电话回访"
        )
        page.click("#save-item")
        page.wait_for_load_state("networkidle")
        assert "不得自行对乡镇" in page.inner_text("#item-errors")
        assert not AssessmentItem.objects.filter(name="文明实践站运行检查").exists()
        page.uncheck("input[name=one_vote_veto]")
        page.click("#save-item")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("#item-status") == "草拟"
        page.click("#submit-item")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("#item-status") == "待审批"
        assert page.locator("#approve-form").count() == 0  # not by the issuer
        url = page.url

        desk = office.new_page()
        login(desk, live_url, "kaohe_kq")
        desk.goto(url)
        desk.fill("#approve-form input[name=document]", "柯考核办〔2026〕5号")
        desk.click("#approve")
        desk.wait_for_load_state("networkidle")
        assert desk.inner_text("#item-status") == "已批准"
        assert "与批准时一致" in desk.inner_text("#digest")

        page.goto(url)
        page.select_option("#inspect-form select[name=kind]", "check")
        page.locator("#inspect-form label", has_text="柯岩街道办事处").locator("input").check()
        page.click("#inspect")
        page.wait_for_load_state("networkidle")
        assert "已登记" in page.inner_text(".messages")
        assert "柯岩街道办事处" in page.inner_text("#inspections")
        assert Inspection.objects.filter(item__name="文明实践站运行检查").count() == 1

        phone = street.new_page()
        login(phone, live_url, "dispatcher_ky")
        phone.goto(f"{live_url}/inbox/")
        inbox = phone.inner_text("main")
        assert "文明实践站运行检查（检查）" in inbox and "已超期" not in inbox
        phone.goto(f"{live_url}/assessment/caps/")
        row = phone.locator("#caps tr", has_text="柯岩街道办事处")
        assert row.locator("td").nth(2).inner_text() == "1"

        # the organiser scores the check on the phone: a missing score is refused, then saved
        page.click("#inspections a:has-text('柯岩街道办事处')")
        page.fill("#scores input[aria-label=站点常态化运行]", "55")
        page.evaluate("document.querySelector('#score-form').noValidate = true")
        page.click("#save-scores")
        page.wait_for_load_state("networkidle")
        assert "请为指标“群众满意度”评分" in page.inner_text("#score-errors")
        page.fill("#scores input[aria-label=群众满意度]", "38.5")
        page.click("#save-scores")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("#total") == "93.5"
        # and the street sees its result, with nothing to change
        phone.goto(page.url)
        assert phone.inner_text("#total") == "93.5"
        assert phone.locator("#score-form").count() == 0

        # 复核: the street's leader contests one indicator; the organiser upholds the result
        leader = lead.new_page()
        login(leader, live_url, "leader_ky")
        leader.goto(page.url)
        leader.locator("#appeal-form label", has_text="群众满意度").locator("input").check()
        leader.fill("#appeal-form textarea[name=reasons]", "回访名单中有2户不在本街道")
        leader.click("#appeal-submit")
        leader.wait_for_load_state("networkidle")
        assert leader.inner_text("#appeal-status") == "复核中"
        page.goto(f"{live_url}/inbox/")
        assert "复核申请：文明实践站运行检查 · 柯岩街道办事处" in page.inner_text("main")
        page.goto(leader.url)
        assert page.locator("#score-form").count() == 0
        page.fill("#decide-form textarea[name=decision]", "回访名单经核实均为本街道住户")
        page.click("#uphold")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("#appeal-status") == "维持"
        assert page.inner_text("#total") == "93.5"
        leader.goto(f"{live_url}/inbox/")
        assert "复核结果：文明实践站运行检查（维持" in leader.inner_text("main")
    finally:
        for context in (issuer, office, street, lead):
            context.close()
