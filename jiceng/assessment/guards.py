"""The guards of S4 and S6: each returns the reason an assessment may not go ahead, or None.

Actions call them before writing; pages call them to show only what a person may do. Every
reason is a sentence a county official can act on.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiceng.core.calendar import add_working_days
from jiceng.core.tables import read_sheet
from jiceng.org.models import Level, Person, Region, Role, Unit, UnitKind, code_prefixes
from jiceng.powers.selectors import UnknownPower, holder
from jiceng.workload.datasets import matching
from jiceng.workload.models import Task, TaskKind

from .models import (
    Appeal,
    AppealStatus,
    AssessmentItem,
    Inspection,
    InspectionCap,
    ItemStatus,
    Target,
)

UPPER_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
ISSUER_ROLES = (Role.ASSESSOR, Role.COUNTY_ADMIN)
ISSUER_KINDS = (UnitKind.DEPARTMENT, UnitKind.GOVERNMENT)
TARGET_KINDS: dict[str, tuple[str, ...]] = {
    Target.TOWNSHIP: (UnitKind.GOVERNMENT,),
    Target.STATION: (UnitKind.STATION, UnitKind.TEAM),
}
MAX_INDICATORS = 50
# who acts for a unit (rates others in an evaluation, asks for a review of its own result)
UNIT_ROLES = (Role.LEADER, Role.COUNTY_ADMIN, Role.ASSESSOR)


@dataclass(frozen=True)
class IndicatorIn:
    name: str
    points: Decimal
    method: str = ""
    power_code: str = ""


def issue_refusal(person: Person | None) -> str | None:
    """S6: only upper levels organise assessments; branches and stations may not on their own."""
    if person is None or not person.has_role(*ISSUER_ROLES):
        return _("只有县级及以上单位的考核人员和县级管理员可以组织考核事项")
    unit = person.unit
    if unit is None:
        return _("您没有所在单位，无法组织考核事项")
    if unit.region.level not in UPPER_LEVELS or unit.kind not in ISSUER_KINDS:
        return _(
            "乡镇（街道）和基层站所不得自行组织督查检查考核：考核事项由县级及以上单位提出，"
            "经同级党委政府统筹审批后方可开展"
        )
    return None


def manages(person: Person | None, region: Region) -> bool:
    """A platform administrator, or a county administrator or assessor whose area holds `region`:
    who sets a region's caps and opens its evaluations."""
    return person is not None and (
        person.has_role(Role.PLATFORM_ADMIN)
        or (
            person.has_role(Role.COUNTY_ADMIN, Role.ASSESSOR)
            and person.region is not None
            and region.code.startswith(person.region.code)
        )
    )


def approve_refusal(person: Person | None, item: AssessmentItem) -> str | None:
    """Items are approved by an assessor of the government of the issuer's level or above (the
    office that co-ordinates 督查检查考核), never by the issuer itself."""
    unit = person.unit if person is not None else None
    if (
        unit is None
        or not person.has_role(Role.ASSESSOR)
        or unit.kind != UnitKind.GOVERNMENT
        or unit.region.level not in UPPER_LEVELS
        or not item.issuer.region.code.startswith(unit.region.code)
    ):
        return _("考核事项由组织单位所在地县级及以上人民政府的督查检查考核统筹人员审批")
    if item.created_by_id == person.pk or item.issuer_id == unit.pk:
        return _("不能审批本单位提出的考核事项")
    return None


def parse_indicators(rows) -> tuple[list[IndicatorIn], list[str]]:
    """Indicators from dicts (API) or from lines "名称｜分值｜评分方法｜权力代码" (the form)."""
    if isinstance(rows, str):
        rows = [_split_line(line) for line in rows.splitlines() if line.strip()]
    out, problems = [], []
    for n, row in enumerate(rows, 1):
        name = str(row.get("name") or "").strip()
        if not name or len(name) > 200:
            problems.append(_("第%(n)d项指标：请填写指标名称（不超过200字）") % {"n": n})
            continue
        try:
            points = Decimal(str(row.get("points", "")).strip())
        except InvalidOperation:
            points = Decimal(-1)
        if (
            not points.is_finite()
            or not (0 < points <= 100)
            or points != points.quantize(Decimal("0.1"))
        ):
            problems.append(
                _("第%(n)d项指标“%(name)s”：分值须为大于0、不超过100的数（至多一位小数）")
                % {"n": n, "name": name}
            )
            continue
        method = str(row.get("method") or "").strip()[:300]
        code = str(row.get("power_code") or "").strip()[:40]
        out.append(IndicatorIn(name, points, method, code))
    if not out and not problems:
        problems.append(_("请至少填写一项考核指标"))
    if len(out) > MAX_INDICATORS:
        problems.append(_("考核指标不能超过%(n)d项") % {"n": MAX_INDICATORS})
    return out, problems


