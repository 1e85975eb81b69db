"""Reads of the penalty procedure, each limited to the caller's area (404 outside it), and the
answers to "may this person take this step now, and if not, why"."""

import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from jiceng.org.models import Level, Region, code_prefixes, township_code
from jiceng.org.scope import person_of, region_q, scope_code
from jiceng.powers.models import Delegation, ItemStatus, PowerItem

from . import clocks, guards, hearing, payment, review, thresholds
from .errors import Conflict, EnforcementError, Forbidden
from .models import (
    ENDED,
    ENFORCEABLE_TYPES,
    STEP_LABEL,
    AmountThreshold,
    Deferral,
    Evidence,
    PartyKind,
    PenaltyCase,
    PenaltyStep,
    State,
    ThresholdName,
)

TRANSITIONS = [
    "investigate",
    "notify",
    "submit",
    "approve",
    "reject",
    "decide",
    "no_penalty",
    "cancel",
    "serve",
    "execute",
    "close",
]
# Steps the leader (行政机关负责人) takes.
LEADER_STEPS = ("decide", "no_penalty", "cancel", "close", "extend", "defer_payment")
# Before the decision the officer may still order the work stopped (责令停止).
STOP_STATES = [State.FILED, State.INVESTIGATING, State.NOTIFIED, State.AWAITING_APPROVAL]
# States in which a decision is still to come.
UNDECIDED = [*STOP_STATES, State.APPROVED]
REVIEW_STATES = [s for s in UNDECIDED if s != State.FILED]
# Steps that record something without moving the case, then the transitions: the page's order.
RECORDS = [
    "order_stop",
    "statement",
    "hearing_request",
    "hearing_notice",
    "hearing_hold",
    "hearing_report",
    "hearing_withdraw",
    "extend",
    "mark_major",
    "legal_review",
    "file_summary",
    "defer_payment",
    "pay_instalment",
    "hand_in",
]
# A hearing is asked for, held or withdrawn after 告知 and before the decision.
HEARING_STATES = [State.NOTIFIED, State.AWAITING_APPROVAL, State.APPROVED]
STEPS = [*RECORDS, *TRANSITIONS]


def penalty_cases_for(user, state: str | None = None) -> QuerySet[PenaltyCase]:
    qs = PenaltyCase.objects.filter(region_q(user, "township")).select_related(
        "power", "township", "handling_unit", "approval_unit", "case"
    )
    if state == "open":
        qs = qs.exclude(state__in=ENDED)
    elif state:
        qs = qs.filter(state=state)
    return qs.order_by("-filed_at", "-id")


def penalty_case_get_for(user, code: str) -> PenaltyCase:
    pc = penalty_cases_for(user).filter(code=code).first()
    if pc is None:
        raise Http404(_("未找到该执法案件，或不在您的管辖范围内"))
    return pc


def evidence_get_for(user, code: str, pk: int) -> Evidence:
    pc = penalty_case_get_for(user, code)
    ev = pc.evidence.filter(pk=pk).select_related("captured_by").first()
    if ev is None:
        raise Http404(_("未找到该证据"))
    return ev


def steps_of(pc: PenaltyCase) -> QuerySet[PenaltyStep]:
    return pc.steps.order_by("seq")


def evidence_of(pc: PenaltyCase) -> QuerySet[Evidence]:
    return pc.evidence.select_related("captured_by", "uploaded_by").order_by("captured_at", "id")


def evidence_verify(ev: Evidence) -> bool:
    """Hash the stored file again: True when it still has the SHA-256 taken at upload."""
    digest = hashlib.sha256()
    with ev.file.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest() == ev.sha256


def enforceable_powers(township: Region) -> QuerySet[PowerItem]:
    """Penalty and coercion powers a township may open a procedure for: handed to it at some time
    (the holder on the act's date decides whether the district must approve), or its own."""
    handed = Delegation.objects.filter(target__code__in=code_prefixes(township.code)).values(
        "power"
    )
    return PowerItem.objects.filter(
        Q(pk__in=handed) | Q(default_level=Level.TOWNSHIP),
        power_type__in=ENFORCEABLE_TYPES,
        status=ItemStatus.ACTIVE,
    ).order_by("code")


# ---- may this person take this step now? ---------------------------------------------------


