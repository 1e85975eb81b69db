"""Every write of assessment: items and their approval, inspections, caps, two-way evaluation.

Each action checks its guard first (guards.py) and raises ValidationError (bad input, a rule the
item breaks) or PermissionError (the wrong person) with the reason; nothing is half-written.
"""

import datetime as dt
import hashlib
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit
from jiceng.core.calendar import add_working_days
from jiceng.core.inputs import int_or_none
from jiceng.org.models import Level, Person, Region, Role, Unit
from jiceng.workload.actions import task_finish, task_open, tasks_finish_by_source
from jiceng.workload.models import Task, TaskKind, TaskState

from .. import guards
from ..models import (
    Appeal,
    AppealStatus,
    AssessmentItem,
    Direction,
    Evaluation,
    EvaluationRound,
    Indicator,
    IndicatorScore,
    Inspection,
    InspectionCap,
    InspectionKind,
    ItemStatus,
    RoundStatus,
    Target,
    VetoAuthorization,
)
from ..selectors import (
    RESULT_ID,
    RESULT_VETO,
    RESULT_VETO_REASON,
    indicator_header,
    may_close,
    raters_and_ratees,
)

EDITABLE = (ItemStatus.DRAFT, ItemStatus.REJECTED)


def _snap(item: AssessmentItem) -> dict:
    return {
        "name": item.name,
        "year": item.year,
        "target": item.target,
        "status": item.status,
        "one_vote_veto": item.one_vote_veto,
        "veto_authorization": item.veto_authorization_id,
        "indicators": [
            [i.name, str(i.points), i.method, i.power_code] for i in item.indicators.all()
        ],
    }


def _today() -> dt.date:
    return timezone.localdate()


def _check_content(item: AssessmentItem, indicators, *, whole: bool) -> list[str]:
    """The rules on what an item says, checked on every draft, change and approval."""
    problems = []
    total = guards.total_refusal(indicators, whole=whole)
    if total:
        problems.append(total)
    veto = guards.veto_refusal(item, max(_today(), dt.date(item.year, 1, 1)))
    if veto:
        problems.append(veto)
    problems += guards.pushdown_refusals(item.issuer, indicators, _today())
    return problems


def _clean_fields(name, year, target, veto, veto_authorization) -> tuple[str, list[str]]:
    problems = []
    name = (name or "").strip()
    if not name or len(name) > 100:
        problems.append(_("请填写考核事项名称（不超过100字）"))
    this_year = _today().year
    if not isinstance(year, int) or not (this_year - 1 <= year <= this_year + 1):
        problems.append(_("年度须在%(a)d至%(b)d之间") % {"a": this_year - 1, "b": this_year + 1})
    if target not in Target.values:
        problems.append(_("考核对象只能是乡镇（街道）或基层站所"))
    if veto_authorization is not None and not veto:
        problems.append(_("未勾选一票否决时不能选择一票否决授权"))
    return name, problems


def _write_indicators(item: AssessmentItem, indicators) -> None:
    item.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            item=item,
            position=n,
            name=i.name,
            points=i.points,
            method=i.method,
            power_code=i.power_code,
        )
        for n, i in enumerate(indicators, 1)
    )


def _fill(
    item: AssessmentItem, *, name, target, indicators, basis, one_vote_veto, veto_authorization
):
    """Put what was written on `item` (not saved) and check all of it against the rules; the
    parsed indicators, or a ValidationError listing every problem."""
    name, problems = _clean_fields(name, item.year, target, one_vote_veto, veto_authorization)
    parsed, bad = guards.parse_indicators(indicators)
    problems += bad
    item.name, item.target, item.basis = name, target, (basis or "").strip()[:200]
    item.one_vote_veto, item.veto_authorization = bool(one_vote_veto), veto_authorization
    if not problems:
        problems += _check_content(item, parsed, whole=item.parent_id is None)
    if problems:
        raise ValidationError(problems)
    return parsed


def _frozen(item: AssessmentItem) -> ValidationError:
    return ValidationError(
        _("考核事项%(status)s，指标已冻结，不得增加或修改；确需调整请另行报批新事项")
        % {"status": item.get_status_display()}
    )


