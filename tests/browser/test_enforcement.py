"""S1 on a phone: 盘江镇's leader decides a notified case — the kinds of penalty and the fine —
from the case page, and the case page and the list fit the screen."""

import pytest

from jiceng.enforcement.models import PenaltyCase
from tests.browser.conftest import login
from tests.enforcement.helpers import notified_by_actions

pytestmark = pytest.mark.browser


def _notified():
    return notified_by_actions("手机当事人", kinds=["fine", "order_demolish"], fine_amount="3000")


def test_the_leader_decides_a_fine_on_the_phone(live_url, phone_page):
    pc = _notified()
    login(phone_page, live_url, "leader_pj")
    phone_page.goto(f"{live_url}/enforcement/{pc.code}/")
    form = phone_page.locator(f"form[action='/enforcement/{pc.code}/act/decide/']")
    # The intended penalty of the notice is already ticked and filled in.
    assert form.locator("input[name=kinds][value=fine]").is_checked()
    assert form.locator("input[name=fine_amount]").input_value() == "3000.00"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    form.locator("textarea[name=note]").fill("责令限期拆除，并处罚款")
    form.locator("input[name=waived]").check()
    form.locator("button").click()
    phone_page.wait_for_load_state("networkidle")
    assert "罚款、责令限期拆除（非行政处罚） · 罚款金额：3000.00 元" in phone_page.inner_text(
        "#penalty"
    )
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.state == "decided" and str(fresh.fine_amount) == "3000.00"
    phone_page.goto(f"{live_url}/enforcement/")
    assert "手机当事人" in phone_page.inner_text("#penalty-cases")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_decision_document_prints_on_a_phone_without_the_site_chrome(live_url, phone_page):
    from jiceng.enforcement import actions
    from tests.conftest import user

    pc = _notified()
    actions.penaltycase_decide(
        penalty_case=pc,
        decision="责令限期拆除，并处罚款",
        kinds=["fine", "order_demolish"],
        fine_amount="3000",
        waived=True,
        by=user("leader_pj"),
    )
    login(phone_page, live_url, "captain_pj")
    phone_page.goto(f"{live_url}/enforcement/{pc.code}/")
    phone_page.locator("#documents a[data-kind=decision]").click()
    phone_page.wait_for_load_state("networkidle")
    doc = phone_page.locator("#document")
    assert doc.locator("h1").inner_text() == "行政处罚决定书"
    assert "综执罚决字" in doc.locator("#docno").inner_text()
    assert "人民币3000元" in doc.locator("#doc-kinds").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.emulate_media(media="print")
    assert not phone_page.locator("header.topbar").is_visible()
    assert not phone_page.locator(".docchrome").is_visible()
    assert doc.is_visible()
    assert doc.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"


def test_two_officers_fine_a_citizen_on_the_spot_on_a_phone(live_url, phone_page):
    """简易程序: the single on-the-spot form on a phone, then its 当场行政处罚决定书."""
    from tests.enforcement.test_on_spot import second_officer

    second = second_officer()
    login(phone_page, live_url, "captain_pj")
    phone_page.goto(f"{live_url}/enforcement/")
    phone_page.locator("#on-spot-link").click()
    phone_page.wait_for_load_state("networkidle")
    form = phone_page.locator("form#on-spot")
    form.locator("select[name=power]").select_option("JC-CF-001")
    form.locator("input[name=party_name]").fill("手机当场当事人")
    form.locator("textarea[name=facts]").fill("在生产路上堆放砂石")
    form.locator("input[name=kinds][value=fine]").check()
    form.locator("input[name=fine_amount]").fill("200")
    form.locator("textarea[name=statement]").fill("当事人无异议")
    form.locator("input[name=statement_heard]").check()
    form.locator(f"input[name=officers][value='{second.pk}']").check()
    form.locator("input[name=place]").fill("下坡村生产路")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    button = form.locator("button")
    assert button.bounding_box()["height"] >= 44  # a thumb-sized button
    button.click()
    phone_page.wait_for_load_state("networkidle")
    assert "简易程序" in phone_page.inner_text("#procedure")
    pc = PenaltyCase.objects.get(party_name="手机当场当事人")
    assert pc.procedure == "summary" and pc.state == "served"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.locator("#documents a[data-kind=on-spot]").click()
    phone_page.wait_for_load_state("networkidle")
    assert "综执当罚字" in phone_page.inner_text("#docno")
    assert "人民币200元" in phone_page.inner_text("#document")


def test_a_late_fine_is_paid_at_the_bank_with_its_surcharge_let_off_on_a_phone(
    live_url, phone_page
):
    """The captain (officer and leader) records a payment two days late: the form offers the
    amount due with its 加处罚款 and the waiver; a wrong amount is refused, nothing written."""
    import datetime as dt

    from django.utils import timezone

    from jiceng.enforcement import actions, clocks
    from tests.conftest import user

    pc = notified_by_actions("手机缴款人", kinds=["fine"], fine_amount="2000")
    actions.penaltycase_decide(
        penalty_case=pc,
        decision="罚款",
        kinds=["fine"],
        fine_amount="2000",
        waived=True,
        by=user("leader_pj"),
    )
    actions.penaltycase_serve(penalty_case=pc, by=user("captain_pj"))
    last = timezone.localdate() - dt.timedelta(days=2)
    PenaltyCase.objects.filter(pk=pc.pk).update(execute_due_at=clocks.end_of_day(last))
    login(phone_page, live_url, "captain_pj")
    phone_page.goto(f"{live_url}/enforcement/{pc.code}/")
    form = phone_page.locator(f"form[action='/enforcement/{pc.code}/act/execute/']")
    assert form.locator("input[name=paid_amount]").input_value() == "2120.00"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    form.locator("select[name=method]").select_option("bank")
    form.locator("input[name=surcharge_waived]").fill("120")
    form.locator("button").click()
    phone_page.wait_for_load_state("networkidle")
    assert "执行协议" in phone_page.inner_text("main")  # the agreement is required
    assert PenaltyCase.objects.get(pk=pc.pk).state == "served"
    form = phone_page.locator(f"form[action='/enforcement/{pc.code}/act/execute/']")
    form.locator("select[name=method]").select_option("bank")
    form.locator("input[name=paid_amount]").fill("2000")
    form.locator("input[name=surcharge_waived]").fill("120")
    form.locator("textarea[name=waiver_basis]").fill("签订执行协议，当事人已自行整改")
    form.locator("button").click()
    phone_page.wait_for_load_state("networkidle")
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.state == "executed" and str(fresh.surcharge_waived) == "120.00"
    assert "签订执行协议" in phone_page.inner_text("#surcharge-waived")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
