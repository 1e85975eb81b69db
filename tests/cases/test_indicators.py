"""Each indicator against a hand-counted fixture (period March 2031, 柯岩街道)."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.cases.indicators import compute
from jiceng.cases.models import Assignment, Case, Category
from jiceng.org.models import Region

from .helpers import KEYAN, unit

pytestmark = pytest.mark.django_db


def t(day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime(2031, 3, day, hour, minute))


@pytest.fixture
def march():
    grid = Region.objects.filter(code__startswith=KEYAN, level="grid").first()
    township = Region.objects.get(code=KEYAN)
    team = unit(KEYAN, "综合执法队")
    cat = Category.objects.get(code="M06010")

    def case(code, **kw):
        return Case.objects.create(
            code=code,
            secret_salt="x",
            source="patrol",
            description="fixture",
            region=grid,
            township=township,
            category=cat,
            occurred_at=kw["reported_at"],
            lead_unit=team,
            **kw,
        )

    c1 = case(
        "IND1",
        reported_at=t(2),
        registered_at=t(2),
        handle_due_at=t(5),
        handled_at=t(4),
        close_due_at=t(6),
        closed_at=t(5),
        status="rated",
        rated_at=t(6),
        satisfaction="satisfied",
        solved=True,
        responded=True,
    )
    c2 = case(
        "IND2",
        reported_at=t(3),
        registered_at=t(3),
        handle_due_at=t(6),
        handled_at=t(8),
        close_due_at=t(7),
        closed_at=t(9),
        status="rated",
        reopen_count=1,
        rated_at=t(10),
        satisfaction="basic",
        solved=False,
        responded=True,
    )
    case("IND3", reported_at=t(4), status="rejected")
    c4 = case(
        "IND4",
        reported_at=t(5),
        registered_at=t(5),
        handle_due_at=t(10),
        close_due_at=t(12),
        status="accepted",
    )
    police = unit(KEYAN, "派出所")
    env = unit(KEYAN, "生态环境工作站")

    def part(c, u, role, **kw):
        Assignment.objects.create(case=c, unit=u, role=role, state="done", **kw)

    part(c1, team, "lead", created_at=t(2))
    Assignment.objects.create(
        case=c2, unit=team, role="lead", state="returned", created_at=t(3), returned_at=t(3, 10)
    )
    part(c2, team, "lead", created_at=t(4))
    Assignment.objects.create(case=c4, unit=team, role="lead", state="active", created_at=t(5))
    part(c1, police, "assist", report_due_at=t(2, 10), accepted_at=t(2, 9, 50))
    part(c1, env, "assist", report_due_at=t(2, 10), accepted_at=t(2, 10, 30))
    Assignment.objects.create(
        case=c2, unit=police, role="assist", state="pending", report_due_at=t(3, 10)
    )
    return team


EXPECTED = {
    "立案率": (0.75, 3, 4),
    "准确派遣率": (0.75, 1, 4),
    "按期处置率": (0.3333, 1, 3),
    "结案率": (0.6667, 2, 3),
    "按期结案率": (0.3333, 1, 3),
    "返工率": (0.5, 1, 2),
    "响应率": (1.0, 2, 2),
    "解决率": (0.5, 1, 2),
    "满意率": (0.9, 1.8, 2),
    "报到及时率": (0.3333, 1, 3),
}


def _period():
    return t(1, 0), timezone.make_aware(dt.datetime(2031, 4, 1))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_indicator_matches_the_hand_count(march, name):
    got = compute(*_period(), region_code=KEYAN)[name]
    value, hit, base = EXPECTED[name]
    assert (got["value"], got["hit"], got["base"]) == (value, hit, base)


def test_weighted_public_score_uses_the_settings(march, settings):
    assert compute(*_period(), region_code=KEYAN)["群众评价综合"]["value"] == 0.76
    settings.JICENG_PUBLIC_WEIGHTS = {"响应率": 0, "解决率": 1, "满意率": 0}
    assert compute(*_period(), region_code=KEYAN)["群众评价综合"]["value"] == 0.5


def test_per_unit_and_other_region(march):
    by_unit = compute(*_period(), unit_id=march.pk)
    assert by_unit["立案率"]["base"] == 4
    police = unit(KEYAN, "派出所")
    assert compute(*_period(), unit_id=police.pk)["报到及时率"]["base"] == 2
    empty = compute(*_period(), region_code="530303102")
    assert empty["立案率"] == {"value": None, "hit": 0, "base": 0}


def test_whole_report_is_two_queries(march, django_assert_num_queries):
    with django_assert_num_queries(2):
        compute(*_period(), region_code=KEYAN)
