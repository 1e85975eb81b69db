"""Shared builders for the assessment tests: an item of 柯桥区委宣传部 over its townships."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.assessment import actions
from jiceng.assessment.models import VetoAuthorization
from jiceng.org.models import Level, Person, PersonRole, Region, Unit, UnitKind
from tests.conftest import PASSWORD, user

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


def safety_item():
    """An approved one-vote-veto item (安全生产, under the demo's authorisation), one indicator."""
    return approved(
        name="安全生产考核",
        one_vote_veto=True,
        veto_authorization=VetoAuthorization.objects.get(matter="安全生产"),
        indicators=[{"name": "安全生产责任落实", "points": 100}],
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


def score(inspection, *values, vetoed=False, veto_reason=""):
    """Score `inspection` as its organiser: one value per indicator, in order."""
    issuer = person("assessor_kq")
    rows = [
        {"indicator": i.pk, "score": str(v)}
        for i, v in zip(inspection.item.indicators.all(), values, strict=True)
    ]
    return actions.inspection_score(
        inspection=inspection,
        person=issuer,
        scores=rows,
        vetoed=vetoed,
        veto_reason=veto_reason,
        by=issuer.user,
    )


def appeal(inspection, reasons="会议记录已补齐，扣分有误", indicators=None):
    """柯岩街道's leader asks for a review of `inspection` (on its first indicator by default)."""
    leader = person("leader_ky")
    first = inspection.item.indicators.all()[0]
    return actions.appeal_create(
        inspection=inspection,
        person=leader,
        indicator_ids=[first.pk] if indicators is None else indicators,
        reasons=reasons,
        by=leader.user,
    )


def streets(n: int) -> list[str]:
    """Township governments for `n` more streets of 柯桥区 (the demo has only 柯岩街道's)."""
    regions = Region.objects.filter(level=Level.TOWNSHIP, code__startswith="330603").exclude(
        code="330603002"
    )
    names = []
    for region in regions.order_by("code")[:n]:
        made, _new = Unit.objects.get_or_create(
            name=f"{region.name}办事处", kind=UnitKind.GOVERNMENT, region=region
        )
        names.append(made.name)
    assert len(names) == n
    return names


def staff(username: str, unit_name: str, *roles: str) -> Person:
    """One more person of a demo unit, with the roles given (the demo has one of each)."""
    of = unit(unit_name)
    account = get_user_model().objects.create_user(username, password=PASSWORD)
    someone = Person.objects.create(user=account, name=username, home_unit=of, region=of.region)
    PersonRole.objects.bulk_create(PersonRole(person=someone, role=r) for r in roles)
    return someone
