"""一表通 (S8): what upper units may read from the platform instead of asking townships for it.

Each dataset answers, for the caller's area (or a region in it), a question upper units used to
send down as a form. `tasks_send` refuses a data request whose words match one of them unless the
sender says why the grassroots must still fill it in (`matching`).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.org.models import Level, Person, Region
from jiceng.org.selectors import regions_for, units_for

Table = tuple[list[str], list[list]]


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    about: str
    keywords: tuple[str, ...]  # words of a data request this dataset answers
    build: Callable[[object, str], Table]  # (user, region code prefix) -> (header, rows)


def _staff(user, code: str) -> Table:
    """Every unit of the area: its staff quota, the people it manages (seconded ones apart), cars."""
    units = list(units_for(user).filter(region__code__startswith=code))
    managed = dict(
        Person.objects.filter(managing_unit__in=units)
        .values_list("managing_unit")
        .annotate(n=Count("id"))
    )
    seconded = dict(
        Person.objects.filter(managing_unit__in=units, home_unit__isnull=False)
        .exclude(home_unit=F("managing_unit"))
        .values_list("managing_unit")
        .annotate(n=Count("id"))
    )
    header = [
        str(_("所属区域")),
        str(_("单位")),
        str(_("类型")),
        str(_("编制人数")),
        str(_("在岗人员")),
        str(_("其中下沉干部")),
        str(_("公务用车")),
    ]
    rows = [
        [
            u.region.name,
            u.name,
            u.get_kind_display(),
            u.staff_quota if u.staff_quota is not None else "",
            managed.get(u.pk, 0),
            seconded.get(u.pk, 0),
            u.vehicles if u.vehicles is not None else "",
        ]
        for u in units
    ]
    return header, rows


def _month_bounds(now: dt.datetime) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Last month and this month so far, as (label, start, end) in local time."""
    from .selectors import month_starts

    last, this = month_starts(now, 2)
    return [
        (last.strftime("%Y-%m"), last, this),
        (this.strftime("%Y-%m") + str(_("（至今）")), this, now),
    ]


def _cases(user, code: str) -> Table:
    """Each township of the area, last month and this month: the case-loop indicators."""
    from jiceng.cases.indicators import compute

    names = ["立案率", "按期处置率", "结案率", "按期结案率", "满意率"]
    header = [str(_("乡镇街道")), str(_("月份")), str(_("上报案件")), *[str(_(n)) for n in names]]
    townships = regions_for(user).filter(code__startswith=code, level=Level.TOWNSHIP)
    rows = []
    for township in townships:
        for label, start, end in _month_bounds(timezone.now()):
            figures = compute(start, end, region_code=township.code)
            rows.append(
                [
                    township.name,
                    label,
                    figures["立案率"]["base"],
                    *[_percent(figures.get(n, {}).get("value")) for n in names],
                ]
            )
    return header, rows


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _outreach(user, code: str) -> Table:
    """Each screening rule of the area: whom it is for, and its tasks open and settled."""
    from jiceng.outreach.screening import source_prefix
    from jiceng.outreach.selectors import rules_for

    from .models import Task, TaskKind, TaskState

    header = [
        str(_("规则")),
        str(_("适用区域")),
        str(_("对象")),
        str(_("待办")),
        str(_("已办结或关闭")),
    ]
    rows = []
    for rule in rules_for(user).filter(region__code__startswith=code):
        counts = Task.objects.filter(
            kind=TaskKind.OUTREACH, source_key__startswith=source_prefix(rule)
        ).aggregate(
            open=Count("id", filter=Q(state=TaskState.OPEN)),
            settled=Count("id", filter=~Q(state=TaskState.OPEN)),
        )
        rows.append(
            [
                rule.name,
                rule.region.name,
                rule.get_subject_display(),
                counts["open"],
                counts["settled"],
            ]
        )
    return header, rows


def _readiness(user, code: str) -> Table:
    """Each township of the area: the powers devolved to it today and how far it can carry them."""
    from jiceng.powers.models import Readiness, ReadinessStatus
    from jiceng.powers.selectors import delegations_to

    statuses = ReadinessStatus.choices
    header = [
        str(_("乡镇街道")),
        str(_("下放事项")),
        str(_("未填报")),
        *[str(lb) for _v, lb in statuses],
    ]
    rows = []
    today = timezone.localdate()
    townships = list(regions_for(user).filter(code__startswith=code, level=Level.TOWNSHIP))
    reported: dict[int, dict[str, int]] = {}
    for region_id, status, n in (
        Readiness.objects.filter(region__in=townships)
        .values_list("region", "status")
        .annotate(n=Count("id"))
    ):
        reported.setdefault(region_id, {})[status] = n
    for township in townships:
        devolved = delegations_to(township, today).count()  # which powers: the delegation rules
        counts = reported.get(township.pk, {})
        told = sum(counts.values())
        rows.append(
            [
                township.name,
                devolved,
                max(devolved - told, 0),
                *[counts.get(v, 0) for v, _l in statuses],
            ]
        )
    return header, rows


DATASETS = {
    d.key: d
    for d in [
        Dataset(
            "staff",
            _("单位人员与车辆"),
            _("每个单位的编制人数、在岗人员、下沉干部和公务用车，来自单位与人员信息。"),
            ("编制", "在岗", "人员情况", "人员花名册", "干部", "下沉", "车辆", "公务用车"),
            _staff,
        ),
        Dataset(
            "cases",
            _("案件办理情况"),
            _(
                "每个乡镇街道上月和本月的上报案件、立案率、按期处置率、结案率和满意率，来自案件办理记录。"
            ),
            ("案件", "工单", "诉求", "办结率", "结案率", "满意率", "投诉"),
            _cases,
        ),
        Dataset(
            "outreach",
            _("主动服务进度"),
            _("每条主动服务规则的适用区域、对象和待办、已办结数，来自筛查结果。"),
            ("健康证", "高龄", "补贴", "主动服务", "低保", "证照到期"),
            _outreach,
        ),
        Dataset(
            "readiness",
            _("下放事项承接情况"),
            _(
                "每个乡镇街道当前下放的事项数，以及填报的能接住、需要支持、接不住各多少项，来自承接能力填报。"
            ),
            ("承接", "下放事项", "接得住", "赋权事项"),
            _readiness,
        ),
    ]
}


def matching(*texts: str) -> list[Dataset]:
    """The datasets whose words appear in a data request's subject or content."""
    text = " ".join(texts)
    return [d for d in DATASETS.values() if any(word in text for word in d.keywords)]


def region_code(user, region: Region | None) -> str:
    """The code prefix a dataset is read for: the region chosen, else the caller's whole area."""
    from jiceng.org.scope import scope_code

    if region is not None:
        return region.code
    code = scope_code(user)
    if code is None:  # no area at all: nothing, rather than everything
        raise PermissionError(_("您没有管辖范围"))
    return code