def item_create(
    *,
    person: Person | None,
    name: str,
    year: int,
    target: str,
    indicators,
    basis: str = "",
    one_vote_veto: bool = False,
    veto_authorization: VetoAuthorization | None = None,
    by,
) -> AssessmentItem:
    """Draft an item for the person's unit (S6: only upper levels organise assessments)."""
    refused = guards.issue_refusal(person)
    if refused or person is None:
        raise PermissionError(refused)
    item = AssessmentItem(year=year, issuer=person.unit, created_by=person)
    parsed = _fill(
        item,
        name=name,
        target=target,
        indicators=indicators,
        basis=basis,
        one_vote_veto=one_vote_veto,
        veto_authorization=veto_authorization,
    )
    with transaction.atomic():
        item.save()
        _write_indicators(item, parsed)
        audit(actor=by, verb="assessment.item.create", obj=item, after=_snap(item))
    return item


def _require_issuer_staff(person: Person | None, item: AssessmentItem) -> Person:
    if person is None or person.unit_id != item.issuer_id:
        raise PermissionError(_("只有组织单位的人员可以修改或报批本事项"))
    return person


def item_update(
    *,
    item: AssessmentItem,
    person: Person | None,
    name: str,
    target: str,
    indicators,
    basis: str = "",
    one_vote_veto: bool = False,
    veto_authorization: VetoAuthorization | None = None,
    by,
) -> AssessmentItem:
    """Change a draft (or a rejected item, which goes back to draft). Once submitted or approved
    the indicators are frozen (S6: no additions or changes at will)."""
    _require_issuer_staff(person, item)
    with transaction.atomic():
        # locked, so a submission at the same moment cannot slip in between check and write
        item = AssessmentItem.objects.select_for_update().get(pk=item.pk)
        if item.status not in EDITABLE:
            raise _frozen(item)
        before = _snap(item)
        parsed = _fill(
            item,
            name=name,
            target=target,
            indicators=indicators,
            basis=basis,
            one_vote_veto=one_vote_veto,
            veto_authorization=veto_authorization,
        )
        item.status = ItemStatus.DRAFT
        item.save()
        _write_indicators(item, parsed)
        audit(actor=by, verb="assessment.item.update", obj=item, before=before, after=_snap(item))
    return item


def _set_status(item: AssessmentItem, frm, to: str, by, verb: str, **fields) -> AssessmentItem:
    with transaction.atomic():
        updated = AssessmentItem.objects.filter(pk=item.pk, status__in=frm).update(
            status=to, **fields
        )
        if not updated:
            item.refresh_from_db()
            raise ValidationError(
                _("考核事项当前为“%(status)s”，不能进行此操作")
                % {"status": item.get_status_display()}
            )
        before = item.status
        item.refresh_from_db()
        audit(
            actor=by,
            verb=verb,
            obj=item,
            before={"status": before},
            after={"status": to, **{k: str(v) for k, v in fields.items()}},
        )
    return item


def item_submit(*, item: AssessmentItem, person: Person | None, by) -> AssessmentItem:
    _require_issuer_staff(person, item)
    return _set_status(
        item,
        [ItemStatus.DRAFT],
        ItemStatus.SUBMITTED,
        by,
        "assessment.item.submit",
        submitted_at=timezone.now(),
    )


def _indicator_rows(item: AssessmentItem) -> list[guards.IndicatorIn]:
    return [
        guards.IndicatorIn(i.name, i.points, i.method, i.power_code) for i in item.indicators.all()
    ]


def item_approve(
    *, item: AssessmentItem, person: Person | None, document: str, note: str = "", by
) -> AssessmentItem:
    """Approve: the rules are checked again (the power list may have changed since the draft),
    and the indicators are frozen by their sha256."""
    refused = guards.approve_refusal(person, item)
    if refused:
        raise PermissionError(refused)
    document = (document or "").strip()
    problems = [] if document else [_("请填写批准文号")]
    problems += _check_content(item, _indicator_rows(item), whole=item.parent_id is None)
    if problems:
        raise ValidationError(problems)
    return _set_status(
        item,
        [ItemStatus.SUBMITTED],
        ItemStatus.APPROVED,
        by,
        "assessment.item.approve",
        decided_by=person,
        decided_at=timezone.now(),
        approval_document=document[:100],
        decision_note=(note or "").strip()[:300],
        indicators_sha256=item.indicators_digest(),
    )


def item_reject(*, item: AssessmentItem, person: Person | None, note: str, by) -> AssessmentItem:
    refused = guards.approve_refusal(person, item)
    if refused:
        raise PermissionError(refused)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请写明不予批准的理由"))
    return _set_status(
        item,
        [ItemStatus.SUBMITTED],
        ItemStatus.REJECTED,
        by,
        "assessment.item.reject",
        decided_by=person,
        decided_at=timezone.now(),
        decision_note=note[:300],
    )


