"""Demo for S5 in 东坡路社区 (湖滨街道, 上城区): a few dozen synthetic registry rows and the three
seeded rules (health certificates, 80th-birthday allowance, food-business licences).

Rows are keyed by demo-only natural keys (name in the community, certificate number), so loading
again updates them; dates are relative to today so the rules always find something.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.org.models import Region, Unit, UnitKind

from .actions import rule_run, rule_save
from .conditions import add_months
from .ids import credit_code_clean, id_parse, make_credit_code, make_id
from .models import Business, Certificate, Employment, Resident, Rule, ScreeningRun

COMMUNITY = "330102003057"
TOWNSHIP = "330102003"

# name, industry, grid (1/2), licence expires in N days (None: no licence)
BUSINESSES = [
    ("东坡小馆（演示）", "餐饮", 1, 45),
    ("湖滨面馆（演示）", "餐饮", 1, 400),
    ("西湖茶点铺（演示）", "餐饮", 2, -10),
    ("东坡路便利店（演示）", "食品销售", 2, 700),
    ("邻里理发店（演示）", "生活服务", 1, None),
]
# name, age in days offset (years, extra days), tags, business index or None, health cert days
RESIDENTS = [
    ("陈一鸣", 34, "", 0, -20),
    ("林小芳", 27, "", 0, 12),
    ("王大厨", 45, "", 0, 300),
    ("赵师傅", 52, "", 1, 25),
    ("周晓燕", 23, "", 1, -100),
    ("吴海涛", 31, "", 1, 200),
    ("郑秀英", 41, "", 2, 5),
    ("孙立平", 38, "", 2, None),
    ("钱丽华", 29, "", 3, -3),
    ("冯建国", 36, "", 4, -40),
    ("褚桂兰", 80, "独居老人", None, None),
    ("卫志红", 80, "高龄补贴", None, None),
    ("蒋玉梅", 80, "低保", None, None),
    ("沈文明", 79, "", None, None),
    ("韩佳琪", 8, "", None, None),
    ("杨国华", 66, "低保", None, None),
    ("朱子涵", 15, "", None, None),
    ("秦桂华", 83, "高龄补贴,独居老人", None, None),
]


def _place(grid_no: int):
    community = Region.objects.get(code=COMMUNITY)
    grid = Region.objects.filter(code=f"{COMMUNITY}{grid_no:03d}").first()
    return community, grid


def _businesses(today: dt.date) -> list[Business]:
    out = []
    for k, (name, industry, grid_no, licence) in enumerate(BUSINESSES, start=1):
        community, grid = _place(grid_no)
        biz, _ = Business.objects.update_or_create(
            name=name,
            community=community,
            synthetic=True,
            defaults={
                "credit_code": credit_code_clean(make_credit_code("330102", 900000 + k)),
                "industry": industry,
                "grid": grid,
                "address": f"东坡路{k * 11}号（演示）",
            },
        )
        if licence is not None:
            Certificate.objects.update_or_create(
                kind="食品经营许可证",
                number=f"JY-DEMO-{k:04d}",
                defaults={
                    "holder_business": biz,
                    "issued": today - dt.timedelta(days=1500),
                    "expires": today + dt.timedelta(days=licence),
                    "synthetic": True,
                },
            )
        out.append(biz)
    return out


def _birth(today: dt.date, age: int, k: int) -> dt.date:
    if age == 80:  # turns 80 this month
        return add_months(today.replace(day=1), -12 * 80) + dt.timedelta(days=k % 20)
    return add_months(today, -12 * age) - dt.timedelta(days=30 + k)


def _residents(today: dt.date, businesses: list[Business]) -> None:
    for k, (name, age, tags, biz, health) in enumerate(RESIDENTS, start=1):
        community, grid = _place(1 + k % 2)
        pid = id_parse(make_id("330102", _birth(today, age, k), 100 + k))
        person, _ = Resident.objects.update_or_create(
            name=name,
            community=community,
            synthetic=True,
            defaults={
                "id_hash": pid.hash,
                "id_masked": pid.masked,
                "birth_date": pid.birth_date,
                "gender": pid.gender,
                "grid": grid,
                "address": f"东坡路{k}弄{k % 5 + 1}号（演示）",
                "phone": f"1380000{k:04d}",
                "tags": f",{tags}," if tags else "",
            },
        )
        if biz is not None:
            Employment.objects.update_or_create(
                resident=person,
                business=businesses[biz],
                defaults={
                    "role": "从业人员",
                    "start_date": today - dt.timedelta(days=400),
                    "synthetic": True,
                },
            )
        if health is not None:
            Certificate.objects.update_or_create(
                kind="健康证",
                number=f"JK-DEMO-{k:04d}",
                defaults={
                    "holder_resident": person,
                    "issued": today + dt.timedelta(days=health - 365),
                    "expires": today + dt.timedelta(days=health),
                    "synthetic": True,
                },
            )


HEALTH_RULE = {
    "name": "餐饮从业人员健康证到期提醒",
    "subject": "employee",
    "condition": {
        "all": [
            {"field": "business.industry", "op": "eq", "value": "餐饮"},
            {"field": "end_date", "op": "is_null", "value": True},
            {"field": "health_cert_expires", "op": "expires_within_days", "value": 30},
        ]
    },
    "task_title": "健康证到期提醒",
    "task_body": "该餐饮从业人员的健康证已过期或30天内到期：请联系本人，提醒到社区卫生服务中心办理健康证。",
    "due_working_days": 5,
    "test_cases": [
        {
            "name": "健康证已过期",
            "expect": True,
            "record": {"business.industry": "餐饮", "health_cert_expires": "today-3d"},
        },
        {
            "name": "20天后到期",
            "expect": True,
            "record": {"business.industry": "餐饮", "health_cert_expires": "today+20d"},
        },
        {
            "name": "还有半年",
            "expect": False,
            "record": {"business.industry": "餐饮", "health_cert_expires": "today+180d"},
        },
        {
            "name": "已离职",
            "expect": False,
            "record": {
                "business.industry": "餐饮",
                "end_date": "today-10d",
                "health_cert_expires": "today-3d",
            },
        },
        {
            "name": "非餐饮",
            "expect": False,
            "record": {"business.industry": "零售", "health_cert_expires": "today-3d"},
        },
    ],
}
AGE80_RULE = {
    "name": "本月满80周岁未领高龄补贴",
    "subject": "resident",
    "condition": {
        "all": [
            {"field": "birth_date", "op": "between", "value": ["month_start-80y", "month_end-80y"]},
            {"not": {"field": "tags", "op": "contains", "value": "高龄补贴"}},
        ]
    },
    "task_title": "高龄补贴主动服务",
    "task_body": "该居民本月年满80周岁，尚未领取高龄补贴：请上门告知政策，协助申请。",
    "due_working_days": 10,
    "test_cases": [
        {"name": "本月满80岁", "expect": True, "record": {"birth_date": "month_start-80y"}},
        {
            "name": "已领补贴",
            "expect": False,
            "record": {"birth_date": "month_start-80y", "tags": ["高龄补贴"]},
        },
        {"name": "下月才满80岁", "expect": False, "record": {"birth_date": "month_end-80y+1d"}},
    ],
}
LICENCE_RULE = {
    "name": "食品经营许可证60天内到期提醒",
    "subject": "business",
    "condition": {"field": "food_license_expires", "op": "expires_within_days", "value": 60},
    "task_title": "食品经营许可证到期提醒",
    "task_body": "该经营主体的食品经营许可证已过期或60天内到期：请提醒其向市场监管所申请延续。",
    "due_working_days": 5,
    "test_cases": [
        {"name": "45天后到期", "expect": True, "record": {"food_license_expires": "today+45d"}},
        {"name": "还有一年", "expect": False, "record": {"food_license_expires": "today+365d"}},
        {"name": "无许可证", "expect": False, "record": {}},
    ],
}
SEEDED_RULES = [HEALTH_RULE, AGE80_RULE, LICENCE_RULE]


def seed_rules(by) -> list[Rule]:
    region = Region.objects.get(code=COMMUNITY)
    sender = Unit.objects.filter(region__code=TOWNSHIP, kind=UnitKind.GOVERNMENT).first()
    rules = []
    for spec in SEEDED_RULES:
        existing = Rule.objects.filter(region=region, name=spec["name"]).first()
        rules.append(
            rule_save(by=by, rule=existing, activate=True, region=region, from_unit=sender, **spec)
        )
    return rules


def load(ctx) -> None:
    if not Region.objects.filter(code=COMMUNITY).exists():
        return
    today = timezone.localdate()
    _residents(today, _businesses(today))
    seed_rules(get_user_model().objects.get(username="social_dp"))
    ctx.say(
        "主动服务：东坡路社区合成居民、商户、证照（演示数据），及3条筛查规则（健康证、高龄补贴、食品经营许可证）"
    )


def load_late(ctx) -> None:
    """`load_demo` only: screen once with the seeded rules, so the social worker's first visit
    finds the people they are for (the nightly run keeps them current after that)."""
    if not ctx.with_samples or ScreeningRun.objects.filter(rule__region__code=COMMUNITY).exists():
        return
    rules = Rule.objects.filter(region__code=COMMUNITY, active=True)
    runs = [rule_run(rule=rule, by=None, trigger="demo") for rule in rules]
    if runs:
        ctx.say(f"主动服务：演示筛查一次，{sum(r.opened for r in runs)} 条待办推送给社工")