# the columns an indicator sheet may use for each field (first match wins)
SHEET_COLUMNS = {
    "name": ("指标", "指标名称", "名称", "考核指标"),
    "points": ("分值", "分数", "满分"),
    "method": ("评分方法", "评分标准", "考核方法"),
    "power_code": ("对应权力事项代码", "权力事项代码", "权力代码"),
}


def read_upload(filename: str, data: bytes) -> tuple[list[str], list[dict]]:
    """An uploaded sheet's header and rows; ValidationError (the uploader's to fix) if broken."""
    try:
        return read_sheet(filename or "", data)
    except UnicodeDecodeError:
        why = _("CSV 既不是 UTF-8 也不是 GB18030 编码，请在 Excel 中另存为 .xlsx")
    except Exception:  # a broken workbook is the uploader's to fix, not ours
        why = _("不是有效的 Excel（.xlsx）或 CSV 文件，请用 Excel 打开后另存为 .xlsx 再上传")
    raise ValidationError(_("无法读取文件：%(why)s") % {"why": why})


def indicators_from_sheet(filename: str, data: bytes) -> list[dict]:
    """Indicator rows from an uploaded .xlsx or .csv whose header names the columns (指标, 分值,
    and optionally 评分方法 and 对应权力事项代码); raises ValidationError saying what is wrong."""
    header, records = read_upload(filename, data)
    found = {
        field: next((h for h in names if h in header), None)
        for field, names in SHEET_COLUMNS.items()
    }
    if found["name"] is None or found["points"] is None:
        raise ValidationError(
            _(
                "指标表须有“指标”和“分值”两列（可另有“评分方法”“对应权力事项代码”），现有列：%(cols)s"
            )
            % {"cols": "、".join(h for h in header if h) or "—"}
        )
    return [
        {
            field: ("" if row.get(col) is None else row.get(col))
            for field, col in found.items()
            if col
        }
        for row in records
    ]


def _split_line(line: str) -> dict:
    parts = [p.strip() for p in line.replace("｜", "|").split("|")]
    parts += [""] * (4 - len(parts))
    return {"name": parts[0], "points": parts[1], "method": parts[2], "power_code": parts[3]}


def total_refusal(indicators: list[IndicatorIn], *, whole: bool) -> str | None:
    """An item is scored out of 100; a part split from one may carry less."""
    total = sum((i.points for i in indicators), Decimal(0))
    if whole and total != 100:
        return _("考核指标分值合计须为100分，现为%(total)s分") % {"total": f"{total.normalize():f}"}
    return None


def veto_refusal(item: AssessmentItem, day: dt.date) -> str | None:
    """S4: a one-vote veto only on a matter set by law or the province, in force on `day`."""
    if not item.one_vote_veto:
        return None
    auth = item.veto_authorization
    if auth is None:
        return _(
            "未经法律法规或省委省政府设定，任何单位不得自行对乡镇（街道）和基层站所设立"
            "一票否决事项；如有依据，请选择对应的一票否决授权"
        )
    if not auth.in_force(day):
        return _("所选一票否决授权（%(auth)s）在%(day)s不在有效期内") % {
            "auth": auth,
            "day": day.isoformat(),
        }
    return None


def townships_under(issuer: Unit) -> list[Region]:
    return list(
        Region.objects.filter(level=Level.TOWNSHIP, code__startswith=issuer.region.code).order_by(
            "code"
        )
    )


def pushdown_refusals(issuer: Unit, indicators: list[IndicatorIn], day: dt.date) -> list[str]:
    """S6: what the upper level can do itself must not be handed down (层层加码).

    - an indicator asking the grassroots for data the platform already holds (一表通): the upper
      level reads it itself;
    - an indicator measuring a power that no township of the issuer's area holds: the townships
      would answer for a power they do not have (有责无权). Where only some hold it, each
      inspection checks its own township (`power_refusal`).
    """
    problems = []
    townships = None
    for ind in indicators:
        held = matching(ind.name, ind.method)
        if held:
            problems.append(
                _(
                    "指标“%(name)s”要求基层报送平台已有的数据（%(titles)s），上级可在“平台数据”中直接查看，不得下压"
                )
                % {"name": ind.name, "titles": "、".join(str(d.title) for d in held)}
            )
        if not ind.power_code:
            continue
        if townships is None:
            townships = townships_under(issuer)
        try:
            answers = [holder(ind.power_code, t, day) for t in townships]
        except UnknownPower:
            problems.append(
                _("指标“%(name)s”：未知的权力事项编码 %(code)s")
                % {"name": ind.name, "code": ind.power_code}
            )
            continue
        if answers and all(a.level != Level.TOWNSHIP for a in answers):
            problems.append(
                _(
                    "指标“%(name)s”考核的权力（%(code)s）在辖区内没有下放到任何乡镇（街道）"
                    "（如：%(why)s），上级能做的不得下压，考核基层即有责无权"
                )
                % {"name": ind.name, "code": ind.power_code, "why": answers[0].explanation}
            )
    return problems