def item_decompose(
    *, parent: AssessmentItem, person: Person | None, name: str, indicator_ids, by
) -> AssessmentItem:
    """Split an approved item into a part carrying some of its indicators, as approved. The part
    is a draft that must be approved again; nobody but the organising unit may split an item."""
    if person is None:
        raise PermissionError(_("当前账号没有人员信息"))
    refused = guards.decompose_refusal(person, parent)
    if refused:
        raise PermissionError(refused)
    wanted = {int(pk) for pk in indicator_ids}
    chosen = [i for i in parent.indicators.all() if i.pk in wanted]
    problems = []
    if not chosen or len(chosen) != len(wanted):
        problems.append(_("分解事项只能包含上级事项中已批准的指标，不得增加"))
    name = (name or "").strip()
    if not name or len(name) > 100:
        problems.append(_("请填写考核事项名称（不超过100字）"))
    if problems:
        raise ValidationError(problems)
    rows = [guards.IndicatorIn(i.name, i.points, i.method, i.power_code) for i in chosen]
    with transaction.atomic():
        part = AssessmentItem.objects.create(
            name=name,
            year=parent.year,
            issuer=parent.issuer,
            target=parent.target,
            basis=parent.basis,
            one_vote_veto=parent.one_vote_veto,
            veto_authorization=parent.veto_authorization,
            parent=parent,
            created_by=person,
        )
        _write_indicators(part, rows)
        audit(
            actor=by,
            verb="assessment.item.decompose",
            obj=part,
            after={"parent": parent.pk, **_snap(part)},
        )
    return part


def inspections_record(
    *,
    item: AssessmentItem,
    person: Person | None,
    units,
    kind: str,
    on_date: dt.date,
    note: str = "",
    by,
) -> list[Inspection]:
    """Run an approved item: one inspection per unit, each counted against the unit's yearly
    cap and put in the unit's inbox (so it counts in the burden, S7). All or nothing."""
    if person is None or person.unit_id != item.issuer_id:
        raise PermissionError(_("只有组织单位的人员可以开展本事项的督查检查考核"))
    units = list(units)
    problems = []
    if kind not in InspectionKind.values:
        problems.append(_("方式只能是督查、检查或考核"))
    if not units:
        problems.append(_("请至少选择一个被检查单位"))
    if problems:
        raise ValidationError(problems)
    batch = uuid.uuid4().hex
    label = InspectionKind(kind).label
    # the unit receives it on that day; one recorded afterwards is not late for the unit
    due = (
        timezone.make_aware(dt.datetime.combine(on_date, dt.time(23, 59)))
        if on_date >= timezone.localdate()
        else None
    )
    with transaction.atomic():
        # Lock the units' rows so two items cannot both take a unit's last place under its cap.
        list(Unit.objects.select_for_update().filter(pk__in=[u.pk for u in units]))
        # read once for every unit: status, digest and the powers the indicators measure
        item = AssessmentItem.objects.prefetch_related("indicators").get(pk=item.pk)
        refusals = [guards.run_refusal(item, u, on_date) for u in units]
        refusals = [r for r in refusals if r]
        if refusals:
            raise ValidationError(refusals)
        made = []
        for unit in units:
            task = task_open(
                kind=TaskKind.ASSESSMENT,
                subject=f"{item.name}（{label}）",
                body=note,
                region=unit.region,
                assignee_unit=unit,
                from_unit=item.issuer,
                due_at=due,
                link=f"/assessment/{item.pk}/",
                details={"batch": batch, "sender": person.pk, "item": item.pk},
                by=by,
            )
            made.append(
                Inspection.objects.create(
                    item=item,
                    unit=unit,
                    kind=kind,
                    on_date=on_date,
                    year=on_date.year,
                    note=(note or "")[:300],
                    task=task,
                    by=person,
                )
            )
        audit(
            actor=by,
            verb="assessment.inspect",
            obj=item,
            after={"kind": kind, "on": on_date.isoformat(), "inspections": [i.pk for i in made]},
        )
    return made


def _score_snap(inspection: Inspection) -> dict | None:
    if inspection.total is None:
        return None
    return {
        "total": str(inspection.total),
        "vetoed": inspection.vetoed,
        "veto_reason": inspection.veto_reason,
        "scores": {str(s.indicator_id): [str(s.score), s.note] for s in inspection.scores.all()},
    }


