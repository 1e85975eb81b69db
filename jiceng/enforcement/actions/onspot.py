"""简易程序: the on-the-spot penalty decision (《行政处罚法》第五十一、五十二条) and its 备案.

On the spot two enforcement officers show their credentials, tell the party the facts, grounds
and basis, hear what the party states in defence, fill in a numbered 当场处罚决定书 and hand it over
at once: the case is recorded already served (送达), its 15 days to pay running, and lands in the
inbox of the township's leaders in charge for 备案 (第五十二条第三款). 备案 finishes those tasks;
a case closed before anyone recorded it finishes them too, and its close note says so.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.audit import audit, snapshot
from jiceng.org.models import Person, Region, Role
from jiceng.powers.models import PowerItem
from jiceng.workload.actions import task_open, tasks_finish_by_source
from jiceng.workload.models import TaskKind

from .. import clocks, onspot, review
from ..content import penalty_parse
from ..errors import Conflict, Invalid
from ..models import Outcome, PartyKind, PenaltyCase, Procedure, State
from .base import _actor, _ground, _moment, _move, _record, _required, _when, two_officers
from .opening import _check_open, _insert, party_address_clean, penalty_route


def filing_key(pc: PenaltyCase) -> str:
    return f"enforcement:{pc.pk}:summary-filing:"


def _check_route(power: PowerItem, township: Region, act_date: dt.date):
    route = penalty_route(power, township, act_date)
    if route.approval_required:
        raise Conflict(
            _("%(explanation)s：须报区级审批的案件不能当场处罚，请按普通程序立案")
            % {"explanation": route.explanation}
        )
    return route


def _check_not_major(pc: PenaltyCase, penalty) -> None:
    """An on-the-spot amount is far below any 重大 threshold; a region that set one lower than
    the on-the-spot limit is told so rather than bypassed (第五十八条 would need 法制审核)."""
    reasons = review.major_reasons(pc, penalty)
    if reasons:
        raise Conflict(
            _("本案属于重大执法决定（%(why)s），不能当场处罚")
            % {"why": "；".join(text for _code, text in reasons)}
        )


def _decision_text(penalty, names: Sequence[str]) -> str:
    fine = f"罚款人民币{penalty.fine}元" if penalty.fine is not None else ""
    what = "、".join(filter(None, ["警告" if "warning" in penalty.kinds else "", fine]))
    return f"当场作出行政处罚决定：{what}（执法人员：{'、'.join(names)}）"


def penaltycase_decide_on_spot(
    *,
    power: PowerItem,
    township: Region,
    party_name: str,
    party_kind: str = PartyKind.INDIVIDUAL,
    party_address: str = "",
    facts: str,
    kinds: Iterable[str],
    fine_amount=None,
    statement: str,
    statement_heard: bool,
    officers: Iterable[int],
    place: str,
    at: dt.datetime | None = None,
    act_date: dt.date | None = None,
    by,
) -> PenaltyCase:
    """当场处罚: validated first, then the case is written already served (送达 on the spot)."""
    now = timezone.now()
    at = _moment(at, now, _("当场处罚时间"))
    act_date = act_date or timezone.localtime(at).date()
    if act_date > timezone.localtime(at).date():
        raise Invalid(_("违法行为发生日不能晚于当场处罚时间"))
    if power.power_type != "penalty":
        raise Invalid(_("「%(power)s」不是行政处罚事项，不能当场处罚") % {"power": power.name})
    unit = _check_open(power, township, act_date, act_date, party_name, by)
    party_kind = _ground(party_kind, PartyKind, _("当事人类型须为公民或法人或者其他组织"))
    party_address = party_address_clean(party_address)
    facts = _required(facts, _("请填写违法事实（当场处罚须违法事实确凿）"))
    kinds = list(kinds)
    reason = onspot.kinds_refusal(kinds)
    if reason:
        raise Invalid(reason)
    penalty = penalty_parse(kinds, fine_amount, None, power_type=power.power_type)
    reason = onspot.refusal(penalty, party_kind, act_date)
    if reason:
        raise Invalid(reason)
    statement = _required(statement, _("请填写当事人的陈述、申辩（无异议的，填写“当事人无异议”）"))
    if not statement_heard:
        raise Invalid(_("须当场听取当事人的陈述、申辩（《行政处罚法》第五十二条）"))
    place = _required(place, _("请填写当场处罚的地点"))
    team = two_officers(township, officers, _("当场处罚"))
    route = _check_route(power, township, act_date)
    pc = PenaltyCase(
        power=power,
        township=township,
        act_date=act_date,
        discovered_on=act_date,
        party_name=party_name.strip()[:100],
        party_kind=party_kind,
        party_address=party_address,
        facts=facts,
        handling_unit=unit,
        holder_explanation=route.explanation[:500],
        delegation=route.delegation,
        procedure=Procedure.SUMMARY,
        state=State.SERVED,
        outcome=Outcome.PENALTY,
        decision=_decision_text(penalty, [p.name for p in team]),
        penalty_kinds=list(penalty.kinds),
        fine_amount=penalty.fine,
        place=place[:200],
        statement=statement,
        statement_heard=True,
        filed_at=at,
        decided_at=at,
        served_at=at,
        execute_due_at=clocks.deadline("performance", at),
        created_by=_actor(by),
    )
    _check_not_major(pc, penalty)
    return _save_on_spot(pc, team, penalty, at, by)


def _save_on_spot(pc: PenaltyCase, team: list[Person], penalty, at: dt.datetime, by) -> PenaltyCase:
    with transaction.atomic():
        _insert(pc)
        pc.officers.set(team)
        data = {
            **penalty.data(),
            "officers": [p.name for p in team],
            "place": pc.place,
            "statement": pc.statement,
            "at": _when(at),
        }
        _record(pc, "on_spot", by, frm="", note=pc.decision, data=data)
        _open_filing_tasks(pc, by)
        audit(
            actor=_actor(by),
            verb="enforcement.on_spot",
            obj=pc,
            after={**snapshot(pc), "officers": data["officers"]},
        )
    return pc


def _open_filing_tasks(pc: PenaltyCase, by) -> None:
    """备案 (第五十二条第三款): each leader in charge (分管领导) of the township has it in the inbox."""
    leaders = Person.objects.filter(
        region__code__startswith=pc.township.code, role_grants__role=Role.LEADER
    ).distinct()
    for person in leaders:
        task_open(
            kind=TaskKind.OTHER,
            subject=f"简易程序处罚备案：{pc.code}",
            region=pc.township,
            by=_actor(by),
            assignee_person=person,
            from_unit=pc.handling_unit,
            body=f"{pc.party_name}：{pc.decision}",
            link=reverse("enforcement:detail", args=[pc.code]),
            source_key=f"{filing_key(pc)}{person.pk}",
            details={"penalty_case": pc.code},
        )


def penaltycase_file_summary(*, penalty_case: PenaltyCase, note: str = "", by) -> PenaltyCase:
    """备案 of an on-the-spot decision by a leader in charge of the township: recorded once."""

    def filed(pc, now):
        pc.summary_filed_at = now
        tasks_finish_by_source(
            source_key=filing_key(pc), by=_actor(by), reason="已备案", prefix=True
        )

    return _move(
        penalty_case, "file_summary", by, note=note or "已备案", apply=filed, transition=False
    )


def close_unfiled(pc: PenaltyCase, by) -> None:
    """At 结案 a summary case nobody recorded 备案 for takes the task out of the inbox."""
    if pc.summary and pc.summary_filed_at is None:
        tasks_finish_by_source(
            source_key=filing_key(pc), by=_actor(by), reason="结案时尚未备案", prefix=True
        )