def _condition_message(pc: PenaltyCase, name: str) -> str:
    if name == "notify" and not guards.no_hearing_asked(pc):
        return _("当事人已要求听证，不能重新告知")
    if name in ("decide", "no_penalty") and not guards.hearing_reported(pc):
        return _(
            "已举行听证：须先由听证主持人作出听证报告，再根据听证笔录作出决定"
            "（《行政处罚法》第六十五条）"
        )
    if name == "decide" and pc.hearing_pending:
        return _(
            "当事人已要求听证：须举行听证或当事人撤回申请后方可作出决定（《行政处罚法》第六十三条）"
        )
    if name == "notify":
        return _(
            "尚无证据，不能告知：请先上传证据（《行政处罚法》第四十条：证据不足的，不得给予行政处罚）"
        )
    if name == "submit":
        return _("违法行为发生时乡镇已承接该权力，本案由乡镇自行决定，无需报区级审批")
    if name in ("decide", "no_penalty"):
        return _("本案须经%(unit)s审批后方可作出处罚决定：%(explanation)s") % {
            "unit": _approver_name(pc),
            "explanation": pc.holder_explanation,
        }
    if name == "close" and not guards.handed_in(pc):
        return _("当场收缴的罚款尚未交至行政机关（《行政处罚法》第七十一条）：请先登记交款，再结案")
    if name == "close":
        return _("处罚决定尚未执行完毕，不能结案")
    if name == "execute":
        return _("不予处罚的案件无需执行")
    return _("条件未满足，不能%(step)s") % {"step": STEP_LABEL.get(name, name)}


def _approver_name(pc: PenaltyCase) -> str:
    return pc.approval_unit.name if pc.approval_unit is not None else _("区级原实施单位")


def _permission_message(pc: PenaltyCase, name: str) -> str:
    label = STEP_LABEL.get(name, name)
    if name in ("approve", "reject"):
        if not pc.approval_required:
            return _("本案无需区级审批")
        return _("只有%(unit)s（违法行为发生时的权力行使单位）的人员可以审批本案") % {
            "unit": _approver_name(pc)
        }
    if name == "mark_major":
        return _("只有%(township)s的执法人员或分管领导可以认定重大执法决定") % {
            "township": pc.township.name
        }
    if name == "legal_review":
        return _("只有%(township)s的法制审核人员可以进行法制审核") % {"township": pc.township.name}
    if name in LEADER_STEPS:
        return _("只有%(township)s的分管领导可以%(step)s") % {
            "township": pc.township.name,
            "step": label,
        }
    return _("只有%(township)s的执法人员可以%(step)s") % {
        "township": pc.township.name,
        "step": label,
    }


def refusal(pc: PenaltyCase, name: str, user, conditions: bool = True) -> EnforcementError | None:
    """Why the case's state, the caller or a missing condition stops a step; None if nothing."""
    if name in RECORD_REFUSALS:
        exc = RECORD_REFUSALS[name](pc, user)
        if exc is None and conditions and name == "hearing_hold" and not pc.hearing_noticed:
            return Conflict(
                _(
                    "尚未通知当事人举行听证的时间、地点：须先登记听证通知，并在听证七个工作日前送达"
                    "（《行政处罚法》第六十四条第二项）"
                )
            )
        return exc
    method = getattr(pc, name)
    if not can_proceed(method, check_conditions=False):
        return _wrong_state(pc, name)
    if not method._django_fsm.has_transition_perm(pc, pc.state, user):
        return Forbidden(_permission_message(pc, name))
    if conditions and not can_proceed(method):
        return Conflict(_condition_message(pc, name))
    if conditions and name in ("decide", "no_penalty"):
        # decide: the intended penalty (告知); the action checks again with what it decides.
        reason = review.review_refusal(pc, None if name == "decide" else review.NO_PENALTY)
        if reason:
            return Conflict(reason)
    return None


def _wrong_state(pc: PenaltyCase, name: str) -> Conflict:
    return Conflict(
        _("执法案件当前状态为「%(state)s」，不能%(step)s")
        % {"state": pc.get_state_display(), "step": STEP_LABEL.get(name, name)}
    )


def _state_refusal(pc: PenaltyCase, name: str, states) -> EnforcementError | None:
    return None if pc.state in states else _wrong_state(pc, name)


def _mark_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    wrong = _state_refusal(pc, "mark_major", UNDECIDED)
    if wrong is None and not guards.officer_or_leader(pc, user):
        return Forbidden(_permission_message(pc, "mark_major"))
    return wrong


def _hearing_refusal(pc: PenaltyCase, user, name: str) -> EnforcementError | None:
    wrong = _state_refusal(pc, name, HEARING_STATES)
    if wrong is not None:
        return wrong
    if not guards.officer(pc, user):
        return Forbidden(_permission_message(pc, name))
    if name == "hearing_request":
        if not pc.hearing_right:
            return Conflict(
                _("告知的拟处罚不属于听证范围，当事人无权要求听证（《行政处罚法》第六十三条）")
            )
        if pc.hearing_requested_at is not None:
            return Conflict(_("当事人已要求过听证"))
    elif not pc.hearing_pending:
        return Conflict(_("当事人没有待举行的听证申请"))
    return None