def _scorable(item_pk: int) -> AssessmentItem:
    """The item with its indicators and veto authorisation, if its indicators are as approved."""
    item = (
        AssessmentItem.objects.select_related("veto_authorization")
        .prefetch_related("indicators")
        .get(pk=item_pk)
    )
    if item.indicators_intact() is False:
        raise ValidationError(
            _("考核指标与批准时不一致（批准后指标已冻结），不得评分，请联系审批单位")
        )
    return item


def _inspection_task_end(inspection: Inspection, by) -> None:
    """Once scored, the inspection is over for the unit: its 考核检查 task, if the unit has not
    marked it 已迎检 from its inbox, is closed with the result."""
    if inspection.task_id is None:
        return
    task = Task.objects.filter(pk=inspection.task_id, state=TaskState.OPEN).first()
    if task is not None:
        shown = (
            _("一票否决") if inspection.vetoed else _("%(total)s分") % {"total": inspection.total}
        )
        task_finish(
            task=task, by=by, state=TaskState.CLOSED, reason=_("已评分：%(r)s") % {"r": shown}
        )


def sweep_past_inspections(now: dt.datetime | None = None) -> int:
    """The inspection day over, the unit's part in it is done: each 考核检查 task still open past
    its day (the unit did not mark it 已迎检) is closed, "检查日已过，待评分", so that it does not
    stand 已超期 in the unit's inbox, and in the burden's overdue count, until someone scores it.
    Those recorded after the day have no due time and wait for the score as before. Returns how
    many were closed; running twice (or on two consumers at once) closes nothing more."""
    now = now or timezone.now()
    days = dict(
        Inspection.objects.filter(task__state=TaskState.OPEN, task__due_at__lt=now).values_list(
            "task_id", "on_date"
        )
    )
    closed = 0
    for task in Task.objects.filter(pk__in=days).order_by("pk"):
        reason = f"检查日（{days[task.pk]:%Y-%m-%d}）已过，待评分"
        task = task_finish(task=task, by=None, state=TaskState.CLOSED, reason=reason)
        closed += task.state == TaskState.CLOSED  # not if another consumer closed it first
    return closed


def _score(
    inspection_pk: int,
    item: AssessmentItem,
    scores,
    vetoed,
    veto_reason,
    person,
    by,
    *,
    reviewing: bool = False,
):
    """Check and write one inspection's result (in the caller's transaction). While a review
    (复核) is open, only its decision (`reviewing`) may change the result."""
    # lock the row alone: PostgreSQL refuses FOR UPDATE over a nullable join
    inspection = Inspection.objects.select_for_update().get(pk=inspection_pk)
    appealed = None if reviewing else guards.rescore_refusal(inspection)
    if appealed:
        raise ValidationError(appealed)
    veto_reason = (veto_reason or "").strip()
    rows, problems = guards.parse_scores(list(item.indicators.all()), scores)
    if vetoed:
        veto = (
            guards.veto_refusal(item, inspection.on_date)
            if item.one_vote_veto
            else _("本事项不是一票否决事项，不能否决")
        )
        if veto:
            problems.append(veto)
        if not veto_reason:
            problems.append(_("一票否决须写明理由"))
    if problems:
        raise ValidationError(problems)
    before = _score_snap(inspection)
    inspection.scores.all().delete()
    IndicatorScore.objects.bulk_create(
        IndicatorScore(inspection=inspection, indicator=ind, score=score, note=note)
        for ind, score, note in rows
    )
    inspection.total = sum((score for _ind, score, _note in rows), Decimal(0)).quantize(
        Decimal("0.1")
    )
    inspection.vetoed = bool(vetoed)
    inspection.veto_reason = veto_reason[:300] if vetoed else ""
    inspection.scored_by = person
    inspection.scored_at = timezone.now()
    inspection.save(update_fields=["total", "vetoed", "veto_reason", "scored_by", "scored_at"])
    _inspection_task_end(inspection, by)
    audit(
        actor=by,
        verb="assessment.score",
        obj=inspection,
        before=before,
        after=_score_snap(inspection),
    )
    return inspection


