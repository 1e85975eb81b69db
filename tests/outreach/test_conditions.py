"""The condition compiler, table-driven: every operator and combinator, relative dates on a
frozen clock, and the errors a person can make."""

import datetime as dt

import pytest
import time_machine

from jiceng.outreach.conditions import ConditionError, Context, compile_condition, resolve_date
from jiceng.outreach.models import Employment, Resident
from tests.outreach import factories as f

TODAY = dt.date(2025, 3, 15)
CTX = Context(today=TODAY)


@pytest.fixture
def people(db):
    """Residents with known facts; names are what the tables below expect."""
    f.resident("甲", birth=dt.date(1945, 3, 1), tags=["低保"], phone="13800000001")  # 80 this month
    f.resident("乙", birth=dt.date(1945, 3, 31), tags=["高龄补贴"])  # 80 this month, has allowance
    f.resident("丙", birth=dt.date(1945, 4, 1), address="东坡路1号")  # 80 next month
    f.resident("丁", birth=dt.date(1990, 1, 1), tags=["低保", "残疾"], address="湖滨路")
    f.resident("戊", birth=dt.date(2020, 6, 6))
    ids = list(Resident.objects.filter(name__in="甲乙丙丁戊").values_list("pk", flat=True))
    return Resident.objects.filter(pk__in=ids)


def names(qs, tree, subject="resident"):
    return "".join(
        sorted(qs.filter(compile_condition(subject, tree, CTX)).values_list("name", flat=True))
    )


def leaf(field, op, value=None):
    node = {"field": field, "op": op}
    if value is not None:
        node["value"] = value
    return node


RESIDENT_CASES = [
    (leaf("name", "eq", "甲"), "甲"),
    (leaf("name", "ne", "甲"), "丁丙乙戊"),
    (leaf("name", "in", ["甲", "丙"]), "丙甲"),
    (leaf("gender", "in", ["M", "F"]), "丁丙乙戊甲"),
    (leaf("birth_date", "lt", "1945-03-31"), "甲"),
    (leaf("birth_date", "le", "1945-03-31"), "乙甲"),
    (leaf("birth_date", "gt", "2000-01-01"), "戊"),
    (leaf("birth_date", "ge", "1990-01-01"), "丁戊"),
    (leaf("birth_date", "eq", "1990-01-01"), "丁"),
    (leaf("birth_date", "between", ["month_start-80y", "month_end-80y"]), "乙甲"),
    (leaf("birth_date", "age_ge", 80), "甲"),  # 乙 turns 80 on the 31st
    (leaf("birth_date", "age_ge", "35"), "丁丙乙甲"),
    (leaf("address", "contains", "东坡"), "丙"),
    (leaf("address", "is_null", True), "乙戊甲"),
    (leaf("address", "is_null", False), "丁丙"),
    (leaf("tags", "contains", "低保"), "丁甲"),
    (leaf("tags", "contains", "低"), ""),  # a tag matches whole, never a part of one
    (leaf("tags", "is_null"), "丙戊"),
    ({"all": [leaf("tags", "contains", "低保"), leaf("birth_date", "age_ge", 80)]}, "甲"),
    ({"any": [leaf("name", "eq", "甲"), leaf("name", "eq", "戊")]}, "戊甲"),
    ({"not": leaf("tags", "contains", "低保")}, "丙乙戊"),
    ({"all": []}, "丁丙乙戊甲"),
    ({"any": []}, ""),
    (
        {
            "all": [
                leaf("birth_date", "between", ["month_start-80y", "month_end-80y"]),
                {"not": leaf("tags", "contains", "高龄补贴")},
            ]
        },
        "甲",
    ),
]


@pytest.mark.parametrize("tree, expected", RESIDENT_CASES)
def test_resident_operators(people, tree, expected):
    assert names(people, tree) == expected


@pytest.fixture
def staff(db):
    """Employees: names tell the industry and the health certificate's state."""
    food, shop = f.business("馆", "餐饮"), f.business("店", "零售")
    rows = [
        ("过期", food, -5, None),
        ("临期", food, 20, None),
        ("有效", food, 200, None),
        ("离职", food, -5, TODAY - dt.timedelta(days=3)),
        ("无证", food, None, None),
        ("零售", shop, -5, None),
    ]
    for name, biz, days, left in rows:
        person = f.resident(name)
        f.employ(person, biz, end_date=left)
        if days is not None:
            f.health_cert(person, TODAY + dt.timedelta(days=days))
    f.health_cert(Resident.objects.get(name="过期"), TODAY - dt.timedelta(days=400))  # older one
    return Employment.objects.filter(resident__name__in=[r[0] for r in rows])


def emp_names(qs, tree):
    q = compile_condition("employee", tree, CTX)
    return sorted(qs.filter(q).values_list("resident__name", flat=True))


