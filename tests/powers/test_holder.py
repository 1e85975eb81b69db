"""holder(): before, on and after the effective date, after revocation, covered or not."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiceng.org.models import Level
from jiceng.powers.actions import delegation_create, delegation_revoke
from jiceng.powers.models import Delegation, PowerItem
from jiceng.powers.selectors import UnknownPower, holder

from .conftest import d

PANJIANG_GRID = "530303102001001"


@pytest.mark.parametrize(
    "day, level, unit",
    [
        ("2019-04-30", Level.COUNTY, "沾益区综合行政执法局"),
        ("2019-05-01", Level.TOWNSHIP, "盘江镇综合执法队"),
        ("2024-06-01", Level.TOWNSHIP, "盘江镇综合执法队"),
    ],
)
def test_panjiang_before_on_after(region, day, level, unit):
    answer = holder("JC-CF-001", region(PANJIANG_GRID), d(day))
    assert answer.level == level
    assert answer.unit.name == unit
    assert (answer.delegation is not None) == (level == Level.TOWNSHIP)


def test_explanations(region):
    on = holder("JC-CF-001", region("530303102"), d("2019-05-01"))
    assert on.explanation == (
        "依据沾政发〔2019〕12号（演示文号），自2019-05-01起由盘江镇综合执法队行使"
    )
    before = holder("JC-CF-001", region("530303102"), d("2019-04-30"))
    assert "自2019-05-01起才生效" in before.explanation
    assert "沾益区综合行政执法局" in before.explanation
    bj = holder("BJ-CG-001", region("110101005"), d("2020-07-01"))
    assert bj.explanation == "依据京政发〔2020〕9号，自2020-07-01起由北新桥街道综合执法队行使"
    entrusted = holder("JC-XK-001", region("530303102"), d("2020-01-01"))
    assert "受沾益区自然资源局委托由盘江镇自然资源所行使" in entrusted.explanation


def test_uncovered_region_gets_default(region):
    answer = holder("JC-CF-001", region("530303101"), d("2020-01-01"))  # 白水镇
    assert answer.level == Level.COUNTY and answer.region.code == "530303"
    assert answer.explanation.startswith("未下放至白水镇")
    other = holder("JC-CF-006", region("530303102"), d("2020-01-01"))  # market, not delegated
    assert other.unit.name == "沾益区市场监督管理局"


def test_county_wide_delegation_covers_every_street(region):
    for code in ("110101001", "110101005", "110101017"):
        answer = holder("BJ-CG-393", region(code), d("2020-07-01"))
        assert answer.level == Level.TOWNSHIP and answer.region.code == code
        assert answer.delegation.document == "京政发〔2020〕9号"
    assert holder("BJ-CG-393", region("110101005"), d("2020-06-30")).level == Level.COUNTY


def test_keyan_dumping_lands_in_the_street(region):
    answer = holder("JC-CF-002", region("330603002"), d("2021-03-01"))
    assert answer.unit.name == "柯岩街道综合执法队"
    assert holder("JC-CF-003", region("330603002"), d("2021-03-01")).level == Level.COUNTY


def test_after_revocation(region, person):
    delegation = Delegation.objects.get(power__code="JC-CF-003", target__code="530303102")
    delegation_revoke(
        delegation=delegation, by=person("county_b").user, end=d("2023-01-01"), document="撤1号"
    )
    assert holder("JC-CF-003", region("530303102"), d("2022-12-31")).level == Level.TOWNSHIP
    after = holder("JC-CF-003", region("530303102"), d("2023-01-01"))
    assert after.level == Level.COUNTY
    assert "自2023-01-01起失效（已撤销）" in after.explanation
    assert Delegation.objects.filter(pk=delegation.pk).exists()  # ended, never deleted


def test_overlap_refused_naming_the_other(region, person):
    power = PowerItem.objects.get(code="JC-CF-001")
    with pytest.raises(ValidationError, match="沾政发〔2019〕12号"):
        delegation_create(
            by=person("county_b").user,
            power=power,
            target=region("530303"),
            effective_from=d("2022-01-01"),
            document="沾政发〔2022〕1号",
        )
    # Before the existing one starts there is room, as long as it ends in time.
    delegation_create(
        by=person("county_b").user,
        power=power,
        target=region("530303"),
        effective_from=d("2018-01-01"),
        effective_to=d("2019-05-01"),
        document="沾政发〔2018〕1号",
    )
    assert holder(power, region("530303101"), d("2018-06-01")).level == Level.TOWNSHIP
    assert holder(power, region("530303101"), d("2019-06-01")).level == Level.COUNTY


def test_only_county_admin_in_own_county(region, person):
    power = PowerItem.objects.get(code="JC-CF-004")
    for who in ("county", "staff_b"):  # another county's admin; a township dispatcher
        with pytest.raises(PermissionError):
            delegation_create(
                by=person(who).user,
                power=power,
                target=region("530303101"),
                effective_from=d("2022-01-01"),
                document="x",
            )


def test_unknown_power(region):
    with pytest.raises(UnknownPower, match="未知的权力事项编码"):
        holder("NOPE", region("530303102"), dt.date(2020, 1, 1))


def test_cached_lookup_needs_no_query(region, django_assert_num_queries):
    grid = region(PANJIANG_GRID)
    holder("JC-CF-001", grid, d("2020-01-01"))
    with django_assert_num_queries(0):
        for _ in range(100):
            holder("JC-CF-001", grid, d("2020-01-01"))


def test_rolled_back_write_does_not_linger(region, person):
    """A write rolled back (as at the end of every test) must not stay in the holder index."""
    from django.db import transaction

    from jiceng.powers import index

    power = PowerItem.objects.get(code="JC-CF-004")
    index._pending_block = None
    with transaction.atomic():
        sid = transaction.savepoint()
        delegation_create(
            by=person("county_b").user,
            power=power,
            target=region("530303101"),
            effective_from=d("2022-01-01"),
            document="临时",
        )
        assert holder(power, region("530303101"), d("2022-02-01")).level == Level.TOWNSHIP
        transaction.savepoint_rollback(sid)
    # Same test transaction, so simulate the next test's block: the pending owner differs.
    index._pending_block = object()
    assert holder(power, region("530303101"), d("2022-02-01")).level == Level.COUNTY