def inspection_score(
    *,
    inspection: Inspection,
    person: Person | None,
    scores,
    vetoed: bool = False,
    veto_reason: str = "",
    by,
) -> Inspection:
    """Record the result of an inspection: a score for every indicator of the item as approved
    (all or none), and, for a one-vote-veto item whose authorisation is in force on the day,
    whether the veto applies. Scoring again replaces the result; the audit log keeps the old."""
    refusal = guards.score_refusal(person, inspection.item)
    if refusal:
        raise PermissionError(refusal)
    with transaction.atomic():
        item = _scorable(inspection.item_id)
        return _score(inspection.pk, item, scores, vetoed, veto_reason, person, by)


def results_import(
    *, item: AssessmentItem, person: Person | None, filename: str, data: bytes, by
) -> int:
    """Score many inspections from the item's results sheet (results.xlsx filled in): one row
    per inspection by its 编号, one column per indicator. Rows with no score are left as they
    are; any other row that breaks a rule refuses the whole file, with its row number."""
    refusal = guards.score_refusal(person, item)
    if refusal:
        raise PermissionError(refusal)
    header, records = guards.read_upload(filename, data)
    # the sheet's own headers are in the language it was exported in
    named = {str(_(h)): h for h in (RESULT_ID, RESULT_VETO, RESULT_VETO_REASON)}
    header = [named.get(h, h) for h in header]
    records = [{named.get(k, k): v for k, v in r.items()} for r in records]
    columns = {indicator_header(i): i for i in item.indicators.all()}
    missing = [str(_(h)) if h == RESULT_ID else h for h in (RESULT_ID, *columns) if h not in header]
    if missing:
        raise ValidationError(
            _("表格缺少列：%(cols)s（请先导出考核结果，在其中填写得分）")
            % {"cols": "、".join(missing)}
        )
    inspections = {x.pk: x for x in item.inspections.select_related("unit")}
    problems: list[str] = []
    scored = 0
    with transaction.atomic():
        item = _scorable(item.pk)  # read once for every row
        for n, row in enumerate(records, 2):
            cells = {h: row.get(h) for h in columns}
            veto = str(row.get(RESULT_VETO) or "").strip()
            if all(v in (None, "") for v in cells.values()) and not veto:
                continue
            where = _("第%(n)d行") % {"n": n}
            try:
                inspection = inspections[int(str(row.get(RESULT_ID)).strip())]
            except (KeyError, ValueError):
                problems.append(
                    _("%(where)s：编号“%(id)s”不是本事项的督查检查考核")
                    % {"where": where, "id": row.get(RESULT_ID)}
                )
                continue
            try:
                _score(
                    inspection.pk,
                    item,
                    [
                        {"indicator": i.pk, "score": "" if v is None else v}
                        for i, v in zip(columns.values(), cells.values(), strict=True)
                    ],
                    veto in ("是", "Y", "y", "yes", "Yes", "1", "√"),
                    str(row.get(RESULT_VETO_REASON) or ""),
                    person,
                    by,
                )
            except ValidationError as exc:
                problems += [f"{where}（{inspection.unit.name}）：{m}" for m in exc.messages]
            else:
                scored += 1
        if not problems and not scored:
            problems.append(_("表格中没有填写任何得分"))
        if problems:
            raise ValidationError(problems)  # and nothing written: the transaction rolls back
        audit(
            actor=by,
            verb="assessment.results.import",
            obj=item,
            after={"file": filename, "sha256": hashlib.sha256(data).hexdigest(), "rows": scored},
        )
    return scored


# ---- review of a result (复核) -------------------------------------------------------------


def _appeal_snap(appeal: Appeal) -> dict:
    return {
        "inspection": appeal.inspection_id,
        "status": appeal.status,
        "indicators": sorted(i.pk for i in appeal.indicators.all()),
        "reasons": appeal.reasons,
        "total_before": str(appeal.total_before),
        "total_after": None if appeal.total_after is None else str(appeal.total_after),
        "decision": appeal.decision,
        "withdraw_reason": appeal.withdraw_reason,
    }


def late_key(appeal: Appeal) -> str:
    """The source-key prefix of the 督办 reminders of a review decided late (one per leader)."""
    return f"assessment:appeal:{appeal.pk}:late:"


def request_tasks_finish(appeal: Appeal, *, by, state: str, reason: str) -> None:
    """The review leaves the organiser's inbox: the request and any 督办 reminder of it."""
    tasks_finish_by_source(
        source_key=f"assessment:appeal:{appeal.pk}", by=by, state=state, reason=reason
    )
    tasks_finish_by_source(
        source_key=late_key(appeal), prefix=True, by=by, state=state, reason=reason
    )


