"""Schemas of the enforcement API (api.py): what each endpoint takes and returns."""

import datetime as dt
from decimal import Decimal

from ninja import Schema

from jiceng.core.inputs import Id


class Error(Schema):
    detail: str


class PenaltyListOut(Schema):
    code: str
    party_name: str
    party_kind: str
    power: str
    township: str
    act_date: dt.date
    state: str
    state_label: str
    approval_required: bool
    outcome: str
    penalty_kinds: list[str]
    penalty_labels: str
    fine_amount: Decimal | None
    procedure: str  # general (普通程序) or summary (简易程序, decided on the spot)
    procedure_label: str


class StepOut(Schema):
    seq: int
    step: str
    label: str
    from_state: str
    to_state: str
    actor_name: str
    at: dt.datetime
    note: str


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    captured_by: str
    captured_at: dt.datetime
    device: str

    @staticmethod
    def resolve_captured_by(obj):
        return obj.captured_by.name


class OptionOut(Schema):
    name: str
    label: str
    refusal: str


class PenaltyOut(PenaltyListOut):
    case: str | None = None
    party_address: str  # 当事人住所或地址 ("" when not recorded)
    facts: str
    handling_unit: str
    approval_unit: str | None = None
    holder_explanation: str
    decision: str
    no_penalty_ground: str
    cancel_ground: str
    cancel_reason: str
    cancelled_at: dt.datetime | None
    major_grounds: list[str]
    major_reasons: list[str]  # every reason the decision is 重大, those counted by themselves too
    legal_review: str
    legal_review_opinion: str
    legal_reviewed_at: dt.datetime | None
    legal_reviewer_name: str
    confiscation_value: Decimal | None
    # what the latest 告知 intended, kept after the decision (第四十五条: no heavier decision)
    notified_kinds: list[str]
    notified_fine: Decimal | None
    notified_confiscation: Decimal | None
    hearing_right: bool
    hearing_reasons: list[str]  # why the intended penalty carries the right (第六十三条)
    hearing_requested_at: dt.datetime | None
    hearing_earliest: dt.date | None  # earliest day the hearing asked for may be held
    hearing_scheduled_at: dt.datetime | None  # the time of the latest notice (听证通知)
    hearing_place: str
    hearing_chair: str | None
    hearing_notice_served_on: dt.date | None
    hearing_held_at: dt.datetime | None
    hearing_host: str | None
    hearing_note: str
    # 听证笔录 (第六十四条第七、八项) and the chair's 听证报告 (names of people)
    hearing_clerk: str | None = None
    hearing_presenters: list[str] = []
    hearing_members: list[str] = []
    hearing_interpreter: str = ""
    hearing_party_present: str
    hearing_case_presented: str
    hearing_defence: str
    hearing_final_statement: str
    hearing_signature: str  # "signed" | "refused" | "" before the hearing
    hearing_signature_note: str
    hearing_report_facts: str
    hearing_report_law: str
    hearing_report_penalty: str
    hearing_reported_at: dt.datetime | None
    hearing_withdrawn_at: dt.datetime | None
    stop_ordered_at: dt.datetime | None
    filed_at: dt.datetime
    filing_due_on: dt.date | None
    decision_due_at: dt.datetime | None
    decision_due_original: dt.datetime | None  # before an extension
    decision_extended_at: dt.datetime | None
    decision_extension_reason: str
    hearing_until: dt.datetime | None
    serve_due_at: dt.datetime | None
    execute_due_at: dt.datetime | None
    limitation: str
    # 简易程序: where, the officers (names), what the party stated, when 备案 was recorded
    place: str
    officers: list[str]
    statement: str  # 陈述、申辩: on the spot, or recorded after the latest 告知 (step statement)
    statement_heard: bool
    statement_at: dt.datetime | None
    review_body: str | None  # 复议机关 printed on the decision (documents.remedy_bodies)
    court: str | None  # 人民法院 of 行政诉讼
    summary_filed_at: dt.datetime | None
    # 缴纳罚款 (执行; payment.py): how, how much (the fine plus 加处罚款), when; an on-the-spot
    # collection's 专用票据, officers (names), reason, whether the party asked, and the hand-in
    payment_method: str  # bank | electronic | on_spot_small | on_spot_hard | on_spot_remote | ""
    paid_amount: Decimal | None
    surcharge_paid: Decimal | None
    surcharge_waived: Decimal | None
    waiver_basis: str
    paid_on: dt.date | None
    receipt_number: str
    collectors: list[str] = []
    collection_reason: str
    party_asked: bool
    ashore_on: dt.date | None
    handin_due_at: dt.datetime | None  # 第七十一条: 2 working days from collection (or shore)
    handed_in_on: dt.date | None
    handed_in_to: str
    handin_late: bool
    # 第六十六条第二款: 暂缓 / 分期 approved; `payment_schedule` [{"due_on", "amount", and once paid
    # "paid_on", "paid", "surcharge"}]; `total_paid` the instalments and the payment at 执行
    deferral_kind: str  # defer | instalments | ""
    deferral_applied_on: dt.date | None
    deferral_reason: str
    deferral_approved_at: dt.datetime | None
    payment_schedule: list[dict]
    total_paid: Decimal | None
    # while the fine is unpaid: what is due today; past the last day, the 加处罚款 to date
    pay_last_day: dt.date | None
    amount_due: Decimal | None
    overdue_days: int
    surcharge_due: Decimal | None
    surcharge_basis: str
    instalment_due: Decimal | None  # the next instalment (before the last) with its 加处罚款 today
    steps: list[StepOut]
    evidence: list[EvidenceOut]
    options: list[OptionOut]