HC = "health_cert_expires"
EMPLOYEE_CASES = [
    (leaf(HC, "expired"), ["过期", "离职", "零售"]),
    (leaf(HC, "expires_within_days", 30), ["临期", "过期", "离职", "零售"]),
    (leaf(HC, "is_null", True), ["无证"]),
    (leaf(HC, "gt", "today+30d"), ["有效"]),
    (leaf(HC, "ge", "today+20d"), ["临期", "有效"]),
    (leaf(HC, "lt", "today"), ["过期", "离职", "零售"]),
    (leaf(HC, "le", "today+20d"), ["临期", "过期", "离职", "零售"]),
    (leaf(HC, "eq", "today+20d"), ["临期"]),
    (leaf(HC, "between", ["today", "today+1y"]), ["临期", "有效"]),
    (leaf("business.industry", "eq", "餐饮"), ["临期", "无证", "有效", "过期", "离职"]),
    (leaf("business.industry", "ne", "餐饮"), ["零售"]),
    (leaf("end_date", "is_null", False), ["离职"]),
    (leaf("end_date", "expired"), ["离职"]),
    (
        {
            "all": [
                leaf("business.industry", "eq", "餐饮"),
                leaf("end_date", "is_null", True),
                leaf(HC, "expires_within_days", 30),
            ]
        },
        ["临期", "过期"],
    ),
]


@pytest.mark.parametrize("tree, expected", EMPLOYEE_CASES)
def test_employee_operators_and_latest_certificate(staff, tree, expected):
    assert emp_names(staff, tree) == sorted(expected)


def test_latest_certificate_gives_one_row_per_subject(staff):
    tree = leaf(HC, "expires_within_days", 3000)
    q = compile_condition("employee", tree, CTX)
    assert staff.filter(q).count() == len(set(staff.filter(q).values_list("pk", flat=True)))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("today", TODAY),
        ("today+30d", dt.date(2025, 4, 14)),
        ("today-2w", dt.date(2025, 3, 1)),
        ("today+1m", dt.date(2025, 4, 15)),
        ("today-80y", dt.date(1945, 3, 15)),
        ("month_start-80y", dt.date(1945, 3, 1)),
        ("month_end-80y", dt.date(1945, 3, 31)),
        ("month_end-80y+1d", dt.date(1945, 4, 1)),
        ("year_start", dt.date(2025, 1, 1)),
        ("2024-02-29", dt.date(2024, 2, 29)),
    ],
)
def test_relative_dates(raw, expected):
    assert resolve_date(raw, CTX) == expected


def test_month_end_stays_month_end_in_a_leap_february():
    ctx = Context(today=dt.date(2025, 2, 10))
    assert resolve_date("month_end-1y", ctx) == dt.date(2024, 2, 29)


def test_relative_dates_follow_the_clock(people):
    tree = leaf("birth_date", "between", ["month_start-80y", "month_end-80y"])
    with time_machine.travel(dt.datetime(2025, 4, 10, 10, tzinfo=dt.UTC), tick=False):
        assert (
            "".join(
                people.filter(compile_condition("resident", tree)).values_list("name", flat=True)
            )
            == "丙"
        )
    with time_machine.travel(dt.datetime(2025, 3, 10, 10, tzinfo=dt.UTC), tick=False):
        assert sorted(
            people.filter(compile_condition("resident", tree)).values_list("name", flat=True)
        ) == ["乙", "甲"]


@pytest.mark.parametrize(
    "subject, tree, message",
    [
        ("resident", leaf("id_hash", "eq", "x"), "没有字段“id_hash”"),
        ("resident", leaf("phone", "eq", "1"), "没有字段“phone”"),
        ("resident", leaf("name", "age_ge", 3), "不能用运算“age_ge”"),
        ("resident", leaf("tags", "eq", "低保"), "不能用运算“eq”"),
        ("resident", leaf("birth_date", "lt", "明天"), "不是日期"),
        ("resident", leaf("birth_date", "between", ["today"]), "需要两个值"),
        ("resident", leaf("birth_date", "between", ["today", "today-1d"]), "起点晚于终点"),
        ("resident", leaf("birth_date", "age_ge", "八十"), "需要一个整数"),
        ("resident", leaf("birth_date", "age_ge", 200), "0到150之间"),
        ("resident", leaf("gender", "eq", "X"), "没有“X”这个取值"),
        ("resident", leaf("name", "in", []), "非空列表"),
        ("resident", leaf("name", "is_null", "yes"), "true 或 false"),
        ("resident", {"all": [leaf("name", "eq", "甲"), leaf("nope", "eq", 1)]}, "条件2："),
        ("resident", {"foo": []}, "应为 all / any / not"),
        ("resident", {"field": "name", "op": "eq", "value": "a", "sql": "1"}, "无法识别的键"),
        ("resident", [], "应为一个条件对象"),
        ("alien", leaf("name", "eq", "a"), "未知的筛查对象"),
        ("employee", leaf("business.credit_code", "eq", "1"), "没有字段"),
    ],
)
def test_clear_chinese_errors(subject, tree, message):
    with pytest.raises((ConditionError, ValueError), match=message):
        compile_condition(subject, tree, CTX)


def test_values_are_bound_parameters_never_sql(people):
    evil = "甲'; DROP TABLE outreach_resident; --"
    qs = people.filter(compile_condition("resident", leaf("name", "eq", evil), CTX))
    sql, params = qs.query.sql_with_params()
    assert evil in params and "DROP" not in sql
    assert qs.count() == 0
