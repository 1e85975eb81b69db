"""缴纳罚款 at 执行 (《行政处罚法》第六十七条至第七十二条): bank or electronic payment, 当场收缴 only
where 第六十八、六十九条 allow it and with the 专用票据 (第七十条), the amount with any 加处罚款; every
refusal a clear 4xx with nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement import actions, clocks
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from jiceng.org.models import Region
from jiceng.powers.models import PowerItem
from tests.conftest import client_for, user

from .helpers import PANJIANG, notified_by_actions, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def today() -> str:
    return str(timezone.localdate())


def officers() -> list[int]:
    return [user("captain_pj").person.pk, user("officer_pj").person.pk]


def served_general(fine="2000", party="缴款当事人"):
    """A 盘江镇 case decided (普通程序) with a fine and served today."""
    pc = notified_by_actions(party=party, kinds=["fine"], fine_amount=fine)
    actions.penaltycase_decide(
        penalty_case=pc,
        decision="罚款",
        kinds=["fine"],
        fine_amount=fine,
        waived=True,
        by=user("leader_pj"),
    )
    return actions.penaltycase_serve(penalty_case=pc, by=user("captain_pj"))


def served_summary(fine="50", kinds=("fine",)):
    """An on-the-spot decision (简易程序, 第五十一条) of now, by captain_pj and officer_pj."""
    return actions.penaltycase_decide_on_spot(
        power=PowerItem.objects.get(code="JC-CF-001"),
        township=Region.objects.get(code=PANJIANG),
        party_name="路边摊主",
        facts="占用生产路堆放建筑材料",
        kinds=list(kinds),
        fine_amount=fine,
        statement="当事人无异议",
        statement_heard=True,
        officers=officers(),
        place="盘江镇下坡村生产路",
        by=user("captain_pj"),
    )


def on_spot_body(**change) -> dict:
    return {
        "method": "on_spot_small",
        "paid_amount": "50",
        "paid_on": today(),
        "receipt_number": "云财票 No.0012345",
        "collectors": officers(),
        **change,
    }


def execute(pc, body, who="captain_pj"):
    return post(client_for(who), f"{API}{pc.code}/execute", body)


def _written(pc):
    return (
        PenaltyStep.objects.filter(penalty_case=pc).count(),
        AuditEvent.objects.count(),
        PenaltyCase.objects.filter(pk=pc.pk)
        .values_list("state", "payment_method", "paid_amount", "receipt_number", "handin_due_at")
        .get(),
    )


def test_a_fine_paid_at_the_bank_is_recorded_with_its_audit_row():
    pc = served_general()
    r = execute(pc, {"method": "bank", "paid_amount": "2000", "paid_on": today()})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "executed" and body["payment_method"] == "bank"
    assert body["paid_amount"] == "2000.00" and body["surcharge_paid"] == "0.00"
    assert body["paid_on"] == today() and body["handin_due_at"] is None
    step = PenaltyStep.objects.get(penalty_case=pc, step="execute")
    assert step.data["method"] == "bank" and step.data["paid_amount"] == "2000.00"
    assert "到指定的银行缴纳" in step.note
    row = AuditEvent.objects.get(verb="enforcement.execute", object_id=str(pc.pk))
    assert row.before["payment_method"] == "" and row.after["payment_method"] == "bank"
    assert row.after["paid_amount"] == "2000.00"
    assert post(client_for("leader_pj"), f"{API}{pc.code}/close").status_code == 200


@pytest.mark.parametrize(
    "change,status,message",
    [
        ({"method": ""}, 400, "请选择罚款的缴纳方式"),
        ({"method": "cash"}, 400, "请选择罚款的缴纳方式"),
        ({"paid_on": None}, 400, "请填写缴纳日期"),
        ({"paid_amount": None}, 400, "请填写实缴金额"),
        ({"paid_amount": "1999.99"}, 400, "实缴金额1999.99元少于应缴金额2000.00元"),
        ({"paid_amount": "2000.01"}, 400, "不得多收"),
        ({"paid_amount": "-5"}, 400, "实缴金额须为大于0的金额"),
        ({"method": "on_spot_small"}, 409, "第六十八条的当场收缴只适用于依照第五十一条"),
        ({"method": "on_spot_hard", "reason": "当事人要离开"}, 409, "本案适用普通程序"),
        ({"method": "on_spot_remote", "reason": "山区无银行"}, 409, "须经当事人提出"),
        ({"method": "on_spot_remote", "party_asked": True}, 400, "确有困难"),
    ],
)
def test_what_the_law_does_not_allow_is_refused_and_nothing_is_written(change, status, message):
    pc = served_general()
    before = _written(pc)
    r = execute(pc, {"method": "bank", "paid_amount": "2000", "paid_on": today(), **change})
    assert r.status_code == status and message in r.json()["detail"], r.content
    assert _written(pc) == before


def test_a_date_in_the_future_or_before_the_decision_is_refused():
    pc = served_general()
    before = _written(pc)
    tomorrow = str(timezone.localdate() + dt.timedelta(days=1))
    r = execute(pc, {"method": "bank", "paid_amount": "2000", "paid_on": tomorrow})
    assert r.status_code == 400 and "不能晚于今天" in r.json()["detail"]
    yesterday = str(timezone.localdate() - dt.timedelta(days=1))
    r = execute(pc, {"method": "electronic", "paid_amount": "2000", "paid_on": yesterday})
    assert r.status_code == 400 and "不能早于作出处罚决定的日期" in r.json()["detail"]
    assert _written(pc) == before


def test_69_a_remote_party_who_asks_may_pay_the_officers_of_a_general_case():
    pc = served_general()
    body = on_spot_body(
        method="on_spot_remote",
        paid_amount="2000",
        party_asked=True,
        reason="当事人住高山村寨，距最近的银行网点40公里，无网络支付条件，当事人提出当场缴纳",
    )
    r = execute(pc, body)
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["payment_method"] == "on_spot_remote" and got["party_asked"] is True
    assert got["receipt_number"] == "云财票 No.0012345" and "高山村寨" in got["collection_reason"]
    assert sorted(got["collectors"]) == sorted(["陈队长", "何执法"])
    pc.refresh_from_db()
    assert pc.handin_due_at == clocks.deadline(
        "handin", timezone.make_aware(dt.datetime.combine(pc.paid_on, dt.time(9)))
    )


@pytest.mark.parametrize(
    "change,message",
    [
        ({"receipt_number": " "}, "财政部门统一制发的专用票据（第七十条）"),
        ({"collectors": []}, "两名以上执法人员"),
        ({"collectors": "captain only"}, "两名以上执法人员"),
    ],
)
def test_an_on_the_spot_collection_needs_the_receipt_and_two_officers(change, message):
    pc = served_summary()
    before = _written(pc)
    if change.get("collectors") == "captain only":
        change = {"collectors": officers()[:1]}
    r = execute(pc, on_spot_body(**change))
    assert r.status_code == 400 and message in r.json()["detail"], r.content
    assert _written(pc) == before


def test_a_collector_from_another_township_is_refused():
    pc = served_summary()
    before = _written(pc)
    ids = [user("captain_pj").person.pk, user("handler_ky").person.pk]
    r = execute(pc, on_spot_body(collectors=ids))
    assert r.status_code == 400 and "不是盘江镇的执法人员" in r.json()["detail"]
    assert _written(pc) == before


def test_68_1_only_up_to_100_yuan_68_2_with_its_reason():
    pc = served_summary(fine="150")
    before = _written(pc)
    r = execute(pc, on_spot_body(paid_amount="150"))
    assert r.status_code == 409 and "不适用于罚款150.00元" in r.json()["detail"]
    r = execute(pc, on_spot_body(method="on_spot_hard", paid_amount="150"))
    assert r.status_code == 400 and "事后难以执行的理由" in r.json()["detail"]
    assert _written(pc) == before
    reason = "当事人系外地流动摊贩，无固定住所，不当场收缴事后难以执行"
    r = execute(pc, on_spot_body(method="on_spot_hard", paid_amount="150", reason=reason))
    assert r.status_code == 200, r.content
    assert r.json()["collection_reason"] == reason


def test_68_is_collected_when_the_decision_is_made_not_days_later():
    pc = served_summary()
    yesterday = timezone.now() - dt.timedelta(days=1)
    PenaltyCase.objects.filter(pk=pc.pk).update(decided_at=yesterday, served_at=yesterday)
    before = _written(pc)
    r = execute(pc, on_spot_body())
    assert r.status_code == 409 and "须在当场作出处罚决定时" in r.json()["detail"]
    assert _written(pc) == before


def test_a_late_payment_must_include_the_surcharge():
    pc = served_general()
    last = timezone.localdate() - dt.timedelta(days=2)  # paid today: 2 days late
    PenaltyCase.objects.filter(pk=pc.pk).update(execute_due_at=clocks.end_of_day(last))
    detail = client_for("captain_pj").get(f"{API}{pc.code}").json()
    assert detail["overdue_days"] == 2 and detail["surcharge_due"] == "120.00"
    assert detail["amount_due"] == "2120.00" and detail["pay_last_day"] == str(last)
    before = _written(pc)
    r = execute(pc, {"method": "bank", "paid_amount": "2000", "paid_on": today()})
    detail = r.json()["detail"]
    assert r.status_code == 400 and "少于应缴金额2120.00元" in detail
    assert "逾期2日加处罚款120.00元" in detail and "第七十二条" in detail
    assert _written(pc) == before
    r = execute(pc, {"method": "bank", "paid_amount": "2120", "paid_on": today()})
    assert r.status_code == 200, r.content
    assert r.json()["surcharge_paid"] == "120.00" and r.json()["paid_amount"] == "2120.00"


def test_a_leader_may_let_off_the_surcharge_under_an_enforcement_agreement():
    """《行政强制法》第四十二条: an 执行协议, the party's remedial measures, recorded by an officer who
    is a leader (captain_pj), at most the 加处罚款 due; the amount paid is then the fine plus what
    is left of it."""
    pc = served_general()
    last = timezone.localdate() - dt.timedelta(days=2)  # 120.00 of 加处罚款 today
    PenaltyCase.objects.filter(pk=pc.pk).update(execute_due_at=clocks.end_of_day(last))
    page = client_for("captain_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert 'id="waiver"' in page and 'name="surcharge_waived"' in page
    bank = {"method": "bank", "paid_on": today()}
    agreed = "双方签订执行协议；当事人已自行拆除违建部分"
    before = _written(pc)
    refused = [
        # more than is due
        (
            "captain_pj",
            {"paid_amount": "1990", "surcharge_waived": "130", "waiver_basis": agreed},
            400,
            "不能超过应加处的120.00元",
        ),
        # no agreement and measures written
        ("captain_pj", {"paid_amount": "2000", "surcharge_waived": "120"}, 400, "执行协议"),
        # the amount must match what is left
        (
            "captain_pj",
            {"paid_amount": "2000", "surcharge_waived": "100", "waiver_basis": agreed},
            400,
            "减免加处罚款100.00元",
        ),
        # an officer may not decide it
        (
            "officer_pj",
            {"paid_amount": "2000", "surcharge_waived": "120", "waiver_basis": agreed},
            403,
            "负责人",
        ),
    ]
    for who, change, status, said in refused:
        r = execute(pc, {**bank, **change}, who=who)
        assert r.status_code == status and said in r.json()["detail"], (change, r.content)
        assert _written(pc) == before
    r = execute(
        pc,
        {**bank, "paid_amount": "2020", "surcharge_waived": "100", "waiver_basis": agreed},
        who="captain_pj",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["surcharge_paid"] == "20.00" and body["surcharge_waived"] == "100.00"
    assert body["waiver_basis"] == agreed and body["paid_amount"] == "2020.00"
    step = PenaltyStep.objects.filter(penalty_case=pc, step="execute").get()
    assert step.data["surcharge_waived"] == "100.00"
    page = client_for("captain_pj").get(f"/enforcement/{pc.code}/").content.decode()
    assert 'id="surcharge-waived"' in page and agreed in page


def test_nothing_is_let_off_when_the_fine_is_paid_on_time():
    pc = served_general()
    r = execute(
        pc,
        {
            "method": "bank",
            "paid_amount": "2000",
            "paid_on": today(),
            "surcharge_waived": "10",
            "waiver_basis": "执行协议",
        },
        who="captain_pj",
    )
    assert r.status_code == 409 and "没有加处罚款可以减免" in r.json()["detail"]
    assert PenaltyCase.objects.get(pk=pc.pk).state == "served"


def test_paid_on_the_last_day_is_on_time_even_when_recorded_later():
    pc = served_general()
    last = timezone.localdate() - dt.timedelta(days=3)
    PenaltyCase.objects.filter(pk=pc.pk).update(
        execute_due_at=clocks.end_of_day(last),
        decided_at=timezone.now() - dt.timedelta(days=20),
    )
    r = execute(pc, {"method": "electronic", "paid_amount": "2000", "paid_on": str(last)})
    assert r.status_code == 200, r.content
    assert Decimal(r.json()["surcharge_paid"]) == 0


def test_a_case_without_a_fine_executes_as_before():
    pc = served_summary(fine=None, kinds=("warning",))
    before = _written(pc)
    r = execute(pc, {"method": "bank", "paid_amount": "10", "paid_on": today()})
    assert r.status_code == 409 and "不含罚款" in r.json()["detail"]
    assert _written(pc) == before
    r = execute(pc, {"note": "已当场训诫"})
    assert r.status_code == 200 and r.json()["state"] == "executed"
    assert r.json()["payment_method"] == "" and r.json()["paid_amount"] is None


def test_another_township_gets_404_and_nothing_changes():
    pc = served_general()
    before = _written(pc)
    r = execute(pc, {"method": "bank", "paid_amount": "2000", "paid_on": today()}, "handler_ky")
    assert r.status_code == 404
    page = client_for("handler_ky").post(f"/enforcement/{pc.code}/act/execute/", {})
    assert page.status_code == 404
    assert _written(pc) == before


def test_the_page_shows_what_is_due_and_records_the_payment():
    pc = served_general()
    captain = client_for("captain_pj")
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert 'id="amount-due"' in page and "今日缴纳应缴 2000.00 元" in page
    assert 'name="method"' in page and "on_spot_remote" in page
    url = f"/enforcement/{pc.code}/act/execute/"
    refused = captain.post(
        url, {"method": "on_spot_small", "paid_amount": "2000", "paid_on": today()}
    )
    assert refused.status_code == 409 and "第六十八条" in refused.content.decode()
    form = {"method": "bank", "paid_amount": "2000", "paid_on": today(), "receipt_number": "A1"}
    assert captain.post(url, form).status_code == 302
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    payment = page.split('id="payment"', 1)[1].split("</div>", 1)[0]
    assert "到指定的银行缴纳" in payment and "2000.00" in payment and "缴款凭证号：A1" in payment


def test_an_unpaid_late_fine_shows_its_surcharge_and_the_court_on_the_page():
    pc = served_general()
    last = timezone.localdate() - dt.timedelta(days=40)
    PenaltyCase.objects.filter(pk=pc.pk).update(execute_due_at=clocks.end_of_day(last))
    page = client_for("captain_pj").get(f"/enforcement/{pc.code}/").content.decode()
    unpaid = page.split('id="unpaid"', 1)[1].split("</div>", 1)[0]
    assert "逾期未缴纳罚款" in unpaid and "已逾期 40 日" in unpaid
    assert "加处罚款 2000.00 元" in unpaid and "应缴合计 4000.00 元" in unpaid  # capped
    assert "申请人民法院强制执行" in unpaid


def _ledger(client) -> dict:
    import io

    import openpyxl

    r = client.get("/enforcement/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_the_ledger_has_the_payment_and_the_surcharge_of_an_unpaid_late_fine():
    paid, late = served_general(party="台账已缴"), served_general(party="台账逾期")
    r = execute(paid, {"method": "electronic", "paid_amount": "2000", "paid_on": today()})
    assert r.status_code == 200
    last = timezone.localdate() - dt.timedelta(days=3)
    PenaltyCase.objects.filter(pk=late.pk).update(execute_due_at=clocks.end_of_day(last))
    rows = _ledger(client_for("captain_pj"))
    assert rows[paid.code]["缴纳方式"] == "通过电子支付系统缴纳（第六十七条）"
    assert rows[paid.code]["实缴金额"] == 2000 and rows[paid.code]["加处罚款"] is None
    assert rows[paid.code]["缴纳日期"].date() == timezone.localdate()
    assert rows[late.code]["缴纳方式"] is None and rows[late.code]["加处罚款"] == 180