def _report_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """听证报告: the chair's, after the hearing and before the decision."""
    wrong = _state_refusal(pc, "hearing_report", HEARING_STATES)
    if wrong is not None:
        return wrong
    if pc.hearing_held_at is None:
        return Conflict(_("尚未举行听证，不能作出听证报告"))
    person = person_of(user)
    if person is None or person.pk != pc.hearing_host_id:
        name = pc.hearing_host.name if pc.hearing_host else ""
        return Forbidden(_("听证报告由听证主持人%(name)s作出") % {"name": name})
    return None


def _statement_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """陈述、申辩 are recorded by an officer after 告知 and before the decision (普通程序)."""
    wrong = _state_refusal(pc, "statement", HEARING_STATES)
    if wrong is None and not guards.officer(pc, user):
        return Forbidden(_permission_message(pc, "statement"))
    return wrong


def _extend_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """延长 once, before the decision, by the leader."""
    wrong = _state_refusal(pc, "extend", UNDECIDED)
    if wrong is not None:
        return wrong
    if not guards.decider(pc, user):
        return Forbidden(_permission_message(pc, "extend"))
    if pc.decision_extended_at is not None:
        return Conflict(_("作出决定的期限已延长过一次，不能再延长"))
    return None


def _review_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """法制审核 once there is something to review: from 调查取证 until the decision."""
    wrong = _state_refusal(pc, "legal_review", REVIEW_STATES)
    if wrong is None and not guards.legal_reviewer(pc, user):
        return Forbidden(_permission_message(pc, "legal_review"))
    return wrong


def _stop_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    if pc.state not in STOP_STATES:
        return Conflict(
            _("执法案件当前状态为「%(state)s」，不能再责令停止") % {"state": pc.get_state_display()}
        )
    if pc.stop_ordered_at is not None:
        return Conflict(_("已责令停止，无需重复登记"))
    if not guards.officer(pc, user):
        return Forbidden(_permission_message(pc, "order_stop"))
    return None


def _filing_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """备案 of an on-the-spot decision (简易程序): once, by a leader in charge of the township."""
    if not pc.summary:
        return Conflict(_("只有简易程序（当场处罚）的案件需要备案"))
    if pc.summary_filed_at is not None:
        at = timezone.localtime(pc.summary_filed_at).strftime("%Y-%m-%d %H:%M")
        return Conflict(_("本案已于%(at)s备案") % {"at": at})
    if not guards.decider(pc, user):
        return Forbidden(
            _("只有%(township)s的分管领导可以为简易程序处罚备案") % {"township": pc.township.name}
        )
    return None


def _handin_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """第七十一条: an officer records the hand-in of a fine collected on the spot, once."""
    wrong = _state_refusal(pc, "hand_in", [State.EXECUTED])
    if wrong is not None:
        return wrong
    if not pc.collected_on_spot:
        return Conflict(_("本案罚款未当场收缴，无需登记交款"))
    if pc.handed_in_on is not None:
        return Conflict(_("已于%(day)s交至行政机关") % {"day": pc.handed_in_on})
    if not guards.officer(pc, user):
        return Forbidden(_permission_message(pc, "hand_in"))
    return None


def _deferral_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """第六十六条第二款: the leader approves 暂缓 or 分期 once, while the fine is unpaid."""
    wrong = _state_refusal(pc, "defer_payment", [State.SERVED])
    if wrong is not None:
        return wrong
    if payment.fine_of(pc) is None:
        return Conflict(_("本案处罚决定不含罚款，无需暂缓或者分期缴纳"))
    if not guards.decider(pc, user):
        return Forbidden(_permission_message(pc, "defer_payment"))
    if pc.deferral_approved_at is not None:
        at = timezone.localtime(pc.deferral_approved_at).strftime("%Y-%m-%d %H:%M")
        return Conflict(_("已于%(at)s批准暂缓或者分期缴纳") % {"at": at})
    return None


def _instalment_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    """An instalment before the last, by an officer; the last is paid with 执行."""
    wrong = _state_refusal(pc, "pay_instalment", [State.SERVED])
    if wrong is not None:
        return wrong
    if pc.deferral_kind != Deferral.INSTALMENTS:
        return Conflict(_("本案未批准分期缴纳罚款"))
    if len(payment.unpaid(pc)) < 2:
        return Conflict(_("最后一期罚款请在“执行”环节登记缴纳"))
    if not guards.officer(pc, user):
        return Forbidden(_permission_message(pc, "pay_instalment"))
    return None


