"""立案: the holder of the power on the date of the act decides the procedure."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit, snapshot
from jiceng.org.models import Level, Region, Role, Unit
from jiceng.org.scope import person_of
from jiceng.powers.models import Delegation, PowerItem
from jiceng.powers.selectors import holder

from .. import clocks, guards
from ..errors import Conflict, Forbidden, Invalid
from ..models import (
    ENDED,
    ENFORCEABLE_TYPES,
    PartyKind,
    PenaltyCase,
)
from .base import (
    _actor,
    _ground,
    _record,
)


@dataclass(frozen=True)
class Route:
    """Whether the district must approve, which unit, and why (holder()'s explanation)."""

    approval_required: bool
    approval_unit: Unit | None
    explanation: str
    delegation: Delegation | None


def penalty_route(power: PowerItem, township: Region, act_date: dt.date) -> Route:
    """The procedure follows the holder of the power at the township on the date of the act."""
    answer = holder(power, township, act_date)
    day = act_date.isoformat()
    if answer.level == Level.TOWNSHIP:
        text = f"违法行为发生日（{day}）：{answer.explanation}。由乡镇自行作出处罚决定"
        return Route(False, None, text, answer.delegation)
    if answer.unit is None:
        raise Invalid(
            _("违法行为发生日（%(day)s）%(explanation)s，无法确定审批单位")
            % {"day": day, "explanation": answer.explanation}
        )
    text = (
        f"违法行为发生日（{day}）：{answer.explanation}。"
        f"乡镇办理，须报{answer.unit.name}审批后方可作出处罚决定"
    )
    return Route(True, answer.unit, text, None)


def _new_code(now: dt.datetime) -> str:
    prefix = f"ZF{timezone.localtime(now):%Y%m%d}"
    n = PenaltyCase.objects.filter(code__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}"


def _insert(pc: PenaltyCase) -> None:
    """Save a new case under the next code of the day (inside the caller's transaction)."""
    pc.code = _new_code(timezone.now())
    try:
        with transaction.atomic():
            pc.save()
    except IntegrityError as exc:
        raise Conflict(_("执法案件编号冲突，请重试")) from exc


ADDRESS_MAX = 200  # PenaltyCase.party_address


def party_address_clean(raw: str) -> str:
    """当事人住所或地址 as typed ("" when not known: the documents leave a blank line), or Invalid."""
    address = (raw or "").strip()
    if len(address) > ADDRESS_MAX:
        raise Invalid(_("当事人住所或地址不能超过%(n)s个字") % {"n": ADDRESS_MAX})
    return address


def _check_open(power: PowerItem, township: Region, act_date, discovered_on, party, by) -> Unit:
    if power.power_type not in ENFORCEABLE_TYPES:
        raise Invalid(
            _("「%(power)s」不是行政处罚或行政强制事项，不能办理执法案件") % {"power": power.name}
        )
    if not guards.of_township(by, township, Role.ENFORCEMENT_OFFICER):
        raise Forbidden(_("只有%(township)s的执法人员可以立案") % {"township": township.name})
    today = timezone.localdate()
    if act_date > today or discovered_on > today:
        raise Invalid(_("违法行为发生日和发现日期不能晚于今天"))
    if discovered_on < act_date:
        raise Invalid(_("发现日期不能早于违法行为发生日"))
    if not party.strip():
        raise Invalid(_("请填写当事人"))
    person = person_of(by)
    unit = person.unit if person else None
    if unit is None:
        raise Invalid(_("您的账号没有所属单位，不能立案"))
    return unit


def penaltycase_open(
    *,
    power: PowerItem,
    township: Region,
    act_date: dt.date,
    party_name: str,
    facts: str = "",
    discovered_on: dt.date | None = None,
    party_kind: str = PartyKind.INDIVIDUAL,
    party_address: str = "",
    case=None,
    demo: bool = False,
    by,
) -> PenaltyCase:
    """立案: the holder on the act's date decides whether the district's approval is required."""
    discovered_on = discovered_on or timezone.localdate()
    unit = _check_open(power, township, act_date, discovered_on, party_name, by)
    party_address = party_address_clean(party_address)
    party_kind = _ground(party_kind, PartyKind, _("当事人类型须为公民或法人或者其他组织"))
    route = penalty_route(power, township, act_date)
    now = timezone.now()
    with transaction.atomic():
        if (
            case is not None
            and case.penalty_cases.exclude(state__in=ENDED).filter(power=power).exists()
        ):
            raise Conflict(
                _("案件%(case)s已有未结案的「%(power)s」执法案件")
                % {"case": case.code, "power": power.name}
            )
        pc = PenaltyCase(
            case=case,
            power=power,
            township=township,
            act_date=act_date,
            discovered_on=discovered_on,
            party_name=party_name.strip()[:100],
            party_kind=party_kind,
            party_address=party_address,
            facts=facts.strip(),
            handling_unit=unit,
            approval_required=route.approval_required,
            approval_unit=route.approval_unit,
            holder_explanation=route.explanation[:500],
            delegation=route.delegation,
            filed_at=now,
            filing_due_on=clocks.filing_due(discovered_on),
            decision_due_at=clocks.deadline("decision", now),
            created_by=_actor(by),
            demo=demo,
        )
        _insert(pc)
        _record(pc, "open", by, frm="", note=route.explanation, data={"power": power.code})
        audit(actor=_actor(by), verb="enforcement.open", obj=pc, after=snapshot(pc))
    return pc


def penaltycase_open_from_case(
    *,
    case,
    party_name: str,
    power_code: str = "",
    act_date=None,
    party_kind: str = PartyKind.INDIVIDUAL,
    party_address: str = "",
    by,
) -> PenaltyCase:
    """立案 on a reported case: its township, its act date and its routed power by default."""
    code = power_code or case.route_power
    power = PowerItem.objects.filter(code=code).first()
    if power is None:
        raise Invalid(
            _("未知的权力事项编码「%(code)s」") % {"code": code} if code else _("请选择权力事项")
        )
    occurred = act_date or timezone.localtime(case.occurred_at).date()
    return penaltycase_open(
        power=power,
        township=case.township,
        act_date=occurred,
        discovered_on=timezone.localtime(case.reported_at).date(),
        party_name=party_name,
        facts=case.description,
        party_kind=party_kind,
        party_address=party_address,
        case=case,
        by=by,
    )
