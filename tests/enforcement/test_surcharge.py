"""加处罚款 (《行政处罚法》第七十二条第一款第一项): 3% of the fine a day after the last day to pay,
in whole days, never more than the fine; the rule is dated from the 2021 law."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jiceng.enforcement import actions, clocks, payment
from jiceng.enforcement.models import PenaltyCase
from tests.conftest import user

from .helpers import notified_by_actions

LAST = dt.date(2026, 3, 18)  # the last day to pay: served on 3 March (15 days from the 4th)


def _case(fine="1000", last=LAST, kinds=("fine",)):
    """An unsaved case decided with a fine whose 15 days end with `last`."""
    return PenaltyCase(
        outcome="penalty",
        penalty_kinds=list(kinds),
        fine_amount=Decimal(fine) if fine else None,
        execute_due_at=clocks.end_of_day(last),
    )


@pytest.mark.parametrize(
    "on,days,amount",
    [
        (LAST - dt.timedelta(days=10), 0, "0.00"),  # paid early
        (LAST, 0, "0.00"),  # the last day itself is on time
        (LAST + dt.timedelta(days=1), 1, "30.00"),  # day 1 late: 3%
        (LAST + dt.timedelta(days=2), 2, "60.00"),
        (LAST + dt.timedelta(days=33), 33, "990.00"),  # 99%: still under the fine
        (LAST + dt.timedelta(days=34), 34, "1000.00"),  # 102% capped at the fine
        (LAST + dt.timedelta(days=400), 400, "1000.00"),
    ],
)
def test_three_percent_a_whole_day_after_the_last_day_capped_at_the_fine(on, days, amount):
    found = payment.surcharge(_case(), on)
    assert found.days == days and found.amount == Decimal(amount)
    assert found.first_late_day == LAST + dt.timedelta(days=1)
    assert "第七十二条第一款第一项" in found.basis and "不得超出罚款的数额" in found.basis
    assert payment.amount_due(_case(), on) == Decimal("1000") + Decimal(amount)


def test_amounts_are_rounded_to_the_fen():
    # 33.33 × 3% = 0.9999 → 1.00
    assert payment.surcharge(_case("33.33"), LAST + dt.timedelta(days=1)).amount == Decimal("1.00")


@pytest.mark.parametrize(
    "case",
    [
        _case(fine=None, kinds=("warning",)),  # a warning only
        _case(kinds=("confiscate_gains",)),  # no fine among the kinds
        _case(last=dt.date(2021, 7, 13)),  # late from before the 2021 law: no rule applied
    ],
)
def test_nothing_without_a_fine_or_a_rule(case):
    assert payment.surcharge(case, LAST + dt.timedelta(days=5)) == payment.NONE


def test_no_penalty_and_no_clock_have_none():
    assert payment.surcharge(PenaltyCase(outcome="no_penalty"), LAST) == payment.NONE
    undecided = PenaltyCase(outcome="penalty", penalty_kinds=["fine"], fine_amount=Decimal(9))
    assert payment.surcharge(undecided, LAST) == payment.NONE


def test_the_rules_are_dated():
    assert payment.surcharge_rule(dt.date(2021, 7, 14)) is None
    assert payment.surcharge_rule(dt.date(2021, 7, 15)).rate == Decimal("0.03")
    assert payment.small_fine(dt.date(2021, 7, 14)).amount == Decimal("20")  # 1996 第四十七条
    assert payment.small_fine(dt.date(2021, 7, 15)).amount == Decimal("100")


@pytest.mark.django_db
def test_a_served_case_has_its_last_day_15_days_after_the_day_served():
    """served on day D: D+15 is the last day to pay, D+16 the first day of 加处罚款."""
    pc = notified_by_actions(kinds=["fine"], fine_amount="2000")
    actions.penaltycase_decide(
        penalty_case=pc,
        decision="罚款",
        kinds=["fine"],
        fine_amount="2000",
        waived=True,
        by=user("leader_pj"),
    )
    pc = actions.penaltycase_serve(penalty_case=pc, by=user("captain_pj"))
    served = timezone.localtime(pc.served_at).date()
    assert payment.pay_last_day(pc) == served + dt.timedelta(days=15)
    assert payment.surcharge(pc, served + dt.timedelta(days=15)).amount == 0
    late = payment.surcharge(pc, served + dt.timedelta(days=16))
    assert late.days == 1 and late.amount == Decimal("60.00")