def decompose_refusal(person: Person, parent: AssessmentItem) -> str | None:
    """S6: an item may not be split and pushed down by anyone but the unit that organises it."""
    if person.unit_id != parent.issuer_id:
        return _("不得擅自分解上级考核事项向下转嫁：只有组织单位可以分解，分解后的事项须重新报批")
    if parent.status != ItemStatus.APPROVED:
        return _("只能分解已批准的考核事项")
    return None


def most_specific_cap(caps, unit: Unit, target: str) -> InspectionCap | None:
    """Of `caps` (rows with their region), the one for `target` set by the most specific region
    over `unit`: a township's own cap wins over its county's, which wins over the city's."""
    over = [c for c in caps if c.target == target and unit.region.code.startswith(c.region.code)]
    return max(over, key=lambda c: len(c.region.code), default=None)


def cap_for(unit: Unit, year: int, target: str) -> InspectionCap | None:
    """The yearly cap that applies to `unit`."""
    caps = InspectionCap.objects.filter(
        year=year, target=target, region__code__in=code_prefixes(unit.region.code)
    ).select_related("region")
    return most_specific_cap(caps, unit, target)


def inspections_used(unit_ids, year: int) -> dict[int, int]:
    """How many inspections, checks and assessments each unit has received in `year`: those
    recorded under an item, and the 考核检查 tasks sent by 交办 before checks had to run as
    approved items (one per unit and batch, whether sent to the unit or to its staff)."""
    unit_ids = list(unit_ids)
    used: dict[int, int] = {}
    for row in (
        Inspection.objects.filter(unit__in=unit_ids, year=year)
        .values("unit")
        .annotate(n=Count("id"))
    ):
        used[row["unit"]] = row["n"]
    legacy = (
        Task.objects.filter(kind=TaskKind.ASSESSMENT, created_at__year=year)
        # a person's unit is the one managing them (a seconded cadre), else their own
        .annotate(
            person_unit=Coalesce("assignee_person__managing_unit", "assignee_person__home_unit")
        )
        .filter(Q(assignee_unit__in=unit_ids) | Q(person_unit__in=unit_ids))
        .exclude(pk__in=Inspection.objects.filter(task__isnull=False).values("task"))
        .values_list("pk", "assignee_unit", "person_unit", "details")
    )
    seen: set[tuple[int, str]] = set()
    for pk, to_unit, person_unit, details in legacy:
        unit = to_unit or person_unit
        key = (unit, str((details or {}).get("batch") or f"task-{pk}"))
        if key not in seen:
            seen.add(key)
            used[unit] = used.get(unit, 0) + 1
    return used


def target_of(unit: Unit) -> str | None:
    if unit.region.level != Level.TOWNSHIP:
        return None
    for target, kinds in TARGET_KINDS.items():
        if unit.kind in kinds:
            return target
    return None


def power_refusal(item: AssessmentItem, unit: Unit, day: dt.date) -> str | None:
    """A township is not assessed on a power it does not hold on that day (有责无权)."""
    for ind in item.indicators.all():
        if not ind.power_code:
            continue
        try:
            answer = holder(ind.power_code, unit.region, day)
        except UnknownPower:
            continue  # refused when the item was drafted; a code since retired asks nothing
        if answer.level != Level.TOWNSHIP:
            return _(
                "%(unit)s不行使指标“%(name)s”考核的权力（%(why)s），不能就此考核（有责无权）"
            ) % {"unit": unit.name, "name": ind.name, "why": answer.explanation}
    return None


