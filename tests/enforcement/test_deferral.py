"""第六十六条第二款 暂缓、分期: the party's application and the leader's approval; 加处罚款 counts from
the approved day(s); instalments before the last are paid as a step, the last with 执行."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement import clocks, payment
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from tests.conftest import client_for

from .helpers import post
from .test_payment import execute, served_general, served_summary, today

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def day(n: int) -> str:
    return str(timezone.localdate() + dt.timedelta(days=n))


def defer(pc, body, who="leader_pj"):
    return post(client_for(who), f"{API}{pc.code}/defer-payment", body)


def pay(pc, body, who="captain_pj"):
    return post(client_for(who), f"{API}{pc.code}/pay-instalment", body)


REASON = "当事人家庭遭受火灾，确有经济困难，申请暂缓缴纳"
TWO = [{"due_on": "+10", "amount": "1200"}, {"due_on": "+40", "amount": "800"}]


def instalments(rows=TWO):
    return {
        "kind": "instalments",
        "applied_on": today(),
        "reason": REASON,
        "schedule": [{**r, "due_on": day(int(r["due_on"]))} for r in rows],
    }


def _written(pc):
    return (
        PenaltyStep.objects.filter(penalty_case=pc).count(),
        AuditEvent.objects.count(),
        PenaltyCase.objects.filter(pk=pc.pk)
        .values_list("deferral_kind", "payment_schedule", "state")
        .get(),
    )


def test_a_deferral_moves_the_last_day_and_the_surcharge_with_it():
    pc = served_general()
    first_last = payment.pay_last_day(pc)
    r = defer(pc, {"kind": "defer", "applied_on": today(), "reason": REASON, "due_on": day(60)})
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["deferral_kind"] == "defer" and got["deferral_approved_at"] is not None
    assert got["payment_schedule"] == [{"due_on": day(60), "amount": "2000.00"}]
    assert got["pay_last_day"] == day(60)
    pc.refresh_from_db()
    assert pc.current_due() == clocks.end_of_day(timezone.localdate() + dt.timedelta(days=60))
    # no 加处罚款 after the first 15 days any more; from the approved day on, as before
    assert payment.surcharge(pc, first_last + dt.timedelta(days=5)) == payment.NONE
    last = timezone.localdate() + dt.timedelta(days=60)
    assert payment.surcharge(pc, last).amount == 0
    assert payment.surcharge(pc, last + dt.timedelta(days=1)).amount == Decimal("60.00")
    step = PenaltyStep.objects.get(penalty_case=pc, step="defer_payment")
    assert step.data["kind"] == "defer" and REASON in step.note
    row = AuditEvent.objects.get(verb="enforcement.defer_payment", object_id=str(pc.pk))
    assert row.before["deferral_kind"] == "" and row.after["payment_schedule"][0]["due_on"] == day(
        60
    )
    again = defer(pc, {"kind": "defer", "applied_on": today(), "reason": REASON, "due_on": day(90)})
    assert again.status_code == 409 and "已于" in again.json()["detail"]


@pytest.mark.parametrize(
    "body,status,message",
    [
        ({"kind": "later"}, 400, "请选择暂缓缴纳或者分期缴纳"),
        ({"reason": " "}, 400, "经济困难"),
        ({"applied_on": None}, 400, "申请的日期"),
        ({"applied_on": "+1"}, 400, "不能晚于今天"),
        ({"due_on": None}, 400, "暂缓后的缴纳期限"),
        ({"due_on": "+15"}, 400, "须晚于原期限"),
        (
            {"kind": "instalments", "schedule": [{"due_on": "+5", "amount": "2000"}]},
            400,
            "至少分两期",
        ),
    ],
)
def test_a_bad_approval_is_refused_and_nothing_is_written(body, status, message):
    pc = served_general()
    body = {"kind": "defer", "applied_on": today(), "reason": REASON, "due_on": day(30), **body}
    for key in ("applied_on", "due_on"):
        if isinstance(body.get(key), str) and body[key].startswith("+"):
            body[key] = day(int(body[key]))
    for row in body.get("schedule", []):
        row["due_on"] = day(int(row["due_on"]))
    before = _written(pc)
    r = defer(pc, body)
    assert r.status_code == status and message in r.json()["detail"], r.content
    assert _written(pc) == before


def test_instalments_must_add_up_to_the_fine_in_order_from_today():
    pc = served_general()
    before = _written(pc)
    r = defer(
        pc, instalments([{"due_on": "+10", "amount": "1000"}, {"due_on": "+40", "amount": "900"}])
    )
    assert r.status_code == 400 and "合计1900.00元，须等于罚款2000.00元" in r.json()["detail"]
    r = defer(
        pc, instalments([{"due_on": "+40", "amount": "1000"}, {"due_on": "+10", "amount": "1000"}])
    )
    assert r.status_code == 400 and "逐期推后" in r.json()["detail"]
    r = defer(
        pc, instalments([{"due_on": "-1", "amount": "1000"}, {"due_on": "+10", "amount": "1000"}])
    )
    assert r.status_code == 400 and "不早于今天" in r.json()["detail"]
    assert _written(pc) == before


def test_an_application_after_the_time_to_pay_is_refused():
    pc = served_general()
    last = timezone.localdate() - dt.timedelta(days=1)
    PenaltyCase.objects.filter(pk=pc.pk).update(
        execute_due_at=clocks.end_of_day(last), served_at=timezone.now() - dt.timedelta(days=16)
    )
    before = _written(pc)
    r = defer(pc, {"kind": "defer", "applied_on": today(), "reason": REASON, "due_on": day(30)})
    assert r.status_code == 409 and "须在缴纳期限内申请" in r.json()["detail"]
    assert _written(pc) == before


def test_only_the_leader_approves_only_a_fine_and_not_another_township():
    pc = served_general()
    body = {"kind": "defer", "applied_on": today(), "reason": REASON, "due_on": day(30)}
    before = _written(pc)
    r = defer(pc, body, who="officer_pj")
    assert r.status_code == 403 and "分管领导" in r.json()["detail"]
    assert defer(pc, body, who="leader_ky").status_code == 404
    assert _written(pc) == before
    warning = served_summary(fine=None, kinds=("warning",))
    r = defer(warning, body)
    assert r.status_code == 409 and "不含罚款" in r.json()["detail"]


def test_instalments_paid_one_by_one_the_last_with_execute():
    pc = served_general()
    assert defer(pc, instalments()).status_code == 200
    detail = client_for("captain_pj").get(f"{API}{pc.code}").json()
    assert detail["instalment_due"] == "1200.00" and detail["amount_due"] == "2000.00"
    before = _written(pc)
    r = pay(pc, {"method": "bank", "paid_amount": "2000", "paid_on": today()})
    assert (
        r.status_code == 400
        and "本期" in r.json()["detail"]
        and "应缴1200.00元" in r.json()["detail"]
    )
    r = pay(pc, {"method": "on_spot_small", "paid_amount": "1200", "paid_on": today()})
    assert r.status_code == 400 and "指定的银行或者通过电子支付系统" in r.json()["detail"]
    assert _written(pc) == before
    r = pay(
        pc, {"method": "bank", "paid_amount": "1200", "paid_on": today(), "receipt_number": "B1"}
    )
    assert r.status_code == 200, r.content
    first = r.json()["payment_schedule"][0]
    assert (
        first["paid_on"] == today() and first["paid"] == "1200.00" and first["surcharge"] == "0.00"
    )
    assert r.json()["state"] == "served" and r.json()["amount_due"] == "800.00"
    again = pay(pc, {"method": "bank", "paid_amount": "800", "paid_on": today()})
    assert again.status_code == 409 and "执行" in again.json()["detail"]
    # the last instalment with 执行: what is left, not the whole fine
    r = execute(pc, {"method": "bank", "paid_amount": "2000", "paid_on": today()})
    assert r.status_code == 400 and "多于应缴金额800.00元" in r.json()["detail"]
    r = execute(pc, {"method": "electronic", "paid_amount": "800", "paid_on": today()})
    assert r.status_code == 200, r.content
    assert r.json()["total_paid"] == "2000.00" and r.json()["paid_amount"] == "800.00"


def test_a_late_instalment_carries_its_own_surcharge():
    pc = served_general()
    assert defer(pc, instalments()).status_code == 200
    pc.refresh_from_db()
    schedule = pc.payment_schedule
    schedule[0]["due_on"] = day(-2)  # the first instalment is two days late
    PenaltyCase.objects.filter(pk=pc.pk).update(payment_schedule=schedule)
    detail = client_for("captain_pj").get(f"{API}{pc.code}").json()
    # 3% of the 1,200 instalment a day, not of the whole fine
    assert detail["instalment_due"] == "1272.00" and detail["surcharge_due"] == "72.00"
    assert detail["overdue_days"] == 2
    r = pay(pc, {"method": "bank", "paid_amount": "1200", "paid_on": today()})
    assert r.status_code == 400 and "加处罚款72.00元" in r.json()["detail"]
    r = pay(pc, {"method": "bank", "paid_amount": "1272", "paid_on": today()})
    assert r.status_code == 200 and r.json()["payment_schedule"][0]["surcharge"] == "72.00"
    assert r.json()["overdue_days"] == 0


def test_the_page_approves_a_schedule_typed_one_instalment_a_line():
    pc = served_general()
    leader = client_for("leader_pj")
    page = leader.get(f"/enforcement/{pc.code}/").content.decode()
    assert 'name="schedule"' in page and "第六十六条第二款" in page
    form = {
        "kind": "instalments",
        "applied_on": today(),
        "reason": REASON,
        "schedule": f"{day(10)} 1500\n{day(20)}，500\n",
    }
    assert leader.post(f"/enforcement/{pc.code}/act/defer_payment/", form).status_code == 302
    pc.refresh_from_db()
    assert [e["amount"] for e in pc.payment_schedule] == ["1500.00", "500.00"]
    page = leader.get(f"/enforcement/{pc.code}/").content.decode()
    assert "分期缴纳" in page.split('id="deferral"', 1)[1].split("</div>", 1)[0]


def test_the_ledger_adds_up_the_instalments_and_their_surcharges():
    import io

    import openpyxl

    pc = served_general(party="分期台账")
    assert defer(pc, instalments()).status_code == 200
    pc.refresh_from_db()
    schedule = pc.payment_schedule
    schedule[0]["due_on"] = day(-1)
    PenaltyCase.objects.filter(pk=pc.pk).update(payment_schedule=schedule)
    assert pay(pc, {"method": "bank", "paid_amount": "1236", "paid_on": today()}).status_code == 200
    assert (
        execute(pc, {"method": "bank", "paid_amount": "800", "paid_on": today()}).status_code == 200
    )
    r = client_for("captain_pj").get("/enforcement/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
    row = dict(zip(rows[0], next(x for x in rows if x[0] == pc.code), strict=True))
    assert row["实缴金额"] == 2036 and row["加处罚款"] == 36
