"""《行政处罚法》第四十五条: the decision is no heavier than what was notified (a kind not notified,
a higher fine or value confiscated is refused, nothing written); 重新告知 starts again; the party's
陈述、申辩 recorded after 告知."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement.models import PenaltyCase, PenaltyStep, State
from tests.conftest import client_for

from .helpers import add_evidence, notified_by_api, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
NOTICE = {"kinds": ["warning", "fine"], "fine_amount": "2000"}


def _notified(intended=NOTICE):
    return notified_by_api(intended)


def _decide(pc, **penalty):
    body = {"note": "处罚决定", "waived": True, **penalty}
    return post(client_for("leader_pj"), f"{API}{pc.code}/decide", body)


@pytest.mark.parametrize(
    ("intended", "decided", "why"),
    [
        (
            NOTICE,
            {"kinds": ["warning", "fine"], "fine_amount": "2000.01"},
            "罚款2000.01元高于告知的",
        ),
        (
            NOTICE,
            {"kinds": ["fine", "confiscate_gains"], "fine_amount": "100", "confiscation_value": 1},
            "「没收违法所得」未经告知",
        ),
        ({"kinds": ["warning"]}, {"kinds": ["fine"], "fine_amount": "50"}, "「罚款」未经告知"),
        (
            {"kinds": ["confiscate_property"], "confiscation_value": "800"},
            {"kinds": ["confiscate_property"], "confiscation_value": "900"},
            "没收数额或价值900.00元高于告知的800.00元",
        ),
    ],
)
def test_a_heavier_decision_is_refused_citing_article_45_and_nothing_is_written(
    intended, decided, why
):
    pc, _captain = _notified(intended)
    audits = AuditEvent.objects.count()
    r = _decide(pc, **decided)
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert why in detail and "第四十五条" in detail and "重新告知" in detail
    after = PenaltyCase.objects.get(pk=pc.pk)
    assert after.state == State.NOTIFIED and after.decided_at is None and after.outcome == ""
    assert after.notified_kinds == intended["kinds"]
    assert not PenaltyStep.objects.filter(penalty_case=pc, step="decide").exists()
    assert AuditEvent.objects.count() == audits


def test_a_lighter_or_equal_decision_is_allowed_and_the_notice_is_kept():
    pc, _captain = _notified()
    # an order is not a penalty (第二十八条): it may come with the decision without a notice
    r = _decide(pc, kinds=["fine", "order_demolish"], fine_amount="1500")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["penalty_kinds"] == ["fine", "order_demolish"]
    assert Decimal(out["fine_amount"]) == Decimal("1500")
    assert out["notified_kinds"] == ["warning", "fine"]
    assert Decimal(out["notified_fine"]) == Decimal("2000") and out["notified_confiscation"] is None
    page = client_for("captain_pj").get(f"/enforcement/{pc.code}/").content.decode()
    notified = page.split('id="notified"', 1)[1].split("</p>", 1)[0]
    assert "警告" in notified and "2000" in notified

    same, _c = _notified()
    assert _decide(same, kinds=["warning", "fine"], fine_amount="2000").status_code == 200


def test_renotifying_replaces_the_content_restarts_the_period_and_stays_in_the_history():
    pc, captain = _notified()
    r = post(captain, f"{API}{pc.code}/statement", {"note": "当事人称已停工"})
    assert r.status_code == 200, r.content
    first = PenaltyCase.objects.get(pk=pc.pk)
    assert _decide(pc, kinds=["fine"], fine_amount="3000").status_code == 409

    r = post(captain, f"{API}{pc.code}/notify", {"kinds": ["fine"], "fine_amount": "3000"})
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["notified_kinds"] == ["fine"] and Decimal(out["notified_fine"]) == 3000
    assert out["statement"] == "" and out["statement_at"] is None  # for the new notice
    again = PenaltyCase.objects.get(pk=pc.pk)
    assert again.notified_at > first.notified_at and again.hearing_until >= first.hearing_until
    notices = PenaltyStep.objects.filter(penalty_case=pc, step="notify").order_by("seq")
    assert [s.data["fine_amount"] for s in notices] == ["2000.00", "3000.00"]
    assert PenaltyStep.objects.filter(penalty_case=pc, step="statement").count() == 1
    # the new notice's 5 days run again: the party has not waived them this time
    body = {"note": "罚款", "kinds": ["fine"], "fine_amount": "3000"}
    r = post(client_for("leader_pj"), f"{API}{pc.code}/decide", body)
    assert r.status_code == 409 and "第六十四条" in r.json()["detail"]
    assert _decide(pc, kinds=["fine"], fine_amount="3000").status_code == 200


def test_the_heavier_decision_is_refused_on_the_page_with_the_message():
    pc, _captain = _notified()
    leader = client_for("leader_pj")
    page = leader.get(f"/enforcement/{pc.code}/").content.decode()
    assert 'id="decide-limit"' in page
    body = {"note": "罚款", "kinds": ["fine"], "fine_amount": "9000", "waived": "1"}
    r = leader.post(f"/enforcement/{pc.code}/act/decide/", body)
    assert r.status_code == 409
    assert "第四十五条" in r.content.decode()
    assert PenaltyCase.objects.get(pk=pc.pk).state == State.NOTIFIED


def test_the_statement_is_recorded_after_the_notice_with_what_and_when(persona):
    pc = open_case()
    captain = client_for("captain_pj")
    early = post(captain, f"{API}{pc.code}/statement", {"note": "当事人未陈述申辩"})
    assert early.status_code == 409 and "不能记录当事人陈述、申辩" in early.json()["detail"]
    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    post(captain, f"{API}{pc.code}/notify", NOTICE)

    other = post(persona("staff_a"), f"{API}{pc.code}/statement", {"note": "x"})
    assert other.status_code == 404  # another township's case
    clerk = post(persona("staff_b"), f"{API}{pc.code}/statement", {"note": "x"})
    assert clerk.status_code == 403 and "执法人员" in clerk.json()["detail"]
    empty = post(captain, f"{API}{pc.code}/statement", {"note": "  "})
    assert empty.status_code == 400 and "当事人未陈述申辩" in empty.json()["detail"]
    before = timezone.localtime(PenaltyCase.objects.get(pk=pc.pk).notified_at)
    old = post(
        captain,
        f"{API}{pc.code}/statement",
        {"note": "x", "at": str(before - dt.timedelta(hours=1))},
    )
    assert old.status_code == 400 and "不能早于告知时间" in old.json()["detail"]
    assert PenaltyCase.objects.get(pk=pc.pk).statement_at is None

    r = post(captain, f"{API}{pc.code}/statement", {"note": "当事人未陈述申辩"})
    assert r.status_code == 200, r.content
    assert r.json()["statement"] == "当事人未陈述申辩" and r.json()["statement_at"]
    assert AuditEvent.objects.filter(verb="enforcement.statement", object_id=str(pc.pk)).exists()

    # the page: an officer's form, then the record on the case and the decision document
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert f"/enforcement/{pc.code}/act/statement/" in page
    r = captain.post(f"/enforcement/{pc.code}/act/statement/", {"note": "当事人申辩：系自家宅基地"})
    assert r.status_code == 302
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "系自家宅基地" in page.split('id="statement"', 1)[1].split("</p>", 1)[0]
    assert _decide(pc, kinds=["fine"], fine_amount="2000").status_code == 200
    doc = captain.get(f"/enforcement/{pc.code}/documents/decision/").content.decode()
    assert "系自家宅基地" in doc.split('id="doc-statement"', 1)[1].split("</span>", 1)[0]
    late = post(captain, f"{API}{pc.code}/statement", {"note": "补充意见"})
    assert late.status_code == 409
