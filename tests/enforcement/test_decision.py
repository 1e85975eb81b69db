"""What a decision imposes: the kinds of 第九条, the fine in yuan; checked before anything is
written, shown in the API detail and list."""

from decimal import Decimal

import pytest

from jiceng.core.models import AuditEvent
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from tests.conftest import client_for

from .helpers import WARNING, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def _notified(power="JC-CF-001", intended=WARNING):
    pc = open_case(power=power)
    captain = client_for("captain_pj")
    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", intended).status_code == 200
    return pc, captain


def test_a_fine_is_recorded_with_its_amount_and_shown_in_detail_and_list():
    pc, captain = _notified(intended={"kinds": ["warning", "fine"], "fine_amount": "1500.50"})
    body = {"note": "罚款", "kinds": ["fine", "warning"], "fine_amount": 1500.5, "waived": True}
    r = post(captain, f"{API}{pc.code}/decide", body)
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["penalty_kinds"] == ["fine", "warning"]
    assert Decimal(out["fine_amount"]) == Decimal("1500.50")
    assert out["penalty_labels"] == "罚款、警告"
    step = PenaltyStep.objects.get(penalty_case=pc, step="decide")
    assert step.data["fine_amount"] == "1500.50"
    row = next(c for c in captain.get(API).json() if c["code"] == pc.code)
    assert row["penalty_kinds"] == ["fine", "warning"] and Decimal(row["fine_amount"]) == 1500.5


@pytest.mark.parametrize(
    "body,message",
    [
        ({"kinds": ["fine"]}, "请填写罚款金额"),
        ({"kinds": ["warning"], "fine_amount": "100"}, "未选择罚款"),
        ({"kinds": ["fine"], "fine_amount": "0"}, "大于0"),
        ({"kinds": ["fine"], "fine_amount": "-5"}, "大于0"),
        ({"kinds": ["fine"], "fine_amount": "12.345"}, "精确到分"),
        ({"kinds": ["fine"], "fine_amount": "abc"}, "大于0"),
        ({"kinds": []}, "请选择处罚种类"),
        ({"kinds": ["detention"]}, "未知的处罚种类「detention」"),  # 行政拘留: police only
        ({"kinds": ["order_demolish"]}, "不是行政处罚"),
        ({"kinds": ["confiscate_gains"]}, "请填写没收数额或价值"),
        ({"kinds": ["warning"], "confiscation_value": "10"}, "未选择没收"),
    ],
)
def test_bad_content_is_refused_with_400_and_nothing_changes(body, message):
    pc, captain = _notified()
    audits = AuditEvent.objects.count()
    r = post(captain, f"{API}{pc.code}/decide", {"note": "决定", "waived": True, **body})
    assert r.status_code == 400 and message in r.json()["detail"], r.content
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.state == "notified" and fresh.penalty_kinds == ["warning"] and not fresh.outcome
    assert fresh.fine_amount is None and fresh.decided_at is None
    assert AuditEvent.objects.count() == audits


def test_a_coercion_case_may_decide_an_order_alone():
    pc, captain = _notified(power="JC-QZ-001")
    body = {"note": "限期拆除", "kinds": ["order_demolish"], "waived": True}
    r = post(captain, f"{API}{pc.code}/decide", body)
    assert r.status_code == 200, r.content
    assert r.json()["fine_amount"] is None
