"""Who may do what: wrong role → 403, other township → 404, no change."""

import pytest

from jiceng.core.models import AuditEvent
from jiceng.enforcement.errors import Forbidden, Invalid
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from tests.conftest import client_for

from .helpers import BEFORE, KEYAN, PANJIANG, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def _unchanged(pc, steps: int, state: str = "filed"):
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.state == state
    assert PenaltyStep.objects.filter(penalty_case=pc).count() == steps


def test_a_dispatcher_of_the_town_may_read_but_not_act(persona):
    pc = open_case()
    audits = AuditEvent.objects.count()
    client = persona("staff_b")  # 盘江镇 dispatcher
    assert client.get(f"{API}{pc.code}").status_code == 200
    r = post(client, f"{API}{pc.code}/investigate")
    assert r.status_code == 403 and "盘江镇的执法人员" in r.json()["detail"]
    page = client.post(f"/enforcement/{pc.code}/act/investigate/", {"note": "x"})
    assert page.status_code == 403 and "盘江镇的执法人员" in page.content.decode()
    _unchanged(pc, 1)
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize(
    "step",
    [
        "investigate",
        "order-stop",
        "decide",
        "no-penalty",
        "cancel",
        "mark-major",
        "legal-review",
        "hearing-request",
        "hearing-notice",
        "hearing-hold",
        "hearing-report",
        "hearing-withdraw",
        "extend",
    ],
)
def test_another_township_gets_404_and_nothing_changes(persona, step):
    pc = open_case()
    client = persona("handler_a")  # 柯岩街道 enforcement officer
    assert client.get(f"{API}{pc.code}").status_code == 404
    assert client.get(f"/enforcement/{pc.code}/").status_code == 404
    assert post(client, f"{API}{pc.code}/{step}", {"note": "x"}).status_code == 404
    assert client.post(f"/enforcement/{pc.code}/act/{step}/").status_code == 404
    _unchanged(pc, 1)


def test_another_township_cannot_upload_evidence(persona):
    from .helpers import upload

    pc = open_case()
    body = {"file": upload(), "captured_by": 1}
    client = persona("handler_a")
    assert client.post(f"{API}{pc.code}/evidence", body).status_code == 404
    assert client.post(f"/enforcement/{pc.code}/evidence/", {"file": upload()}).status_code == 404
    assert not pc.evidence.exists()


def test_another_county_cannot_approve(persona):
    pc = open_case(act_date=BEFORE)
    captain = client_for("captain_pj")
    post(captain, f"{API}{pc.code}/investigate")
    # 柯桥区's county admin sees nothing of 盘江镇 at all.
    assert post(persona("county"), f"{API}{pc.code}/approve").status_code == 404
    _unchanged(pc, 2, "investigating")


def test_a_power_never_devolved_to_the_town_needs_the_district_approval():
    # S1: "in a town the power was not devolved to, the district's approval step is required".
    # 无照经营 (market supervision) was never handed to 盘江镇.
    pc = open_case(power="JC-CF-006")
    assert pc.approval_required is True
    assert pc.approval_unit.name == "沾益区市场监督管理局"
    assert "未下放至盘江镇" in pc.holder_explanation


def test_a_power_never_devolved_over_the_api_routes_to_the_district():
    r = post(
        client_for("captain_pj"),
        API,
        {"power": "JC-CF-006", "party_name": "某商户", "act_date": "2022-01-01"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["approval_required"] is True


def test_only_penalty_or_coercion_powers():
    with pytest.raises(Invalid) as exc:
        open_case(power="JC-JC-001")  # 行政检查, handed to 盘江镇 too
    assert "不是行政处罚或行政强制" in exc.value.message


def test_coercion_power_is_accepted():
    assert open_case(power="JC-QZ-001").approval_required is False


def test_an_officer_of_another_township_cannot_open_here():
    with pytest.raises(Forbidden):
        open_case(township=PANJIANG, by="handler_ky")
    assert open_case(township=KEYAN, power="JC-CF-002", by="handler_ky").township.code == KEYAN


def test_a_future_act_date_is_refused():
    import datetime as dt

    with pytest.raises(Invalid):
        open_case(act_date=dt.date.today() + dt.timedelta(days=2))
