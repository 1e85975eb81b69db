"""S5 in a real browser: the social worker of 东坡路社区 builds the health-certificate rule, sees
the live count, runs it and finds the tasks in the inbox."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_social_worker_builds_runs_and_finds_tasks(page, live_url):
    login(page, live_url, "social_dp")
    page.goto(f"{live_url}/outreach/")
    page.click("text=新建筛查规则")
    page.fill("#id_name", "我的健康证提醒")
    page.select_option("#id_subject", "employee")
    rows = page.locator(".condrow")
    rows.nth(0).locator(".f").select_option("business.industry")
    rows.nth(0).locator(".o").select_option("eq")
    rows.nth(0).locator(".v").fill("餐饮")
    page.click("#add-row")
    rows.nth(1).locator(".f").select_option("health_cert_expires")
    rows.nth(1).locator(".o").select_option("expires_within_days")
    rows.nth(1).locator(".v").fill("30")
    expect(page.locator("#live-count")).to_have_text("5")
    # a wrong value shows a clear error instead of a count
    rows.nth(1).locator(".v").fill("三十")
    expect(page.locator("#live-error")).to_contain_text("需要一个整数")
    rows.nth(1).locator(".v").fill("30")
    expect(page.locator("#live-count")).to_have_text("5")
    page.fill("#id_task_title", "健康证快到期了")
    page.fill(
        "#id_test_cases",
        '[{"name": "过期", "expect": true, "record": {"business.industry": "餐饮", '
        '"health_cert_expires": "today-1d"}}]',
    )
    page.click("#save")
    expect(page.locator(".messages")).to_contain_text("规则已保存并启用")
    page.click("#run-now")
    expect(page.locator(".messages")).to_contain_text("新开待办5")
    page.goto(f"{live_url}/inbox/?kind=outreach")
    tasks = page.locator("#inbox tr.task", has_text="健康证快到期了")
    expect(tasks).to_have_count(5)
    tasks.first.locator("a").click()
    expect(page.locator("#why")).to_contain_text("最新健康证有效期至")