RECORD_REFUSALS = {
    "order_stop": _stop_refusal,
    "statement": _statement_refusal,
    "hearing_request": lambda pc, user: _hearing_refusal(pc, user, "hearing_request"),
    "hearing_notice": lambda pc, user: _hearing_refusal(pc, user, "hearing_notice"),
    "hearing_hold": lambda pc, user: _hearing_refusal(pc, user, "hearing_hold"),
    "hearing_withdraw": lambda pc, user: _hearing_refusal(pc, user, "hearing_withdraw"),
    "hearing_report": _report_refusal,
    "extend": _extend_refusal,
    "mark_major": _mark_refusal,
    "legal_review": _review_refusal,
    "file_summary": _filing_refusal,
    "hand_in": _handin_refusal,
    "defer_payment": _deferral_refusal,
    "pay_instalment": _instalment_refusal,
}


def upload_refusal(pc: PenaltyCase, user) -> EnforcementError | None:
    if pc.state in ENDED:
        return Conflict(
            _("执法案件已「%(state)s」，不能再上传证据") % {"state": pc.get_state_display()}
        )
    if not guards.officer(pc, user):
        return Forbidden(
            _("只有%(township)s的执法人员可以上传证据") % {"township": pc.township.name}
        )
    return None


@dataclass
class Option:
    name: str
    label: str
    refusal: str  # empty when the person may take it now


def step_options(pc: PenaltyCase, user) -> list[Option]:
    """The steps the case's state and the caller's role allow; each with what still blocks it."""
    out = []
    for name in STEPS:
        if name == "submit" and not pc.approval_required:
            continue  # the town decides itself: no approval step to offer
        if name == "execute" and not guards.penalised(pc):
            continue  # 不予处罚: nothing to execute
        if refusal(pc, name, user, conditions=False) is not None:
            continue
        blocked = refusal(pc, name, user)
        out.append(Option(name, str(STEP_LABEL[name]), blocked.message if blocked else ""))
    return out


def procedure_notes(pc: PenaltyCase) -> dict:
    """What the case page and the API say beside the steps: the 第三十六条 warning, why the
    decision is 重大, why the intended penalty carries a hearing, the earliest hearing day."""
    return {
        "limitation": clocks.limitation_note(pc.act_date, pc.discovered_on),
        "major_reasons": [text for _code, text in review.major_reasons(pc)],
        "hearing_reasons": hearing.hearing_reasons(pc, review.stored_penalty(pc)),
        "hearing_earliest": hearing_earliest(pc),
        **payment_notes(pc),
    }


def payment_notes(pc: PenaltyCase, today=None) -> dict:
    """缴纳罚款: what is due today (the fine plus 加处罚款, 第七十二条) while the fine is unpaid, and
    the 加处罚款 to date of a served fine past its last day (`overdue_days` > 0)."""
    today = today or timezone.localdate()
    unpaid = pc.state == State.SERVED
    late = payment.overdue_unpaid(pc, today)
    return {
        "amount_due": payment.amount_due(pc, today) if unpaid else None,
        "overdue_days": late.days if late else 0,
        "surcharge_due": late.amount if late else None,
        "surcharge_basis": late.basis if late else "",
        "pay_last_day": payment.pay_last_day(pc) if payment.fine_of(pc) is not None else None,
        "instalment_due": payment.instalment_due(pc, today) if unpaid else None,
    }


def hearing_earliest(pc: PenaltyCase):
    """The earliest day a hearing asked for may be held (第六十四条第二项): the day noticed, or,
    before a notice, the 7th working day after the request (a notice served that very day);
    None if none is due."""
    if not pc.hearing_pending or pc.hearing_requested_at is None:
        return None
    if pc.hearing_scheduled_at is not None:
        return timezone.localtime(pc.hearing_scheduled_at).date()
    return hearing.notice_earliest(timezone.localtime(pc.hearing_requested_at).date())


def township_staff(pc: PenaltyCase):
    """People of the township: those who may be named as having captured evidence or as the
    chair of a hearing."""
    from jiceng.org.models import Person

    return Person.objects.filter(region__code__startswith=pc.township.code).order_by("name")


def township_officers(township: Region):
    """The enforcement officers (执法人员) of a township: those who may decide on the spot."""
    from jiceng.org.models import Person, Role

    return (
        Person.objects.filter(
            region__code__startswith=township.code, role_grants__role=Role.ENFORCEMENT_OFFICER
        )
        .distinct()
        .order_by("name")
    )