def _ids(values) -> set[int]:
    """The numbers given; one that is no number becomes -1, which names no indicator, so it is
    refused as not of this item."""
    return {-1 if (pk := int_or_none(v)) is None else pk for v in values}


def _appeal_link(inspection: Inspection) -> str:
    return reverse("assessment:inspection", args=[inspection.pk])


def appeal_create(
    *, inspection: Inspection, person: Person | None, indicator_ids, reasons: str, by
) -> Appeal:
    """The inspected unit asks the organising unit to review its scored result (复核), naming the
    indicators it contests and why, within the time limit after scoring, once per inspection.
    The request lands in the organising unit's inbox, due within the time limit for deciding."""
    refused = guards.appeal_person_refusal(person, inspection)
    if refused or person is None:
        raise PermissionError(refused)
    reasons = (reasons or "").strip()
    wanted = _ids(indicator_ids)
    by_pk = {i.pk: i for i in Indicator.objects.filter(item_id=inspection.item_id)}
    problems = []
    if not wanted:
        problems.append(_("请选择有异议的指标"))
    elif not wanted <= by_pk.keys():
        problems.append(_("所选指标不属于本考核事项"))
    if not reasons:
        problems.append(_("请写明申请复核的理由"))
    elif len(reasons) > 2000:
        problems.append(_("申请理由不能超过2000字"))
    with transaction.atomic():
        # the row locked: a score or another request at the same moment waits for this one
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        now = timezone.now()
        late = guards.appeal_time_refusal(inspection, now)
        if late or problems or inspection.total is None:
            raise ValidationError(([late] if late else []) + problems)
        item = AssessmentItem.objects.select_related("issuer__region").get(pk=inspection.item_id)
        unit = Unit.objects.get(pk=inspection.unit_id)
        due = add_working_days(now, guards.appeal_limits(timezone.localdate(now)).decide_days)
        appeal = Appeal.objects.create(
            inspection=inspection,
            reasons=reasons,
            by=person,
            due_at=due,
            total_before=inspection.total,
        )
        appeal.indicators.set([by_pk[pk] for pk in sorted(wanted)])
        appeal.task = task_open(
            kind=TaskKind.OTHER,
            subject=f"复核申请：{item.name} · {unit.name}",
            body=reasons,
            region=item.issuer.region,
            assignee_unit=item.issuer,
            from_unit=unit,
            due_at=due,
            link=_appeal_link(inspection),
            source_key=f"assessment:appeal:{appeal.pk}",
            details={"appeal": appeal.pk, "inspection": inspection.pk, "item": item.pk},
            by=by,
        )
        appeal.save(update_fields=["task"])
        audit(actor=by, verb="assessment.appeal.create", obj=appeal, after=_appeal_snap(appeal))
    return appeal


def _scores_only(snap: dict | None) -> tuple:
    """What a change must change: the scores and the veto (not only the notes)."""
    snap = snap or {}
    return snap.get("vetoed"), {k: v[0] for k, v in (snap.get("scores") or {}).items()}


def _decision_problems(outcome: str, decision: str) -> list[str]:
    problems = []
    if outcome not in (AppealStatus.UPHELD, AppealStatus.CHANGED):
        problems.append(_("复核决定只能是维持或变更"))
    if not decision:
        problems.append(_("请写明复核意见（维持或变更的理由）"))
    elif len(decision) > 500:
        problems.append(_("复核意见不能超过500字"))
    return problems