class OpenIn(Schema):
    power: str = ""
    party_name: str
    party_address: str = ""  # 当事人住所或地址, at most 200 characters
    party_kind: str = "individual"  # or "organisation" (法人或者其他组织)
    act_date: dt.date | None = None
    discovered_on: dt.date | None = None
    facts: str = ""
    case: str | None = None


class OnSpotIn(Schema):
    """当场处罚（简易程序, 《行政处罚法》第五十一、五十二条）in the caller's township: `kinds`
    warning and/or fine (a citizen at most 200 yuan, an organisation 3,000, since 2021-07-15);
    `statement` what the party stated in defence ("当事人无异议" if nothing), `statement_heard`
    that it was heard; `officers` the Person ids of at least two enforcement officers of the
    township; `at` the moment (now if left out); `act_date` the day of the act (that of `at`)."""

    power: str = ""
    party_name: str = ""
    party_kind: str = "individual"
    party_address: str = ""
    facts: str = ""
    kinds: list[str] = []
    fine_amount: Decimal | str | None = None
    statement: str = ""
    statement_heard: bool = False
    officers: list[Id] = []
    place: str = ""
    at: dt.datetime | None = None
    act_date: dt.date | None = None


class StepIn(Schema):
    note: str = ""  # reject: the reason


class NotifyIn(StepIn):
    """告知: the intended penalty — `kinds` PenaltyKind values, amounts in yuan; the hearing right
    follows from them (第六十三条); `hearing_offered` gives it for another heavier penalty."""

    kinds: list[str] = []
    fine_amount: Decimal | str | None = None
    confiscation_value: Decimal | str | None = None
    hearing_offered: bool = False


class StatementIn(StepIn):
    """记录当事人陈述、申辩 after 告知: `note` what the party said ("当事人未陈述申辩" if nothing),
    `at` when (now if left out; not before the notice)."""

    at: dt.datetime | None = None


class HearingRequestIn(StepIn):
    """当事人要求听证: `at` when the party asked (now if left out)."""

    at: dt.datetime | None = None


class HearingNoticeIn(StepIn):
    """听证通知: `at` the time of the hearing, `place`, `host` the Person who will chair it
    (township staff who did not investigate), `served_on` the day the notice reached the party
    (at least 7 working days before `at`). Another notice replaces the schedule."""

    at: dt.datetime | None = None
    place: str = ""
    host: Id | None = None
    served_on: dt.date | None = None


class HearingHoldIn(StepIn):
    """举行听证 and its 听证笔录: `at` when it was held (not before the time noticed), `host` the
    Person who chaired it (the chair of the notice if left out), `clerk` the 记录员 (a Person of
    the township, neither the chair nor an investigator), `presenters` the investigators who
    presented the case (Person ids, officers of the township), `members` one or two 听证员
    beside the chair when needed (Person ids of the township, not the chair, the 记录员 nor an
    investigator), `interpreter` the 翻译人员 if any, `party_present` the party and any
    agent present, `case_presented` the investigators' facts, evidence and proposed penalty,
    `defence` the party's 申辩和质证, `final_statement` the party's last word, `signature`
    "signed" | "refused" (then `signature_note`: the chair's note of the refusal), `note`
    anything else the record holds."""

    at: dt.datetime | None = None
    host: Id | None = None
    clerk: Id | None = None
    presenters: list[Id] = []
    members: list[Id] = []
    interpreter: str = ""
    party_present: str = ""
    case_presented: str = ""
    defence: str = ""
    final_statement: str = ""
    signature: str = ""
    signature_note: str = ""


class HearingReportIn(StepIn):
    """听证报告, by the chair after the hearing: `facts` the opinion on the facts and evidence,
    `law` on the law that applies, `proposal` on the penalty (处理意见)."""

    facts: str = ""
    law: str = ""
    proposal: str = ""


class ExtendIn(StepIn):
    """延长作出决定期限: `due_on` the new last day, `note` the reason and its legal basis."""

    due_on: dt.date | None = None


class DecideIn(StepIn):
    """决定: `note` is the decision text; `kinds` PenaltyKind values; amounts in yuan (strings
    such as "5000.00" or numbers)."""

    kinds: list[str] = []
    fine_amount: Decimal | str | None = None
    confiscation_value: Decimal | str | None = None
    waived: bool = False  # the party waived the hearing window in writing


class NoPenaltyIn(StepIn):
    """不予处罚: `ground` a NoPenaltyGround value, `note` the facts and reasons, `kinds` the
    orders that go with it (order_correct, order_demolish), if any."""

    ground: str = ""
    kinds: list[str] = []