def run_refusal(item: AssessmentItem, unit: Unit, day: dt.date) -> str | None:
    """S6: only an approved item, with its indicators as approved, runs; each inspection of a
    unit counts against that unit's yearly cap."""
    if item.status != ItemStatus.APPROVED:
        return _("考核事项未经批准，不得开展督查检查考核")
    if item.indicators_intact() is False:
        return _("考核指标与批准时不一致（批准后指标已冻结），不得开展，请联系审批单位")
    if day.year != item.year:
        return _("本事项为%(year)d年度事项，不能在%(day)s开展") % {
            "year": item.year,
            "day": day.isoformat(),
        }
    if not unit.region.code.startswith(item.issuer.region.code):
        return _("%(unit)s不在组织单位的管辖范围内") % {"unit": unit.name}
    if target_of(unit) != item.target:
        return _("%(unit)s不是本事项的考核对象（%(target)s）") % {
            "unit": unit.name,
            "target": item.get_target_display(),
        }
    no_power = power_refusal(item, unit, day)
    if no_power:
        return no_power
    veto = veto_refusal(item, day)
    if veto:
        return veto
    cap = cap_for(unit, day.year, item.target)
    if cap is not None:
        used = inspections_used([unit.pk], day.year).get(unit.pk, 0)
        if used >= cap.limit:
            return _(
                "%(unit)s在%(year)d年已接受督查检查考核%(used)d次，达到年度上限%(limit)d次"
                "（%(document)s），不得再安排"
            ) % {
                "unit": unit.name,
                "year": day.year,
                "used": used,
                "limit": cap.limit,
                "document": cap.document,
            }
    return None


def parse_scores(indicators, rows) -> tuple[list[tuple], list[str]]:
    """Scores of an inspection, one per indicator of its item: `rows` are dicts with
    `indicator` (its id), `score` (0 to the indicator's points, at most one decimal) and an
    optional `note`. Every indicator must be scored, and nothing else."""
    by_pk = {i.pk: i for i in indicators}
    given: dict[int, dict] = {}
    problems = []
    for row in rows:
        try:
            pk = int(row.get("indicator"))
        except (TypeError, ValueError):
            pk = None
        if pk not in by_pk:
            problems.append(_("指标“%(id)s”不属于本考核事项") % {"id": row.get("indicator")})
        elif pk in given:
            problems.append(_("指标“%(name)s”评了两次") % {"name": by_pk[pk].name})
        else:
            given[pk] = row
    out = []
    for ind in indicators:
        row = given.get(ind.pk)
        raw = "" if row is None else str(row.get("score", "")).strip()
        if raw == "":
            problems.append(_("请为指标“%(name)s”评分") % {"name": ind.name})
            continue
        try:
            score = Decimal(raw)
        except InvalidOperation:
            score = Decimal(-1)
        if (
            not score.is_finite()
            or not (0 <= score <= ind.points)
            or score != score.quantize(Decimal("0.1"))
        ):
            problems.append(
                _("指标“%(name)s”的得分须在0至%(points)s分之间（至多一位小数）")
                % {"name": ind.name, "points": f"{ind.points.normalize():f}"}
            )
            continue
        out.append((ind, score, str(row.get("note") or "").strip()[:300]))
    return out, problems


def score_refusal(person: Person | None, item: AssessmentItem) -> str | None:
    """Only the organising unit scores the inspections held under its item."""
    if person is None or person.unit_id != item.issuer_id:
        return _("只有组织单位的人员可以为本次督查检查考核评分")
    return None


# ---- review of a result (复核) -------------------------------------------------------------


@dataclass(frozen=True)
class AppealLimits:
    """How long a unit has to ask for a review after its inspection is scored, and how long the
    organising unit has to decide, in working days (a dated rule: the newest in force wins)."""

    ask_days: int
    decide_days: int
    basis: str
    effective_from: dt.date


APPEAL_LIMITS = [
    AppealLimits(
        5,
        5,
        gettext_noop(
            "平台规则：被检查单位对评分有异议的，评分后5个工作日内可申请复核一次；"
            "组织单位自收到申请起5个工作日内作出复核决定（维持或变更）"
        ),
        dt.date(2020, 1, 1),
    ),
]


def appeal_limits(day: dt.date) -> AppealLimits:
    return max(
        (r for r in APPEAL_LIMITS if r.effective_from <= day), key=lambda r: r.effective_from
    )


def appeal_until(inspection: Inspection) -> dt.datetime | None:
    """The last moment the inspected unit may ask for a review; None before it is scored."""
    scored = inspection.scored_at
    if scored is None:
        return None
    return add_working_days(scored, appeal_limits(timezone.localdate(scored)).ask_days)


def appeal_person_refusal(person: Person | None, inspection: Inspection) -> str | None:
    """Only the inspected unit asks for a review: its leader, administrator or assessor."""
    if person is None or person.unit_id != inspection.unit_id or not person.has_role(*UNIT_ROLES):
        return _("只有被检查单位的分管领导、管理员或考核人员可以申请复核")
    return None


