"""The case file's documents (执法文书): offered by the steps taken, built from the record only
(blanks where it lacks a field), numbered by a stable 文号, scoped like the case, Chinese text in
an English page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jiceng.enforcement import documents
from jiceng.enforcement.models import PenaltyCase
from tests.conftest import client_for, user

from .helpers import KEYAN, WARNING, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
FINE = {"kinds": ["fine", "order_demolish"], "fine_amount": "2000"}  # under every threshold


def _doc(client, pc, kind):
    return client.get(f"/enforcement/{pc.code}/documents/{kind}/")


def _notified(intended=FINE, **open_args):
    pc = open_case(**open_args)
    captain = client_for("captain_pj")
    assert post(captain, f"{API}{pc.code}/investigate").status_code == 200
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", intended).status_code == 200
    return pc, captain


def _decided():
    pc, captain = _notified()
    body = {"note": "责令限期拆除占压生产路部分，并处罚款", **FINE, "waived": True}
    r = post(client_for("leader_pj"), f"{API}{pc.code}/decide", body)
    assert r.status_code == 200, r.content
    return pc, captain


def _number(pc) -> int:
    """The case's place among its township's cases filed in the same year, counted here."""
    pc = PenaltyCase.objects.get(pk=pc.pk)
    year = timezone.localtime(pc.filed_at).year
    same = [
        c
        for c in PenaltyCase.objects.filter(township=pc.township)
        if timezone.localtime(c.filed_at).year == year
    ]
    ordered = sorted(same, key=lambda c: (c.filed_at, c.pk))
    return [c.pk for c in ordered].index(pc.pk) + 1


def _offered(client, pc) -> list[str]:
    page = client.get(f"/enforcement/{pc.code}/").content.decode()
    card = page.split('id="documents"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'data-kind="([a-z-]+)"', card)


def test_a_decided_case_prints_its_decision_with_number_party_penalty_basis_and_remedies():
    pc, captain = _decided()
    page = _doc(captain, pc, "decision").content.decode()
    year = timezone.localtime(pc.filed_at).year
    assert f"盘江镇综执罚决字〔{year}〕第{_number(pc)}号" in page
    assert "行政处罚决定书" in page and "测试当事人" in page and "（公民）" in page
    kinds = page.split('id="doc-kinds"', 1)[1].split("</p>", 1)[0]
    assert "罚款" in kinds and "人民币2000元" in kinds and "责令限期拆除" in kinds
    assert "非行政处罚" not in kinds
    basis = page.split('id="doc-basis"', 1)[1].split("</p>", 1)[0]
    assert pc.power.legal_basis and pc.power.legal_basis in basis and "JC-CF-001" in basis
    remedies = page.split('id="doc-remedies"', 1)[1].split("</p>", 1)[0]
    assert "六十日内" in remedies and "行政复议" in remedies
    assert "六个月内" in remedies and "行政诉讼" in remedies
    payment = page.split('id="doc-payment"', 1)[1].split("</p>", 1)[0]
    assert "十五日内" in payment and "即" not in payment  # not served yet: no date to pay by
    assert "责令限期拆除占压生产路部分" in page  # the decision's own text
    evidence = page.split('id="doc-evidence"', 1)[1].split("</table>", 1)[0]
    ev = pc.evidence.get()
    assert ev.sha256[:16] in evidence and ev.sha256 not in evidence and "沈国土" in evidence

    assert post(captain, f"{API}{pc.code}/serve").status_code == 200
    pc.refresh_from_db()
    page = _doc(captain, pc, "decision").content.decode()
    payment = page.split('id="doc-payment"', 1)[1].split("</p>", 1)[0]
    due = timezone.localtime(pc.execute_due_at - dt.timedelta(microseconds=1)).date()
    assert f"即{due.year}年{due.month}月{due.day}日前" in payment
    # the 送达回证 names the decision it serves, its 文号 and when it was served
    service = _doc(captain, pc, "service").content.decode()
    served = service.split('id="doc-served"', 1)[1].split("</td>", 1)[0]
    assert "行政处罚决定书" in served and f"综执罚决字〔{year}〕第{_number(pc)}号" in served
    served_at = service.split('id="doc-served-at"', 1)[1].split("</td>", 1)[0]
    assert documents.cn_moment(pc.served_at) in served_at and "blank" not in served_at


def test_the_number_is_stable_and_every_document_of_a_case_shares_it():
    pc, captain = _decided()
    first = _doc(captain, pc, "decision").content.decode()
    open_case()  # a later case of the township does not move it
    again = _doc(captain, pc, "decision").content.decode()
    number = re.search(r"综执罚决字〔\d{4}〕第(\d+)号", first).group(1)
    assert number == re.search(r"综执罚决字〔\d{4}〕第(\d+)号", again).group(1)
    filing = _doc(captain, pc, "filing").content.decode()
    assert re.search(rf"盘江镇综执立字〔\d{{4}}〕第{number}号", filing)
    notice = _doc(captain, pc, "notice").content.decode()
    assert re.search(rf"盘江镇综执罚告字〔\d{{4}}〕第{number}号", notice)


def test_documents_follow_the_steps_taken():
    pc = open_case()
    captain = client_for("captain_pj")
    assert _offered(captain, pc) == ["filing"]
    for kind in (*[k.slug for k in documents.KINDS if k.slug != "filing"], "service-decision"):
        assert _doc(captain, pc, kind).status_code == 404, kind
    assert _doc(captain, pc, "no-such-kind").status_code == 404
    assert post(captain, f"{API}{pc.code}/order-stop").status_code == 200
    assert _offered(captain, pc) == ["filing", "stop-order", "service-stop-order"]
    stop = _doc(captain, pc, "stop-order").content.decode()
    assert "责令停止（改正）违法行为通知书" in stop and "现场责令停止违法行为" in stop
    assert post(captain, f"{API}{pc.code}/investigate").status_code == 200
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", WARNING).status_code == 200
    assert _offered(captain, pc) == [
        "filing",
        "stop-order",
        "service-stop-order",
        "notice",
        "service-notice",
    ]
    assert _doc(captain, pc, "decision").status_code == 404


def test_blank_lines_where_the_record_lacks_a_field():
    pc = open_case()  # no facts, no reported case behind it
    page = _doc(client_for("captain_pj"), pc, "filing").content.decode()
    facts = page.split('id="doc-facts"', 1)[1].split("</td>", 1)[0]
    assert 'class="blank' in facts
    source = page.split('id="doc-source"', 1)[1].split("</td>", 1)[0]
    assert 'class="blank' in source
    assert "尚无证据记录" in page
    PenaltyCase.objects.filter(pk=pc.pk).update(facts="农户新建房屋挡住生产路")
    page = _doc(client_for("captain_pj"), pc, "filing").content.decode()
    facts = page.split('id="doc-facts"', 1)[1].split("</td>", 1)[0]
    assert "农户新建房屋挡住生产路" in facts and "blank" not in facts


def test_the_notice_states_the_intended_penalty_and_the_rights_even_after_the_decision():
    pc, captain = _notified({"kinds": ["fine"], "fine_amount": "6000"})  # 较大数额: a hearing
    page = _doc(captain, pc, "notice").content.decode()
    assert "人民币6000元" in page and "陈述和申辩" in page
    hearing = page.split('id="doc-hearing"', 1)[1].split("</p>", 1)[0]
    assert "要求举行听证" in hearing and "五个工作日" in hearing
    pc.refresh_from_db()
    assert documents.cn_moment(pc.hearing_until) in hearing

    plain, _c = _notified(WARNING)
    page = _doc(captain, plain, "notice").content.decode()
    assert 'id="doc-hearing"' not in page and "警告" in page and "陈述和申辩" in page

    # after a decision of another amount, the notice still says what was intended
    assert post(captain, f"{API}{pc.code}/hearing-request").status_code == 200
    r = post(captain, f"{API}{pc.code}/hearing-withdraw", {"note": "当事人书面撤回"})
    assert r.status_code == 200, r.content
    body = {"note": "罚款", "kinds": ["fine"], "fine_amount": "5500", "waived": True}
    assert post(client_for("leader_pj"), f"{API}{pc.code}/decide", body).status_code == 200
    page = _doc(captain, pc, "notice").content.decode()
    assert "人民币6000元" in page and "人民币5500元" not in page
    decision = _doc(captain, pc, "decision").content.decode()
    assert "人民币5500元" in decision and "撤回听证申请" in decision


def test_a_hearing_notice_only_once_noticed_with_time_place_and_chair():
    pc, captain = _notified({"kinds": ["fine"], "fine_amount": "6000"})
    assert post(captain, f"{API}{pc.code}/hearing-request").status_code == 200
    assert _doc(captain, pc, "hearing-notice").status_code == 404
    assert "hearing-notice" not in _offered(captain, pc)
    at = timezone.localtime(timezone.now() + dt.timedelta(days=30)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    notice = {
        "at": at.isoformat(),
        "place": "镇政府三楼会议室",
        "host": user("leader_pj").person.pk,
        "served_on": str(timezone.localdate()),
    }
    r = post(captain, f"{API}{pc.code}/hearing-notice", notice)
    assert r.status_code == 200, r.content
    page = _doc(captain, pc, "hearing-notice").content.decode()
    assert re.search(r"盘江镇综执听通字〔\d{4}〕第\d+号", page)
    assert documents.cn_moment(at) in page.split('id="doc-at"', 1)[1].split("</td>", 1)[0]
    assert "镇政府三楼会议室" in page.split('id="doc-place"', 1)[1].split("</td>", 1)[0]
    assert "卫镇长" in page.split('id="doc-chair"', 1)[1].split("</td>", 1)[0]


def test_a_no_penalty_decision_has_its_own_document_and_no_penalty_decision():
    pc, captain = _notified(WARNING)
    body = {"ground": "first_minor", "note": "初次违法，已自行拆除", "kinds": ["order_correct"]}
    assert post(client_for("leader_pj"), f"{API}{pc.code}/no-penalty", body).status_code == 200
    assert _doc(captain, pc, "decision").status_code == 404
    assert _offered(captain, pc) == [
        "filing",
        "notice",
        "service-notice",
        "no-penalty",
        "service",
    ]
    page = _doc(captain, pc, "no-penalty").content.decode()
    assert re.search(r"盘江镇综执不罚字〔\d{4}〕第\d+号", page)
    assert "初次违法且危害后果轻微并及时改正" in page and "初次违法，已自行拆除" in page
    assert "责令改正" in page and "六十日内" in page and "六个月内" in page
    assert "十五日内" not in page  # nothing to pay
    served = _doc(captain, pc, "service").content.decode()
    assert "不予行政处罚决定书" in served
    at = served.split('id="doc-served-at"', 1)[1].split("</td>", 1)[0]
    assert 'class="blank' in at  # not served yet: the officer writes it in


def test_another_township_gets_404_and_the_county_above_sees_it():
    pc, _captain = _decided()
    for who in ("dispatcher_ky",):
        for kind in ("filing", "decision"):
            assert _doc(client_for(who), pc, kind).status_code == 404
    assert _doc(client_for("county_zy"), pc, "decision").status_code == 200
    mine = open_case(township=KEYAN, power="JC-CF-002", by="handler_ky")
    assert _doc(client_for("captain_pj"), mine, "filing").status_code == 404
    page = _doc(client_for("dispatcher_ky"), mine, "filing").content.decode()
    assert "柯岩街道综执立字" in page


def test_an_english_page_keeps_the_document_in_chinese():
    pc, _captain = _decided()
    client = client_for("captain_pj")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _doc(client, pc, "decision").content.decode()
    assert "Print" in page and "Back to enforcement case" in page
    assert "行政处罚决定书" in page and "罚款" in page and "（公民）" in page
    assert "Fine" not in page.split('id="document"', 1)[1]
    card = client.get(f"/enforcement/{pc.code}/").content.decode()
    assert "Documents" in card and "Decision on administrative penalty" in card


def test_the_print_layout_hides_the_site_chrome():
    pc, captain = _decided()
    page = _doc(captain, pc, "decision").content.decode()
    assert "core/documents.css" in page
    from django.contrib.staticfiles import finders

    css = open(finders.find("core/documents.css"), encoding="utf-8").read()
    printed = css.split("@media print", 1)[1]
    assert ".topbar" in printed and "display:none" in printed and "size:A4" in printed


def _served(page: str) -> str:
    return page.split('id="doc-served">', 1)[1].split("</td>", 1)[0]


def test_a_service_receipt_for_each_document_served_on_the_party(persona):
    pc = open_case()
    captain = client_for("captain_pj")
    assert post(captain, f"{API}{pc.code}/order-stop").status_code == 200
    page = _doc(captain, pc, "service-stop-order").content.decode()
    assert "<h1>送达回证</h1>" in page
    assert re.search(
        r"责令停止（改正）违法行为通知书（盘江镇综执责改字〔\d{4}〕第\d+号）", _served(page)
    )
    at = page.split('id="doc-served-at">', 1)[1].split("</td>", 1)[0]
    assert 'class="blank' in at  # the record has no moment of service of the written order
    assert _doc(captain, pc, "service-notice").status_code == 404

    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    assert (
        post(
            captain, f"{API}{pc.code}/notify", {"kinds": ["fine"], "fine_amount": "6000"}
        ).status_code
        == 200
    )
    page = _doc(captain, pc, "service-notice").content.decode()
    number = _number(pc)
    assert "行政处罚事先告知书（盘江镇综执罚告字" in _served(page)
    assert f"第{number}号" in _served(page)
    notified_at = PenaltyCase.objects.get(pk=pc.pk).notified_at
    assert documents.cn_moment(notified_at) in page and "陈队长" in page
    assert _doc(captain, pc, "service-hearing-notice").status_code == 404
    assert _doc(persona("staff_a"), pc, "service-notice").status_code == 404

    assert post(captain, f"{API}{pc.code}/hearing-request").status_code == 200
    served_on = timezone.localdate()
    notice = {
        "at": (timezone.now() + dt.timedelta(days=30)).isoformat(),
        "place": "镇政府会议室",
        "host": user("leader_pj").person.pk,
        "served_on": str(served_on),
    }
    assert post(captain, f"{API}{pc.code}/hearing-notice", notice).status_code == 200
    page = _doc(captain, pc, "service-hearing-notice").content.decode()
    assert re.search(rf"听证通知书（盘江镇综执听通字〔\d{{4}}〕第{number}号）", _served(page))
    assert documents.cn_date(served_on) in page

    card = captain.get(f"/enforcement/{pc.code}/").content.decode().split('id="documents"', 1)[1]
    assert "送达回证（行政处罚事先告知书）" in card and "送达回证（听证通知书）" in card