class CancelIn(StepIn):
    """撤销立案: `ground` a CancelGround value, `note` the reason."""

    ground: str = ""


class MarkMajorIn(StepIn):
    """认定重大执法决定: `ground` a MajorGround value, `note` why."""

    ground: str = ""


class LegalReviewIn(StepIn):
    """法制审核: `result` "passed" (通过) or "failed" (不通过), `note` the opinion."""

    result: str = ""


class ExecuteIn(StepIn):
    """执行. For a decision with a fine, how it was paid: `method` bank | electronic (第六十七条) |
    on_spot_small (第六十八条第一项, 100 yuan or less) | on_spot_hard (第六十八条第二项, `reason`
    required) | on_spot_remote (第六十九条: `party_asked` true and `reason` required);
    `paid_amount` the fine plus any 加处罚款 of the day paid (第七十二条); `paid_on` the day;
    `receipt_number` the 专用票据 number (required on the spot, 第七十条); `collectors` the Person
    ids of the officers who collected it (two at least); `ashore_on` the day a collection on
    water reached the shore; `surcharge_waived` the 加处罚款 let off under an 执行协议 (《行政强制法》
    第四十二条: a leader, at most the 加处罚款 due, `waiver_basis` naming the agreement and the
    party's remedial measures). A decision without a fine takes only `note`."""

    method: str = ""
    paid_amount: Decimal | str | None = None
    paid_on: dt.date | None = None
    receipt_number: str = ""
    collectors: list[Id] = []
    reason: str = ""
    party_asked: bool = False
    ashore_on: dt.date | None = None
    surcharge_waived: Decimal | str | None = None
    waiver_basis: str = ""


class HandInIn(StepIn):
    """当场收缴罚款交至行政机关 (第七十一条): `handed_in_on` the day, `handed_to` who received it."""

    handed_in_on: dt.date | None = None
    handed_to: str = ""


class InstalmentIn(Schema):
    due_on: dt.date | None = None
    amount: Decimal | str | None = None


class DeferIn(StepIn):
    """批准暂缓或分期缴纳 (第六十六条第二款, the leader): `kind` defer | instalments,
    `applied_on` the day the party applied (within the time to pay), `reason` the party's
    economic difficulty; `due_on` the new last day (defer) or `schedule` the instalments (two
    or more, days from today on in order, amounts adding up to the fine)."""

    kind: str = ""
    applied_on: dt.date | None = None
    reason: str = ""
    due_on: dt.date | None = None
    schedule: list[InstalmentIn] = []


class PayInstalmentIn(StepIn):
    """登记分期缴纳: one instalment before the last, `method` bank | electronic, `paid_amount`
    the instalment plus its 加处罚款 if late, `paid_on`, `receipt_number` (optional)."""

    method: str = ""
    paid_amount: Decimal | str | None = None
    paid_on: dt.date | None = None
    receipt_number: str = ""


SCHEMAS: dict[str, type[StepIn]] = {
    "defer_payment": DeferIn,
    "pay_instalment": PayInstalmentIn,
    "execute": ExecuteIn,
    "hand_in": HandInIn,
    "notify": NotifyIn,
    "statement": StatementIn,
    "hearing_request": HearingRequestIn,
    "hearing_notice": HearingNoticeIn,
    "hearing_hold": HearingHoldIn,
    "hearing_report": HearingReportIn,
    "decide": DecideIn,
    "no_penalty": NoPenaltyIn,
    "cancel": CancelIn,
    "extend": ExtendIn,
    "mark_major": MarkMajorIn,
    "legal_review": LegalReviewIn,
}


class EvidenceIn(Schema):
    captured_by: Id  # the Person who captured it (staff of the township)
    captured_at: dt.datetime | None = None
    device: str = ""  # e.g. 执法记录仪 number
    note: str = ""


class VerifyOut(Schema):
    id: int
    sha256: str
    intact: bool


class ThresholdOut(Schema):
    """One amount rule (thresholds.py): `region_code` "" is a platform default (`default`)."""

    id: int
    name: str
    name_label: str
    party_kind: str
    amount: Decimal
    region_code: str
    region_name: str
    default: bool
    effective_from: dt.date
    effective_to: dt.date | None
    status: str  # current, pending, superseded, ended, withdrawn
    status_label: str
    basis: str  # for a default: the platform-default notice in the caller's language
    recorded_by: str
    recorded_at: dt.datetime
    end_reason: str
    may_end: bool


class ThresholdIn(Schema):
    """新增金额标准: `name` hearing_fine | hearing_confiscation | major_fine | major_confiscation;
    `party_kind` individual | organisation; `amount` yuan; `region_code` a province, city or
    county code ("" = platform default, platform administrators only); `effective_from` a day
    after today; `basis` the document (name and number; required for a region)."""

    name: str = ""
    party_kind: str = "individual"
    amount: Decimal | str | None = None
    region_code: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    basis: str = ""


class ThresholdEndIn(Schema):
    """设定终止日期: `effective_to` the rule's last day (today at the earliest), `note` why."""

    effective_to: dt.date | None = None
    note: str = ""