def appeal_decide(
    *,
    appeal: Appeal,
    person: Person | None,
    outcome: str,
    decision: str,
    scores=(),
    vetoed: bool = False,
    veto_reason: str = "",
    by,
) -> Appeal:
    """The organising unit decides a review: 维持 (the result stands) or 变更 (new scores, which
    go through the ordinary scoring with all its rules; the audit log keeps the old result).
    Either way with its reason; the request leaves the organiser's inbox and the appealing unit
    finds the decision in its own."""
    inspection = Inspection.objects.select_related("item__issuer", "unit__region").get(
        pk=appeal.inspection_id
    )
    refusal = guards.score_refusal(person, inspection.item)
    if refusal:
        raise PermissionError(refusal)
    decision = (decision or "").strip()
    problems = _decision_problems(outcome, decision)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        closed = guards.appeal_closed(appeal)
        if closed:
            raise ValidationError(closed)
        before = _appeal_snap(appeal)
        total = inspection.total
        if outcome == AppealStatus.CHANGED:
            old = _scores_only(_score_snap(inspection))
            item = _scorable(inspection.item_id)
            done = _score(
                inspection.pk, item, scores, vetoed, veto_reason, person, by, reviewing=True
            )
            if _scores_only(_score_snap(done)) == old:
                raise ValidationError(_("变更后的评分与原评分相同；不作变更请选择维持"))
            total = done.total
        appeal.status, appeal.decision, appeal.total_after = outcome, decision, total
        appeal.decided_by, appeal.decided_at = person, timezone.now()
        appeal.save(update_fields=["status", "decision", "total_after", "decided_by", "decided_at"])
        label = AppealStatus(outcome).label
        request_tasks_finish(appeal, by=by, state="done", reason=f"复核已办结：{label}")
        task_open(
            kind=TaskKind.NOTICE,
            subject=f"复核结果：{inspection.item.name}（{label}，{total}分）",
            body=decision,
            region=inspection.unit.region,
            assignee_unit=inspection.unit,
            from_unit=inspection.item.issuer,
            link=_appeal_link(inspection),
            source_key=f"assessment:appeal:{appeal.pk}:result",
            details={"appeal": appeal.pk, "inspection": inspection.pk, "outcome": outcome},
            by=by,
        )
        audit(
            actor=by,
            verb="assessment.appeal.decide",
            obj=appeal,
            before=before,
            after=_appeal_snap(appeal),
        )
    return appeal