def my_township(user) -> Region | None:
    """The township of a township officer (None for county or platform staff)."""
    from jiceng.org.scope import person_of

    person = person_of(user)
    if person is None or person.region is None:
        return None
    code = township_code(person.region.code)
    return Region.objects.filter(code=code).first() if code else None


# ---- amount thresholds (thresholds.py) -----------------------------------------------------

THRESHOLD_STATUS = {
    "current": gettext_lazy("现行"),
    "pending": gettext_lazy("待生效"),
    "superseded": gettext_lazy("已被取代"),
    "ended": gettext_lazy("已终止"),
    "withdrawn": gettext_lazy("未生效即撤回"),
}


def thresholds_for(user) -> QuerySet[AmountThreshold]:
    """The rules that bear on the caller's area: the platform defaults, those of the regions
    above it and its own, and those of every region inside it (everything for the platform)."""
    code = scope_code(user)
    if code is None:
        return AmountThreshold.objects.none()
    qs = AmountThreshold.objects.select_related("recorded_by__person", "ended_by__person")
    if code:
        qs = qs.filter(
            Q(region_code__in=["", *code_prefixes(code)]) | Q(region_code__startswith=code)
        )
    return qs.order_by("region_code", "name", "party_kind", "-effective_from", "-id")


def threshold_get_for(user, pk: int) -> AmountThreshold:
    row = thresholds_for(user).filter(pk=pk).first()
    if row is None:
        raise Http404(_("未找到该金额标准，或不在您的管辖范围内"))
    return row


def _status(row: AmountThreshold, latest: dict, today) -> str:
    if row.effective_to is not None and row.effective_to < row.effective_from:
        return "withdrawn"
    if row.effective_to is not None and row.effective_to < today:
        return "ended"
    if row.effective_from > today:
        return "pending"
    return (
        "current" if latest[(row.name, row.party_kind, row.region_code)] == row.pk else "superseded"
    )


@dataclass
class ThresholdRow:
    row: AmountThreshold
    region_name: str
    status: str
    status_label: str
    may_end: bool
    recorder: str  # who recorded it ("" for a seeded default)


def _recorder(account) -> str:
    if account is None:
        return ""
    person = getattr(account, "person", None)  # None when the account has no Person
    return person.name if person else account.username


def threshold_rows(user) -> list[ThresholdRow]:
    """The rules of the caller's area with what each is today (现行, 待生效, 已被取代 …), whether
    the caller may set an ending date, and the name of its region (one query for all names)."""
    today = timezone.localdate()
    rows = list(thresholds_for(user))
    latest: dict = {}
    for r in sorted(rows, key=lambda r: (r.effective_from, r.pk)):
        ended = r.effective_to is not None and r.effective_to < today
        if r.effective_from <= today and not ended:
            latest[(r.name, r.party_kind, r.region_code)] = r.pk
    names = dict(
        Region.objects.filter(code__in={r.region_code for r in rows}).values_list("code", "name")
    )
    out = []
    for r in rows:
        status = _status(r, latest, today)
        may_end = r.effective_to is None and guards.may_set_threshold(user, r.region_code)
        if r.is_default and r.effective_from <= today:
            may_end = False  # a default in force is replaced, not ended (actions/thresholds.py)
        region = names.get(r.region_code, r.region_code) if r.region_code else _("平台默认值")
        label = str(THRESHOLD_STATUS[status])
        out.append(ThresholdRow(r, region, status, label, may_end, _recorder(r.recorded_by)))
    return out


def thresholds_applying(
    user,
) -> tuple[Region | None, list[tuple[str, str, AmountThreshold | None]]]:
    """For a caller with a region: the rule of each kind that applies there today, as a case
    filed today would see it (its nearest region's, else the platform default)."""
    code = scope_code(user)
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        return None, []
    today = timezone.localdate()
    kinds = dict(PartyKind.choices)
    names = dict(ThresholdName.choices)
    return region, [
        (
            str(names[name]),
            str(kinds[party]),
            thresholds.amount_rule(name, party, region.code, today),
        )
        for name in ThresholdName.values
        for party in PartyKind.values
    ]


def threshold_regions(user) -> QuerySet[Region]:
    """The regions the caller may set a rule for (province, city, county levels of their area)."""
    area = guards.threshold_area(user)
    if area is None:
        return Region.objects.none()
    return Region.objects.filter(code__startswith=area, level__in=guards.THRESHOLD_LEVELS).order_by(
        "code"
    )
