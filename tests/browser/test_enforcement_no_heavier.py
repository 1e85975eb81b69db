"""第四十五条 on a phone: the officer records what the party said after 告知, the leader's heavier
decision is refused with the reason, the officer notifies again, the leader decides; the decision
names the 复议机关 and the court, and the notice has its 送达回证."""

import pytest

from jiceng.enforcement.models import PenaltyCase
from tests.browser.conftest import login
from tests.enforcement.helpers import notified_by_actions

pytestmark = pytest.mark.browser


def _notified():
    return notified_by_actions("申辩当事人", kinds=["fine"], fine_amount="1000")


def _act(page, pc, name):
    return page.locator(f"form[action='/enforcement/{pc.code}/act/{name}/']")


def _submit(page, form):
    form.locator("button").click()
    page.wait_for_load_state("networkidle")


def test_a_heavier_decision_waits_for_a_new_notice(live_url, browser):
    pc = _notified()
    officer = browser.new_page(viewport={"width": 390, "height": 844})
    login(officer, live_url, "captain_pj")
    officer.goto(f"{live_url}/enforcement/{pc.code}/")
    form = _act(officer, pc, "statement")
    form.locator("textarea[name=note]").fill("当事人称占地系临时堆放")
    _submit(officer, form)
    assert "当事人称占地系临时堆放" in officer.inner_text("#statement")
    assert officer.evaluate("document.documentElement.scrollWidth") <= 390

    leader = browser.new_page(viewport={"width": 390, "height": 844})
    login(leader, live_url, "leader_pj")
    leader.goto(f"{live_url}/enforcement/{pc.code}/")
    form = _act(leader, pc, "decide")
    form.locator("textarea[name=note]").fill("罚款")
    form.locator("input[name=fine_amount]").fill("1500")
    form.locator("input[name=waived]").check()
    _submit(leader, form)
    assert "art. 45" in leader.inner_text("body")  # the browser reads English
    assert PenaltyCase.objects.get(pk=pc.pk).state == "notified"

    officer.goto(f"{live_url}/enforcement/{pc.code}/")
    form = _act(officer, pc, "notify")
    assert form.locator("#renotify").is_visible()
    form.locator("input[name=fine_amount]").fill("1500")
    _submit(officer, form)
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert str(fresh.notified_fine) == "1500.00" and fresh.statement == ""

    leader.goto(f"{live_url}/enforcement/{pc.code}/")
    form = _act(leader, pc, "decide")
    form.locator("textarea[name=note]").fill("罚款")
    form.locator("input[name=waived]").check()
    _submit(leader, form)
    assert PenaltyCase.objects.get(pk=pc.pk).state == "decided"
    assert "1500.00" in leader.inner_text("#notified")

    leader.locator("#documents a[data-kind=decision]").click()
    leader.wait_for_load_state("networkidle")
    assert "曲靖市沾益区人民政府" in leader.inner_text("#doc-remedies")
    leader.go_back()
    leader.locator("#documents a[data-kind=service-notice]").click()
    leader.wait_for_load_state("networkidle")
    assert leader.locator("#document h1").inner_text() == "送达回证"
    assert "行政处罚事先告知书" in leader.inner_text("#doc-served")