def appeal_time_refusal(inspection: Inspection, now: dt.datetime) -> str | None:
    """A review is asked for once, of a scored result, within the time limit after scoring."""
    scored = inspection.scored_at
    if scored is None:
        return _("本次督查检查考核尚未评分，评分后方可申请复核")
    earlier = Appeal.objects.filter(inspection=inspection).first()
    if earlier is not None:
        return appeal_taken(earlier)
    days = appeal_limits(timezone.localdate(scored)).ask_days
    until = add_working_days(scored, days)
    if now > until:
        return _("评分后%(n)d个工作日内可申请复核（截至%(until)s），已超过期限") % {
            "n": days,
            "until": f"{timezone.localtime(until):%Y-%m-%d %H:%M}",
        }
    return None


def appeal_taken(appeal: Appeal) -> str:
    """Why an inspection cannot be appealed (again), naming the appeal it already has."""
    asked = {"day": f"{timezone.localtime(appeal.created_at):%Y-%m-%d}"}
    if appeal.status == AppealStatus.WITHDRAWN:
        return _(
            "本次督查检查考核已于%(day)s申请过复核，申请已于%(withdrawn)s撤回；"
            "撤回后不能再次申请复核（每次督查检查考核只能申请复核一次）"
        ) % {**asked, "withdrawn": f"{timezone.localtime(appeal.withdrawn_at):%Y-%m-%d}"}
    if appeal.status == AppealStatus.OPEN:
        return _("本次督查检查考核已于%(day)s申请复核，复核正在办理，请等待复核结果") % asked
    return _(
        "本次督查检查考核已于%(day)s申请过复核（结果：%(outcome)s），每次督查检查考核只能申请复核一次"
    ) % {**asked, "outcome": appeal.get_status_display()}


def rescore_refusal(inspection: Inspection) -> str | None:
    """While a review is open the result stays as it is: only the review's decision changes it."""
    appeal = Appeal.objects.filter(inspection=inspection, status=AppealStatus.OPEN).first()
    if appeal is None:
        return None
    return _(
        "%(unit)s于%(day)s申请复核，复核尚未办结，不能重新评分；请在复核中作出维持或变更的决定"
    ) % {"unit": inspection.unit.name, "day": f"{timezone.localtime(appeal.created_at):%Y-%m-%d}"}


def withdraw_refusal(person: Person | None, appeal: Appeal, inspection: Inspection) -> str | None:
    """Who withdraws a review request (撤回复核): the one who asked, or a leader of the unit."""
    if person is not None and (
        person.pk == appeal.by_id
        or (person.unit_id == inspection.unit_id and person.has_role(Role.LEADER))
    ):
        return None
    return _("只有复核申请人或被检查单位的分管领导可以撤回复核申请")


def appeal_closed(appeal: Appeal) -> str | None:
    """Why a review is no longer open (to decide or to withdraw), or None while it is."""
    if appeal.status == AppealStatus.OPEN:
        return None
    if appeal.status == AppealStatus.WITHDRAWN:
        return _("复核申请已于%(day)s撤回，复核已终止") % {
            "day": f"{timezone.localtime(appeal.withdrawn_at):%Y-%m-%d}"
        }
    return _("复核已经办结（%(outcome)s），不能再撤回或再次决定") % {
        "outcome": appeal.get_status_display()
    }


# ---- 通报 ------------------------------------------------------------------------------------


def notice_refusal(person: Person | None, item: AssessmentItem) -> str | None:
    """Only the organising unit's assessors, administrators or leaders issue its 通报."""
    if (
        person is None
        or person.unit_id != item.issuer_id
        or not person.has_role(*ISSUER_ROLES, Role.LEADER)
    ):
        return _("只有组织单位的考核人员、管理员或分管领导可以印发考核结果通报")
    return None


def notice_state_refusals(item: AssessmentItem, board: dict, issued) -> list[str]:
    """A 通报 is issued once, of an approved item with scored results and no review open (while
    one is, the ranking is provisional)."""
    if issued is not None:
        return [
            _("本事项的考核结果已于%(day)s通报（%(document)s），不能重复印发")
            % {"day": f"{issued.issued_on:%Y-%m-%d}", "document": issued.document}
        ]
    problems = []
    if item.status != ItemStatus.APPROVED:
        problems.append(_("只有已批准的考核事项可以通报结果"))
    if not board["rows"]:
        problems.append(_("尚无已评分的结果，不能印发通报"))
    if board["appeals_open"]:
        problems.append(
            _("有%(n)d个复核尚未办结，排名为暂定；复核办结或撤回后方可印发通报")
            % {"n": board["appeals_open"]}
        )
    return problems
