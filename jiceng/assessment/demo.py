"""Demo rules for assessment (every load) and sample items (`load_demo` only).

The one-vote-veto authorisations and the caps are demo data standing for the real documents:
each names its document with "（演示）".
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.org.models import Region, Unit

from . import actions
from .models import AssessmentItem, Direction, EvaluationRound, InspectionCap, VetoAuthorization

VETOES = [
    (
        "安全生产",
        "法律法规及省委、省政府",
        "《中华人民共和国安全生产法》及省级安全生产责任制规定（演示）",
    ),
    ("生态环境保护", "省委、省政府", "省级生态环境保护督察与责任追究办法（演示）"),
]
# (county code, year, target, limit)
CAPS = [
    ("330603", "township", 12),
    ("330603", "station", 6),
    ("530303", "township", 12),
    ("530303", "station", 6),
]
INDICATORS = [
    {"name": "意识形态工作责任制落实", "points": 40, "method": "查阅会议记录，每缺一次扣5分"},
    {"name": "新时代文明实践站常态化运行", "points": 35, "method": "现场查看活动开展情况"},
    {"name": "群众对宣传文化服务满意度", "points": 25, "method": "随机电话回访20户"},
]


def load(ctx) -> None:
    if not VetoAuthorization.objects.exists():
        for matter, authority, document in VETOES:
            VetoAuthorization.objects.create(
                matter=matter,
                authority=authority,
                document=document,
                effective_from=dt.date(2020, 1, 1),
            )
    year = timezone.localdate().year
    for code, target, limit in CAPS:
        InspectionCap.objects.get_or_create(
            region=Region.objects.get(code=code),
            year=year,
            target=target,
            defaults={"limit": limit, "document": "年度督查检查考核计划（演示）"},
        )
    ctx.say("演示考核规则：两项一票否决授权；每个乡镇街道每年督查检查考核不超过12次，站所不超过6次")


def load_late(ctx) -> None:
    if not ctx.with_samples or AssessmentItem.objects.exists():
        return
    users = get_user_model().objects
    issuer = users.get(username="assessor_kq").person
    approver = users.get(username="kaohe_kq").person
    year = timezone.localdate().year
    item = actions.item_create(
        person=issuer,
        name=f"{year}年度乡镇（街道）宣传思想文化工作考核（演示）",
        year=year,
        target="township",
        indicators=INDICATORS,
        basis="区委宣传思想工作要点（演示）",
        by=issuer.user,
    )
    actions.item_submit(item=item, person=issuer, by=issuer.user)
    actions.item_approve(
        item=item, person=approver, document=f"柯考核办〔{year}〕1号（演示）", by=approver.user
    )
    (check,) = actions.inspections_record(
        item=item,
        person=issuer,
        units=[Unit.objects.get(name="柯岩街道办事处")],
        kind="check",
        on_date=timezone.localdate(),
        note="年中检查（演示）",
        by=issuer.user,
    )
    first, second, third = item.indicators.all()
    actions.inspection_score(
        inspection=check,
        person=issuer,
        scores=[
            {"indicator": first.pk, "score": "35", "note": "缺一次专题会议记录，扣5分"},
            {"indicator": second.pk, "score": "35"},
            {"indicator": third.pk, "score": "23.5", "note": "回访20户，1户不满意"},
        ],
        by=issuer.user,
    )
    waiting = actions.item_create(
        person=issuer,
        name=f"{year}年度新时代文明实践专项督查（演示）",
        year=year,
        target="township",
        indicators=[{"name": "文明实践活动开展", "points": 100, "method": "查阅活动记录"}],
        by=issuer.user,
    )
    actions.item_submit(item=waiting, person=issuer, by=issuer.user)
    county = users.get(username="county_kq").person
    if not EvaluationRound.objects.exists():
        actions.round_open(
            county=Region.objects.get(code="330603"),
            year=year,
            direction=Direction.TOWNSHIP_RATES_COUNTY,
            person=county,
            by=county.user,
        )
    ctx.say(
        "演示考核：一项已批准并检查评分一次（柯岩街道93.5分），一项待审批；柯桥区乡评县评议进行中"
    )
