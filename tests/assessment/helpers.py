"""Shared builders for the assessment tests: an item of 柯桥区委宣传部 over its townships."""

from django.utils import timezone

from jiceng.assessment import actions
from jiceng.org.models import Unit
from tests.conftest import user

INDICATORS = [
    {"name": "意识形态工作责任制落实", "points": 60, "method": "查阅会议记录"},
    {"name": "新时代文明实践站运行", "points": 40, "method": "现场查看"},
]


def person(username: str):
    return user(username).person


def draft(name="宣传思想工作考核", indicators=None, **extra):
    issuer = person("assessor_kq")
    return actions.item_create(
        person=issuer,
        name=name,
        year=timezone.localdate().year,
        target=extra.pop("target", "township"),
        indicators=INDICATORS if indicators is None else indicators,
        by=issuer.user,
        **extra,
    )


def approved(**extra):
    item = draft(**extra)
    issuer, approver = person("assessor_kq"), person("kaohe_kq")
    actions.item_submit(item=item, person=issuer, by=issuer.user)
    return actions.item_approve(
        item=item, person=approver, document="柯考核办〔2026〕9号", by=approver.user
    )


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def inspect(item, *names, kind="check", day=None):
    issuer = person("assessor_kq")
    return actions.inspections_record(
        item=item,
        person=issuer,
        units=[unit(n) for n in names],
        kind=kind,
        on_date=day or timezone.localdate(),
        by=issuer.user,
    )
