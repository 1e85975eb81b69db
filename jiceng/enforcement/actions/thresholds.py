"""金额标准 (thresholds.py) as data a province or county administers: a row is added, and may get
an ending date; it is never edited. A rule may not start (nor end) before tomorrow / today: every
case is judged by the rule in force on the day of its 立案 (hearing right at 告知 and 决定, 法制审核
at 决定, the page of a closed case), so a row reaching back would change the procedure of cases
already running and the record of cases already decided."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit, snapshot
from jiceng.org.models import Region

from .. import guards
from ..clocks import LAW_2021
from ..content import yuan_parse
from ..errors import Conflict, Forbidden, Invalid
from ..models import AmountThreshold, PartyKind, ThresholdName
from ..thresholds import DEFAULTS, PLATFORM_DEFAULT
from .base import _actor, _ground, _required


def _region(code: str) -> Region | None:
    """The region a row is for (None: the platform default), or Invalid."""
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Invalid(_("区划代码「%(code)s」不存在") % {"code": code})
    if region.level not in guards.THRESHOLD_LEVELS:
        raise Invalid(_("金额标准按省、市、县区设定，「%(name)s」不是") % {"name": region.name})
    return region


def _check_may_set(by, region: Region | None) -> None:
    if guards.may_set_threshold(by, region.code if region else ""):
        return
    area = guards.threshold_area(by)
    if area is None:
        raise Forbidden(_("只有平台管理员或省、市、县区的管理员可以设定金额标准"))
    if region is None:
        raise Forbidden(_("平台默认值只能由平台管理员设定"))
    mine = Region.objects.filter(code=area).values_list("name", flat=True).first() or area
    raise Forbidden(
        _("您只能设定%(area)s范围内的金额标准，不能设定%(region)s的")
        % {"area": mine, "region": region.name}
    )


def _start(effective_from: dt.date | None) -> dt.date:
    if effective_from is None:
        raise Invalid(_("请填写生效日期（年-月-日）"))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if effective_from < tomorrow:
        raise Invalid(
            _(
                "生效日期最早为%(day)s：案件按立案之日有效的标准办理，新标准不能从今天或以前开始"
                "（否则会改变已立案案件的程序）"
            )
            % {"day": tomorrow.isoformat()}
        )
    return effective_from


def threshold_add(
    *,
    name: str,
    party_kind: str,
    amount,
    region_code: str = "",
    effective_from: dt.date | None,
    effective_to: dt.date | None = None,
    basis: str = "",
    by,
) -> AmountThreshold:
    """A new amount rule for a region (a province's 较大数额, a county's 重大执法决定 figure …), from a
    day after today; it supersedes the rule in force there from that day."""
    name = _ground(name, ThresholdName, _("请选择金额标准的种类"))
    party_kind = _ground(party_kind, PartyKind, _("当事人类型须为公民或法人或者其他组织"))
    region = _region((region_code or "").strip())
    _check_may_set(by, region)
    value = yuan_parse(amount, _("金额"))
    if value is None:
        raise Invalid(_("金额须为大于0的金额（元）"))
    start = _start(effective_from)
    if effective_to is not None and effective_to < start:
        raise Invalid(_("终止日期不能早于生效日期"))
    basis = (basis or "").strip()
    if region is not None:
        basis = _required(basis, _("请填写依据文件（名称和文号）"))
    row = AmountThreshold(
        name=name,
        party_kind=party_kind,
        amount=value,
        region_code=region.code if region else "",
        effective_from=start,
        effective_to=effective_to,
        basis=basis[:500] or PLATFORM_DEFAULT,
        recorded_by=_actor(by),
    )
    with transaction.atomic():
        same = AmountThreshold.objects.filter(
            name=name, party_kind=party_kind, region_code=row.region_code, effective_from=start
        )
        if same.exists():
            raise Conflict(
                _("该地区已有同一天生效的同类标准：如需更改，请为其设定终止日期后另行新增")
            )
        row.save()
        audit(actor=_actor(by), verb="enforcement.threshold.add", obj=row, after=snapshot(row))
    return row


def threshold_end(
    *, threshold: AmountThreshold, effective_to: dt.date | None, reason: str, by
) -> AmountThreshold:
    """An ending date for a rule: its last day (today at the earliest). A rule not yet in force
    may be withdrawn (an ending date before it starts); a platform default in force is replaced
    by a new default, not ended, so that every region always has a rule."""
    _check_may_set(by, _region(threshold.region_code))
    reason = _required(reason, _("请填写终止的理由和依据"))
    if effective_to is None:
        raise Invalid(_("请填写终止日期（年-月-日）"))
    today = timezone.localdate()
    if effective_to < today:
        raise Invalid(
            _("终止日期不能早于今天（%(day)s）：已立案的案件按立案之日有效的标准办理")
            % {"day": today.isoformat()}
        )
    with transaction.atomic():
        row = AmountThreshold.objects.select_for_update().get(pk=threshold.pk)
        if row.effective_to is not None:
            raise Conflict(_("该标准已设定终止日期%(day)s") % {"day": row.effective_to.isoformat()})
        if row.is_default and row.effective_from <= today:
            raise Conflict(_("施行中的平台默认值不能终止：请新增一条以后生效的平台默认值取代它"))
        before = snapshot(row)
        row.effective_to, row.end_reason = effective_to, reason[:500]
        row.ended_by, row.ended_at = _actor(by), timezone.now()
        row.save()
        audit(
            actor=_actor(by),
            verb="enforcement.threshold.end",
            obj=row,
            before=before,
            after=snapshot(row),
        )
    return row


def thresholds_ensure_defaults(*, by=None) -> int:
    """Put back any platform default that is missing (the demo, after a test flush); a default
    already there is left as it is. Migration 0008 seeds the same rows on a new database."""
    made = []
    with transaction.atomic():
        for name, party, amount in DEFAULTS:
            row, created = AmountThreshold.objects.get_or_create(
                name=name,
                party_kind=party,
                region_code="",
                effective_from=LAW_2021,
                defaults={"amount": amount, "basis": PLATFORM_DEFAULT},
            )
            if created:
                made.append(row.pk)
        if made:
            audit(
                actor=_actor(by),
                verb="enforcement.threshold.defaults",
                object_type="enforcement.amountthreshold",
                object_id=",".join(map(str, made)),
                after={"created": made},
            )
    return len(made)
