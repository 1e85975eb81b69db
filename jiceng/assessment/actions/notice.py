"""Issuing the 通报 of an item's ranking: its 文号 and date are fixed, and each ranked unit finds
its own place and score (never another unit's) in its inbox."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit
from jiceng.org.models import Person
from jiceng.workload.actions import task_open
from jiceng.workload.models import TaskKind

from .. import guards
from ..models import AssessmentItem, Inspection, Notice
from ..selectors import ranking


def _rank_rows(board: dict) -> list[dict]:
    return [
        {
            "inspection": x.pk,
            "unit": x.unit_id,
            "rank": r["rank"],
            "total": str(x.total),
            "vetoed": x.vetoed,
        }
        for r in board["rows"]
        for x in [r["inspection"]]
    ]


def _tell(notice: Notice, item: AssessmentItem, board: dict, by) -> int:
    """Each ranked inspection's unit: its own place among all, its score, the 文号 and date."""
    day = f"{notice.issued_on:%Y-%m-%d}"
    for r in board["rows"]:
        x = r["inspection"]
        score = f"{x.total.normalize():f}分" + ("（一票否决）" if x.vetoed else "")
        task_open(
            kind=TaskKind.NOTICE,
            subject=f"考核结果通报：{item.name}，第{r['rank']}名（共{board['ranked']}个），{score}",
            body=(
                f"{item.issuer.name}于{day}印发考核结果通报（{notice.document}）。"
                f"{x.unit.name}（{x.on_date:%Y-%m-%d} {x.get_kind_display()}）"
                f"得分{score}，在本事项全部{board['ranked']}个已评分结果中排第{r['rank']}名。"
            ),
            region=x.unit.region,
            assignee_unit=x.unit,
            from_unit=item.issuer,
            link=reverse("assessment:inspection", args=[x.pk]),
            source_key=f"assessment:notice:{notice.pk}:{x.pk}",
            details={"notice": notice.pk, "item": item.pk, "inspection": x.pk, "rank": r["rank"]},
            by=by,
        )
    return len(board["rows"])


def notice_issue(*, item: AssessmentItem, person: Person | None, document: str, by) -> Notice:
    """An organiser issues the 通报 of its item's ranking, once, with its 文号, dated today:
    refused while a review is open (the ranking is then provisional). Each ranked unit is told
    its own place and score in its inbox."""
    refused = guards.notice_refusal(person, item)
    if refused or person is None:
        raise PermissionError(refused)
    document = (document or "").strip()
    if not document:
        raise ValidationError(_("请填写通报文号"))
    if len(document) > 100:
        raise ValidationError(_("通报文号不能超过100字"))
    try:
        with transaction.atomic():
            item = AssessmentItem.objects.select_for_update().get(pk=item.pk)
            # the inspections locked too: a review asked at this moment waits, then sees the 通报
            list(Inspection.objects.select_for_update().filter(item=item).values_list("pk"))
            board = ranking(item, person.user)
            issued = Notice.objects.filter(item=item).first()
            problems = guards.notice_state_refusals(item, board, issued)
            if problems:
                raise ValidationError(problems)
            notice = Notice.objects.create(
                item=item,
                document=document,
                issued_on=timezone.localdate(),
                issued_by=person,
                ranks=_rank_rows(board),
            )
            sent = _tell(notice, item, board, by)
            audit(
                actor=by,
                verb="assessment.notice.issue",
                obj=notice,
                after={
                    "item": item.pk,
                    "document": document,
                    "issued_on": notice.issued_on.isoformat(),
                    "ranks": notice.ranks,
                    "sent": sent,
                },
            )
    except IntegrityError as exc:  # another 通报 of the item committed first
        raise ValidationError(_("本事项的考核结果已经通报，不能重复印发")) from exc
    return notice