def cap_set(
    *, region: Region, year: int, target: str, limit: int, document: str, person, by
) -> InspectionCap:
    """Set (or change) a region's yearly cap on inspections per unit."""
    if not guards.manages(person, region):
        raise PermissionError(_("只有本地区的县级管理员、考核人员或平台管理员可以设定年度上限"))
    problems = []
    if region.level not in guards.UPPER_LEVELS:
        problems.append(_("年度上限由县级及以上设定"))
    if target not in Target.values:
        problems.append(_("考核对象只能是乡镇（街道）或基层站所"))
    if not isinstance(limit, int) or not (0 <= limit <= 365):
        problems.append(_("年度上限须为0至365之间的整数"))
    document = (document or "").strip()
    if not document:
        problems.append(_("请填写依据文件"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        old = InspectionCap.objects.filter(region=region, year=year, target=target).first()
        cap, _made = InspectionCap.objects.update_or_create(
            region=region,
            year=year,
            target=target,
            defaults={"limit": limit, "document": document[:200]},
        )
        audit(
            actor=by,
            verb="assessment.cap.set",
            obj=cap,
            before={"limit": old.limit, "document": old.document} if old else None,
            after={"limit": limit, "document": cap.document},
        )
    return cap


def veto_authorization_add(
    *,
    matter: str,
    authority: str,
    document: str,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    person,
    by,
) -> VetoAuthorization:
    """Record a matter the law or the province allows a one-vote veto on (platform admins)."""
    if person is None or not person.has_role(Role.PLATFORM_ADMIN):
        raise PermissionError(_("一票否决授权由平台管理员依据法律法规和省级文件登记"))
    fields = {"matter": matter, "authority": authority, "document": document}
    fields = {k: (v or "").strip() for k, v in fields.items()}
    problems = [_("请填写事项、设定机关和依据文件")] if not all(fields.values()) else []
    if effective_to is not None and effective_to < effective_from:
        problems.append(_("失效日期不能早于生效日期"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        auth = VetoAuthorization.objects.create(
            **fields, effective_from=effective_from, effective_to=effective_to
        )
        audit(actor=by, verb="assessment.veto.add", obj=auth, after=fields)
    return auth


def veto_authorization_end(
    *, authorization: VetoAuthorization, effective_to: dt.date, person, by
) -> VetoAuthorization:
    """End an authorisation (the document was repealed or replaced): items relying on it may not
    apply a veto, nor run, after that day."""
    if person is None or not person.has_role(Role.PLATFORM_ADMIN):
        raise PermissionError(_("一票否决授权由平台管理员依据法律法规和省级文件登记"))
    with transaction.atomic():
        auth = VetoAuthorization.objects.select_for_update().get(pk=authorization.pk)
        if effective_to < auth.effective_from:
            raise ValidationError(_("失效日期不能早于生效日期"))
        before = {"effective_to": auth.effective_to.isoformat() if auth.effective_to else None}
        auth.effective_to = effective_to
        auth.save(update_fields=["effective_to"])
        audit(
            actor=by,
            verb="assessment.veto.end",
            obj=auth,
            before=before,
            after={"effective_to": effective_to.isoformat()},
        )
    return auth


# ---- two-way evaluation (县乡双向考核评议, S4) ---------------------------------------------------


def round_open(*, county: Region, year: int, direction: str, person, by) -> EvaluationRound:
    """Open a year's evaluation in one direction for a county (its administrators or assessors)."""
    if county.level != Level.COUNTY:
        raise ValidationError(_("双向考核评议以县（区）为单位开展"))
    if not guards.manages(person, county):
        raise PermissionError(_("只有本县（区）的县级管理员或考核人员可以发起双向考核评议"))
    if direction not in Direction.values:
        raise ValidationError(_("评议方向只能是县评乡或乡评县"))
    try:
        with transaction.atomic():
            rnd = EvaluationRound.objects.create(
                county=county, year=year, direction=direction, opened_by=person
            )
            audit(
                actor=by,
                verb="assessment.round.open",
                obj=rnd,
                after={"county": county.code, "year": year, "direction": direction},
            )
    except IntegrityError:
        raise ValidationError(
            _("%(county)s %(year)d年度的这一方向评议已经发起")
            % {"county": county.name, "year": year}
        ) from None
    return rnd


def round_close(*, rnd: EvaluationRound, person, by) -> EvaluationRound:
    if not may_close(person, rnd):
        raise PermissionError(_("只有发起人可以结束评议"))
    with transaction.atomic():
        if not EvaluationRound.objects.filter(pk=rnd.pk, status=RoundStatus.OPEN).update(
            status=RoundStatus.CLOSED, closed_at=timezone.now()
        ):
            raise ValidationError(_("评议已经结束"))
        rnd.refresh_from_db()
        audit(actor=by, verb="assessment.round.close", obj=rnd, after={"status": rnd.status})
    return rnd


def evaluations_submit(*, rnd: EvaluationRound, person, scores, by) -> list[Evaluation]:
    """A rater unit's scores (0–100) of ratee units, as (ratee, score, comment): all kept or
    none. Scoring again while the round is open replaces a score; the audit log keeps the old."""
    if rnd.status != RoundStatus.OPEN:
        raise ValidationError(_("评议已经结束，不能再提交"))
    raters, ratees = raters_and_ratees(rnd)
    rater = person.unit if person is not None else None
    if (
        rater is None
        or rater.pk not in {u.pk for u in raters}
        or not person.has_role(*guards.UNIT_ROLES)
    ):
        raise PermissionError(
            _("您所在单位不是本次评议的评议单位，或您不是单位的分管领导、县级管理员或考核人员")
        )
    allowed_ids = {u.pk for u in ratees}
    clean, problems = [], []
    for ratee, score, comment in scores:
        if ratee.pk not in allowed_ids:
            problems.append(_("%(unit)s不是本次评议的被评议单位") % {"unit": ratee.name})
            continue
        try:
            value = int(str(score).strip())
        except (TypeError, ValueError):
            value = -1
        comment = (comment or "").strip()
        if not (0 <= value <= 100):
            problems.append(_("%(unit)s：得分须为0至100之间的整数") % {"unit": ratee.name})
        elif len(comment) > 300:
            problems.append(_("%(unit)s：意见不能超过300字") % {"unit": ratee.name})
        else:
            clean.append((ratee, value, comment))
    if not scores:
        problems.append(_("请至少为一个单位打分"))
    if problems:
        raise ValidationError(problems)
    rows = []
    with transaction.atomic():
        for ratee, value, comment in clean:
            old = Evaluation.objects.filter(round=rnd, rater=rater, ratee=ratee).first()
            row, _made = Evaluation.objects.update_or_create(
                round=rnd,
                rater=rater,
                ratee=ratee,
                defaults={
                    "score": value,
                    "comment": comment,
                    "by": person,
                    "submitted_at": timezone.now(),
                },
            )
            audit(
                actor=by,
                verb="assessment.evaluate",
                obj=row,
                before={"score": old.score, "comment": old.comment} if old else None,
                after={"score": value, "comment": comment},
            )
            rows.append(row)
    return rows


# the later writes, each in its own module (re-exported: callers use `actions.<name>`)
from .appeal_end import appeal_withdraw as appeal_withdraw  # noqa: E402
from .appeal_end import sweep_late_appeals as sweep_late_appeals  # noqa: E402
from .notice import notice_issue as notice_issue  # noqa: E402
