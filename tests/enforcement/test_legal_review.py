"""法制审核 (第五十八条): a 重大 decision — a ground the officer names, or a fine at or over the
dated threshold — waits for a review that passed, by a 法制审核人员 of the township."""

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.core.models import AuditEvent
from jiceng.enforcement import thresholds
from jiceng.enforcement.models import AmountThreshold, PenaltyCase, PenaltyStep
from jiceng.org.demo import demo_accounts_note
from tests.conftest import client_for

from .helpers import WARNING, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def _notified(intended=WARNING, **kw):
    pc = open_case(**kw)
    captain = client_for("captain_pj")
    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", intended).status_code == 200
    return pc, captain


def _fine(amount: str) -> dict:
    return {"note": "罚款", "kinds": ["fine"], "fine_amount": amount, "waived": True}


def _review(pc, result="passed", opinion="事实清楚，证据确凿，适用依据正确，程序合法"):
    return post(
        client_for("legal_pj"), f"{API}{pc.code}/legal-review", {"result": result, "note": opinion}
    )


def test_a_fine_at_the_threshold_waits_for_the_legal_review():
    pc, captain = _notified({"kinds": ["fine"], "fine_amount": "9999.99"})
    below = post(captain, f"{API}{pc.code}/decide", _fine("9999.99"))
    assert below.status_code == 200, below.content  # under 10000: not 重大

    pc, captain = _notified({"kinds": ["fine"], "fine_amount": "10000"}, party="大额当事人")
    audits = AuditEvent.objects.count()
    r = post(captain, f"{API}{pc.code}/decide", _fine("10000"))
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert "重大执法决定" in detail and "10000" in detail and "第五十八条" in detail
    assert "平台默认值" in detail  # no province row: the message says the figure is a default
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.state == "notified" and fresh.decided_at is None and not fresh.outcome
    assert AuditEvent.objects.count() == audits

    assert _review(pc).status_code == 200
    r = post(captain, f"{API}{pc.code}/decide", _fine("10000"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["legal_review"] == "passed" and body["legal_reviewer_name"] == "柳法审"
    assert any("10000" in reason for reason in body["major_reasons"])


def test_the_threshold_depends_on_the_kind_of_party():
    captain = client_for("captain_pj")
    opening = {"power": "JC-CF-001", "party_name": "某公司", "act_date": "2022-01-01"}
    bad = post(captain, API, {**opening, "party_kind": "company"})
    assert bad.status_code == 400 and "当事人类型" in bad.json()["detail"]
    r = post(captain, API, {**opening, "party_kind": "organisation"})
    assert r.status_code == 201 and r.json()["party_kind"] == "organisation"
    pc = PenaltyCase.objects.get(code=r.json()["code"])
    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    post(captain, f"{API}{pc.code}/notify", {"kinds": ["fine"], "fine_amount": "50000"})
    r = post(captain, f"{API}{pc.code}/decide", _fine("50000"))
    assert r.status_code == 200, r.content  # organisations: 100000


def test_a_ground_named_by_the_officer_blocks_any_decision_until_a_review_passes():
    pc, captain = _notified({"kinds": ["fine"], "fine_amount": "200"})
    bad = post(captain, f"{API}{pc.code}/mark-major", {"ground": "complex", "note": " "})
    assert bad.status_code == 400
    r = post(captain, f"{API}{pc.code}/mark-major", {"ground": "complex", "note": "涉及多个权利人"})
    assert r.status_code == 200, r.content
    assert "案件情况疑难复杂" in r.json()["major_reasons"][0]
    decide = next(o for o in r.json()["options"] if o["name"] == "decide")
    assert "须经法制审核通过" in decide["refusal"]  # shown disabled with the reason
    small = post(captain, f"{API}{pc.code}/decide", _fine("200"))
    assert small.status_code == 409 and "须经法制审核通过" in small.json()["detail"]
    none = {"ground": "first_minor", "note": "首违轻微"}
    assert post(captain, f"{API}{pc.code}/no-penalty", none).status_code == 409

    assert _review(pc, "failed", "证据不足以认定违法所得").status_code == 200
    r = post(captain, f"{API}{pc.code}/decide", _fine("200"))
    assert r.status_code == 409 and "法制审核未通过（证据不足以认定违法所得）" in r.json()["detail"]

    assert _review(pc).status_code == 200
    assert post(captain, f"{API}{pc.code}/decide", _fine("200")).status_code == 200
    steps = list(PenaltyStep.objects.filter(penalty_case=pc).values_list("step", flat=True))
    assert steps.count("legal_review") == 2 and "mark_major" in steps
    first = PenaltyStep.objects.filter(penalty_case=pc, step="legal_review").first()
    assert first.data == {"result": "failed", "reasons": ["complex"]}


def test_a_review_made_before_a_later_ground_does_not_count():
    pc, captain = _notified()
    assert _review(pc).status_code == 200
    post(captain, f"{API}{pc.code}/mark-major", {"ground": "public_interest", "note": "占用耕地"})
    r = post(captain, f"{API}{pc.code}/decide", _fine("200"))
    assert r.status_code == 409 and "须经法制审核通过" in r.json()["detail"]
    again = post(captain, f"{API}{pc.code}/mark-major", {"ground": "public_interest", "note": "x"})
    assert again.status_code == 409


def test_only_a_legal_reviewer_of_the_township_reviews(persona):
    pc, captain = _notified()
    r = post(captain, f"{API}{pc.code}/legal-review", {"result": "passed", "note": "同意"})
    assert r.status_code == 403 and "法制审核人员" in r.json()["detail"]
    assert post(persona("handler_a"), f"{API}{pc.code}/legal-review", {}).status_code == 404
    r = post(client_for("legal_pj"), f"{API}{pc.code}/decide", _fine("200"))
    assert r.status_code == 403
    r = post(client_for("legal_pj"), f"{API}{pc.code}/legal-review", {"result": "ok", "note": "x"})
    assert r.status_code == 400 and "通过或不通过" in r.json()["detail"]
    assert not PenaltyStep.objects.filter(penalty_case=pc, step="legal_review").exists()


def test_no_review_before_investigation_nor_after_the_decision():
    pc = open_case()
    r = _review(pc)
    assert r.status_code == 409 and "不能法制审核" in r.json()["detail"]


def test_the_page_shows_the_review_form_to_the_reviewer_only():
    pc, captain = _notified()
    post(captain, f"{API}{pc.code}/mark-major", {"ground": "complex", "note": "涉及多个权利人"})
    mine = client_for("legal_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert f"/enforcement/{pc.code}/act/legal_review/" in mine and "重大执法决定" in mine
    assert 'href="/enforcement/"' in mine  # the menu entry
    theirs = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "/act/legal_review/" not in theirs
    r = client_for("legal_pj").post(
        f"/enforcement/{pc.code}/act/legal_review/", {"result": "passed", "note": "同意"}
    )
    assert r.status_code == 302
    assert PenaltyCase.objects.get(pk=pc.pk).legal_review == "passed"


def test_the_threshold_is_a_dated_rule_and_a_province_row_replaces_the_default():
    rule = thresholds.amount_rule("major_fine", "individual", "530303102", dt.date(2022, 1, 1))
    assert rule.amount == Decimal("10000") and rule.region_code == "" and rule.is_default
    assert (
        thresholds.amount_rule("major_fine", "individual", "530303102", dt.date(2020, 1, 1)) is None
    )
    # A province row (recorded through the action in test_thresholds.py; here a row of the past)
    yunnan = AmountThreshold.objects.create(
        name="major_fine",
        party_kind="individual",
        amount=Decimal("5000"),
        region_code="53",
        effective_from=dt.date(2023, 1, 1),
        basis="云南省（测试）",
    )
    on = dt.date(2023, 6, 1)
    assert thresholds.amount_rule("major_fine", "individual", "530303102", on) == yunnan
    assert thresholds.amount_rule("major_fine", "individual", "330603002", on).amount == 10000
    before = thresholds.amount_rule("major_fine", "individual", "530303102", dt.date(2022, 6, 1))
    assert before.amount == 10000


def test_the_demo_has_a_legal_reviewer_in_panjiang():
    assert "legal_pj" in demo_accounts_note() and "法制审核人员" in demo_accounts_note()


def test_a_case_waiting_for_review_is_in_the_reviewers_inbox_until_reviewed():
    """S7: the 法制审核人员 learns of the case from the inbox, not by being told."""
    from jiceng.workload.models import Task

    def waiting(pc):
        return Task.objects.filter(
            source_key__startswith=f"enforcement:{pc.pk}:review:", state="open"
        )

    pc, captain = _notified({"kinds": ["fine"], "fine_amount": "20000"}, party="待审核当事人")
    (task,) = waiting(pc)
    assert task.assignee_person.user.username == "legal_pj"
    assert pc.code in task.subject and "20000" in task.body
    inbox = client_for("legal_pj").get("/inbox/").content.decode()
    assert pc.code in inbox
    assert _review(pc, result="failed", opinion="罚款依据不明").status_code == 200
    assert not waiting(pc).exists()  # reviewed (not passed): out of the inbox
    # a fresh notice needs a fresh review: back in the inbox
    r = post(captain, f"{API}{pc.code}/notify", {"kinds": ["fine"], "fine_amount": "15000"})
    assert r.status_code == 200, r.content
    assert waiting(pc).count() == 1
    assert _review(pc).status_code == 200
    assert not waiting(pc).exists()
    # a warning is not 重大: nothing for the reviewer
    small, _c = _notified(WARNING, party="警告当事人")
    assert not waiting(small).exists()


def test_without_a_reviewer_the_team_is_told_to_get_one():
    from jiceng.org.models import PersonRole
    from jiceng.workload.models import Task

    PersonRole.objects.filter(role="legal_reviewer").delete()
    pc, _captain = _notified({"kinds": ["fine"], "fine_amount": "20000"}, party="无审核人当事人")
    (task,) = Task.objects.filter(source_key__startswith=f"enforcement:{pc.pk}:review:")
    assert task.assignee_unit == pc.handling_unit and "尚无法制审核人员" in task.subject
