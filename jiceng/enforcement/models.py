"""Administrative penalty cases (行政处罚案件), their step history and evidence files.

The transition table below says from where to where a case may move and who may move it; the
guards live in guards.py and the legal clocks in clocks.py.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jiceng.org.models import Person, Region, Unit

from . import guards

# The power types a penalty procedure may rest on (powers.models.PowerType values).
ENFORCEABLE_TYPES = ("penalty", "coercion")
STEP_LABEL = {
    "open": _("立案"),
    "order_stop": _("责令停止"),
    "investigate": _("调查取证"),
    "notify": _("告知"),
    "submit": _("报区级审批"),
    "approve": _("区级批准"),
    "reject": _("区级退回"),
    "decide": _("作出处罚决定"),
    "serve": _("送达"),
    "execute": _("执行"),
    "close": _("结案"),
    "no_penalty": _("作出不予处罚决定"),
    "cancel": _("撤销立案"),
    "hearing_request": _("当事人要求听证"),
    "hearing_hold": _("举行听证"),
    "hearing_withdraw": _("当事人撤回听证申请"),
    "extend": _("延长作出决定期限"),
    "mark_major": _("认定重大执法决定"),
    "legal_review": _("法制审核"),
    "evidence": _("上传证据"),
    "hearing_notice": _("听证通知"),
    "on_spot": _("当场作出处罚决定（简易程序）"),
    "file_summary": _("简易程序处罚备案"),
    "statement": _("记录当事人陈述、申辩"),
    "hearing_report": _("听证报告"),
    "hand_in": _("当场收缴罚款交至行政机关"),
    "defer_payment": _("批准暂缓或分期缴纳罚款"),
    "pay_instalment": _("登记分期缴纳罚款"),
}


class PenaltyKind(models.TextChoices):
    """The kinds of administrative penalty of 《行政处罚法》第九条 a township team may impose
    (行政拘留 is for the police alone), and the orders that go with a penalty without being one
    (第二十八条 责令改正; 责令限期拆除 under 《城乡规划法》第六十四、六十五条)."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_BUSINESS = "restrict_business", _("限制开展生产经营活动")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    CLOSE_DOWN = "close_down", _("责令关闭")
    RESTRICT_PRACTICE = "restrict_practice", _("限制从业")
    ORDER_CORRECT = "order_correct", _("责令改正（非行政处罚）")
    ORDER_DEMOLISH = "order_demolish", _("责令限期拆除（非行政处罚）")


ORDERS = (PenaltyKind.ORDER_CORRECT, PenaltyKind.ORDER_DEMOLISH)
# The penalties that give the party a right to a hearing whatever their amount (第六十三条第一款
# 第三、四项); a fine or confiscation gives it from an amount (thresholds.py).
HEARING_KINDS = (
    PenaltyKind.LOWER_QUALIFICATION,
    PenaltyKind.REVOKE_LICENCE,
    PenaltyKind.SUSPEND_BUSINESS,
    PenaltyKind.CLOSE_DOWN,
    PenaltyKind.RESTRICT_PRACTICE,
)
CONFISCATIONS = (PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY)


class Procedure(models.TextChoices):
    """普通程序 (立案 → … → 决定 → 送达), or 简易程序: decided and handed over on the spot
    (《行政处罚法》第五十一、五十二条; onspot.py)."""

    GENERAL = "general", _("普通程序")
    SUMMARY = "summary", _("简易程序")


class PaymentMethod(models.TextChoices):
    """How a fine was paid (《行政处罚法》2021 第六十七条至第六十九条; payment.py has the rules):
    at the designated bank or through the electronic payment system (决定与收缴分离, 第六十七条),
    or collected on the spot by the officers in the three cases the law allows."""

    BANK = "bank", _("到指定的银行缴纳（第六十七条）")
    ELECTRONIC = "electronic", _("通过电子支付系统缴纳（第六十七条）")
    ON_SPOT_SMALL = "on_spot_small", _("当场收缴：依法给予一百元以下罚款（第六十八条第一项）")
    ON_SPOT_HARD = "on_spot_hard", _("当场收缴：不当场收缴事后难以执行（第六十八条第二项）")
    ON_SPOT_REMOTE = (
        "on_spot_remote",
        _("当场收缴：边远、水上、交通不便地区，当事人提出（第六十九条）"),
    )


class Deferral(models.TextChoices):
    """第六十六条第二款: a party in real economic difficulty may, on application and with the
    agency's approval, pay later (暂缓) or in instalments (分期)."""

    DEFER = "defer", _("暂缓缴纳")
    INSTALMENTS = "instalments", _("分期缴纳")


# Collected by the officers themselves: a 专用票据 is given (第七十条) and the money is handed in
# within 2 working days (第七十一条).
ON_SPOT_PAYMENTS = (
    PaymentMethod.ON_SPOT_SMALL,
    PaymentMethod.ON_SPOT_HARD,
    PaymentMethod.ON_SPOT_REMOTE,
)


class Signature(models.TextChoices):
    """听证笔录 (第六十四条第八项): checked and signed by the party or the agent, or refused (the
    chair notes the refusal in the record)."""

    SIGNED = "signed", _("当事人或其代理人核对无误后签字或者盖章")
    REFUSED = "refused", _("当事人或其代理人拒绝签字或者盖章")


class PartyKind(models.TextChoices):
    INDIVIDUAL = "individual", _("公民")
    ORGANISATION = "organisation", _("法人或者其他组织")


class MajorGround(models.TextChoices):
    """What makes a decision 重大 and needs 法制审核 first (《行政处罚法》第五十八条第一款). The
    officer names the first, third and fourth; a hearing held (second) and an amount at or over
    the dated threshold (thresholds.py, under the fourth) count by themselves."""

    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益（第五十八条第一款第一项）")
    COMPLEX = (
        "complex",
        _("案件情况疑难复杂、涉及多个法律关系（第五十八条第一款第三项）"),
    )
    OTHER_LAW = "other_law", _("法律、法规规定应当进行法制审核的其他情形（第五十八条第一款第四项）")


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("不通过")


class State(models.TextChoices):
    FILED = "filed", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    NOTIFIED = "notified", _("已告知")
    AWAITING_APPROVAL = "awaiting_approval", _("待区级审批")
    APPROVED = "approved", _("区级已批准")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    EXECUTED = "executed", _("已执行")
    CLOSED = "closed", _("已结案")
    CANCELLED = "cancelled", _("已撤销立案")


# A case in one of these states is over: nothing more happens to it.
ENDED = (State.CLOSED, State.CANCELLED)


class Outcome(models.TextChoices):
    """What the leader decided (第五十七条): a penalty, or none."""

    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")


class NoPenaltyGround(models.TextChoices):
    """Why no penalty is given, by the article that says so."""

    MINOR_CORRECTED = (
        "minor_corrected",
        _("违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）"),
    )
    FIRST_MINOR = (
        "first_minor",
        _("初次违法且危害后果轻微并及时改正（第三十三条第一款）"),
    )
    NO_FAULT = "no_fault", _("当事人有证据足以证明没有主观过错（第三十三条第二款）")
    UNDER_AGE = "under_age", _("违法行为时不满十四周岁（第三十条）")
    TIME_BARRED = "time_barred", _("违法行为二年内未被发现（第三十六条）")


class CancelGround(models.TextChoices):
    """Why a case is withdrawn (撤销立案) before any decision."""

    FACTS_FAIL = "facts_fail", _("违法事实不能成立")
    NOT_OURS = "not_ours", _("不属于本乡镇（街道）管辖")
    OTHER = "other", _("其他情形")


def last_day(moment):
    """The day a limit ending at `moment` (midnight after it, for natural days) still covers."""
    if moment is None:
        return None
    return (timezone.localtime(moment) - dt.timedelta(microseconds=1)).date()


def kind_labels(kinds) -> str:
    names = dict(PenaltyKind.choices)
    return str(_("、")).join(str(names.get(k, k)) for k in kinds)


class PenaltyCase(models.Model):
    """One administrative penalty procedure, on a case or on its own."""

    code = models.CharField(_("执法案件编号"), max_length=20, unique=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
        verbose_name=_("来源案件"),
    )
    power = models.ForeignKey(
        "powers.PowerItem",
        on_delete=models.PROTECT,
        related_name="penalty_cases",
        verbose_name=_("权力事项"),
    )
    township = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="penalty_cases", verbose_name=_("乡镇街道")
    )
    act_date = models.DateField(_("违法行为发生日"))
    discovered_on = models.DateField(_("发现日期"))
    party_name = models.CharField(_("当事人"), max_length=100)
    party_kind = models.CharField(
        _("当事人类型"), max_length=16, choices=PartyKind.choices, default=PartyKind.INDIVIDUAL
    )
    party_address = models.CharField(_("当事人住所或地址"), max_length=200, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    handling_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="penalty_cases", verbose_name=_("承办单位")
    )
    state = FSMField(_("状态"), default=State.FILED, choices=State.choices, protected=False)
    approval_required = models.BooleanField(_("须区级审批"), default=False)
    approval_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_approvals",
        verbose_name=_("审批单位"),
    )
    holder_explanation = models.CharField(_("权力归属说明"), max_length=500)
    delegation = models.ForeignKey(
        "powers.Delegation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("依据的下放"),
    )
    outcome = models.CharField(_("决定结果"), max_length=16, choices=Outcome.choices, blank=True)
    decision = models.TextField(_("处罚决定"), blank=True)
    no_penalty_ground = models.CharField(
        _("不予处罚情形"), max_length=20, choices=NoPenaltyGround.choices, blank=True
    )
    cancel_ground = models.CharField(
        _("撤销立案情形"), max_length=20, choices=CancelGround.choices, blank=True
    )
    cancel_reason = models.TextField(_("撤销立案理由"), blank=True)
    cancelled_at = models.DateTimeField(_("撤销立案时间"), null=True, blank=True)
    major_grounds = models.JSONField(
        _("重大执法决定情形"), default=list, blank=True, help_text=_("MajorGround 的值")
    )
    major_note = models.TextField(_("重大执法决定说明"), blank=True)
    major_marked_at = models.DateTimeField(_("认定重大时间"), null=True, blank=True)
    legal_review = models.CharField(
        _("法制审核结果"), max_length=8, choices=ReviewResult.choices, blank=True
    )
    legal_review_opinion = models.TextField(_("法制审核意见"), blank=True)
    legal_reviewed_at = models.DateTimeField(_("法制审核时间"), null=True, blank=True)
    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("法制审核人员"),
    )
    legal_reviewer_name = models.CharField(_("法制审核人员姓名"), max_length=100, blank=True)
    penalty_kinds = models.JSONField(
        _("处罚种类"), default=list, blank=True, help_text=_("PenaltyKind 的值")
    )
    fine_amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation_value = models.DecimalField(
        _("没收违法所得数额或非法财物价值（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    stop_ordered_at = models.DateTimeField(_("责令停止时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    filing_due_on = models.DateField(_("立案时限"), null=True, blank=True)
    decision_due_at = models.DateTimeField(_("作出决定时限"), null=True, blank=True)
    decision_due_original = models.DateTimeField(
        _("原作出决定时限"), null=True, blank=True, help_text=_("延长前的时限")
    )
    decision_extended_at = models.DateTimeField(_("延长时间"), null=True, blank=True)
    decision_extension_reason = models.TextField(_("延长理由和依据"), blank=True)
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    hearing_until = models.DateTimeField(_("陈述申辩期限"), null=True, blank=True)
    hearing_right = models.BooleanField(_("已告知听证权利"), default=False)
    # What the latest 告知 intended (第四十四条), kept after the decision: a decision may not be
    # heavier (第四十五条; content.heavier).
    notified_kinds = models.JSONField(
        _("告知的拟处罚种类"), default=list, blank=True, help_text=_("PenaltyKind 的值")
    )
    notified_fine = models.DecimalField(
        _("告知的拟罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notified_confiscation = models.DecimalField(
        _("告知的拟没收数额或价值（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hearing_requested_at = models.DateTimeField(_("要求听证时间"), null=True, blank=True)
    hearing_withdrawn_at = models.DateTimeField(_("撤回听证申请时间"), null=True, blank=True)
    # 听证通知 (第六十四条第二项): the latest notice of time and place; a re-notice replaces it (the
    # step history keeps every one).
    hearing_scheduled_at = models.DateTimeField(_("通知的听证时间"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="noticed_hearings",
        verbose_name=_("通知的听证主持人"),
    )
    hearing_notice_served_on = models.DateField(_("听证通知送达日期"), null=True, blank=True)
    hearing_held_at = models.DateTimeField(_("听证时间"), null=True, blank=True)
    hearing_host = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_hearings",
        verbose_name=_("听证主持人"),
    )
    hearing_note = models.TextField(_("听证笔录摘要"), blank=True)
    # 听证笔录 (第六十四条第七、八项): who took part, what each side said, and the signature.
    hearing_clerk = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clerked_hearings",
        verbose_name=_("听证记录员"),
    )
    hearing_presenters = models.ManyToManyField(
        Person, blank=True, related_name="presented_hearings", verbose_name=_("出席听证的调查人员")
    )
    # one or two 听证员 beside the chair when needed, and an interpreter (hearing.member_refusal)
    hearing_members = models.ManyToManyField(
        Person, blank=True, related_name="sat_hearings", verbose_name=_("听证员")
    )
    hearing_interpreter = models.CharField(_("翻译人员"), max_length=100, blank=True)
    hearing_party_present = models.CharField(
        _("出席听证的当事人及其代理人"), max_length=200, blank=True
    )
    hearing_case_presented = models.TextField(
        _("调查人员提出的违法事实、证据和行政处罚建议"), blank=True
    )
    hearing_defence = models.TextField(_("当事人的申辩和质证"), blank=True)
    hearing_final_statement = models.TextField(_("当事人的最后陈述"), blank=True)
    hearing_signature = models.CharField(
        _("笔录签字"), max_length=8, choices=Signature.choices, blank=True
    )
    hearing_signature_note = models.TextField(_("听证主持人对拒绝签字的注明"), blank=True)
    # 听证报告: the chair's opinion, recorded after the hearing and before the decision (第六十五条).
    hearing_report_facts = models.TextField(_("听证报告：对事实和证据的意见"), blank=True)
    hearing_report_law = models.TextField(_("听证报告：对适用法律的意见"), blank=True)
    hearing_report_penalty = models.TextField(_("听证报告：处理意见"), blank=True)
    hearing_reported_at = models.DateTimeField(_("听证报告时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    serve_due_at = models.DateTimeField(_("送达时限"), null=True, blank=True)
    served_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    execute_due_at = models.DateTimeField(_("履行期限"), null=True, blank=True)
    executed_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("立案人"),
    )
    procedure = models.CharField(
        _("程序"), max_length=8, choices=Procedure.choices, default=Procedure.GENERAL
    )
    # 简易程序 (第五十二条): where, by whom, what the party said, and the 备案 of the decision.
    place = models.CharField(_("当场处罚地点"), max_length=200, blank=True)
    officers = models.ManyToManyField(
        Person, blank=True, related_name="on_spot_cases", verbose_name=_("当场处罚执法人员")
    )
    statement = models.TextField(_("当事人陈述、申辩"), blank=True)
    statement_heard = models.BooleanField(_("已听取陈述、申辩"), default=False)
    # 普通程序: when the party stated and defended after the latest 告知 (the step `statement`)
    statement_at = models.DateTimeField(_("陈述、申辩时间"), null=True, blank=True)
    summary_filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    # 缴纳罚款 at 执行 (第六十七条至第七十二条; payment.py): how, how much (the fine plus any 加处罚款),
    # when; for an on-the-spot collection the 专用票据 (第七十条), the officers, why, and the hand-in
    # to the agency within 2 working days (第七十一条).
    payment_method = models.CharField(
        _("缴纳方式"), max_length=16, choices=PaymentMethod.choices, blank=True
    )
    paid_amount = models.DecimalField(
        _("实缴金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    surcharge_paid = models.DecimalField(
        _("其中加处罚款（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # 《行政强制法》第四十二条: in an 执行协议, a party who took remedial measures may have the
    # 加处罚款 reduced or waived (payment.py); the amount let off and the agreement and measures.
    surcharge_waived = models.DecimalField(
        _("减免的加处罚款（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    waiver_basis = models.TextField(_("执行协议和当事人采取的补救措施"), blank=True)
    paid_on = models.DateField(_("缴纳日期"), null=True, blank=True)
    receipt_number = models.CharField(_("专用票据号码或缴款凭证号"), max_length=50, blank=True)
    collectors = models.ManyToManyField(
        Person, blank=True, related_name="collected_fines", verbose_name=_("当场收缴的执法人员")
    )
    collection_reason = models.TextField(_("当场收缴的理由"), blank=True)
    party_asked = models.BooleanField(_("当事人提出当场缴纳"), default=False)
    ashore_on = models.DateField(_("抵岸日期（水上当场收缴）"), null=True, blank=True)
    handin_due_at = models.DateTimeField(_("交至行政机关时限"), null=True, blank=True)
    handed_in_on = models.DateField(_("交至行政机关日期"), null=True, blank=True)
    handed_in_to = models.CharField(_("交款接收人"), max_length=100, blank=True)
    # 第六十六条第二款 暂缓、分期: the party's application and the leader's approval; the schedule
    # is a list of {"due_on", "amount"} (one entry when deferred), each instalment paid before the
    # last gets "paid_on", "paid" (with its 加处罚款) and "surcharge" (step pay_instalment).
    deferral_kind = models.CharField(
        _("暂缓或分期"), max_length=12, choices=Deferral.choices, blank=True
    )
    deferral_applied_on = models.DateField(_("当事人申请日期"), null=True, blank=True)
    deferral_reason = models.TextField(_("当事人经济困难的情况"), blank=True)
    deferral_approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    payment_schedule = models.JSONField(_("批准的缴纳期限或分期"), default=list, blank=True)
    demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["township", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_required=False) | Q(approval_unit__isnull=False),
                name="penalty_approval_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gt=0),
                name="penalty_fine_positive",
            ),
            models.CheckConstraint(
                condition=Q(confiscation_value__isnull=True) | Q(confiscation_value__gt=0),
                name="penalty_confiscation_positive",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__isnull=True) | Q(paid_amount__gt=0),
                name="penalty_paid_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.party_name}"

    @property
    def summary(self) -> bool:
        """Decided on the spot (简易程序)."""
        return self.procedure == Procedure.SUMMARY

    @property
    def penalty_labels(self) -> str:
        """The kinds decided (or intended), by name: 「罚款、责令限期拆除（非行政处罚）」."""
        return kind_labels(self.penalty_kinds)

    @property
    def notified_labels(self) -> str:
        """The kinds the latest 告知 intended, by name."""
        return kind_labels(self.notified_kinds)

    @property
    def pay_due_at(self):
        """When the fine — or, on an approved schedule (第六十六条第二款), its next instalment — is
        due: the end of that day; the 15 days of 第六十七条 otherwise."""
        from .clocks import end_of_day

        unpaid = [e for e in self.payment_schedule if not e.get("paid_on")]
        if unpaid:
            return end_of_day(dt.date.fromisoformat(unpaid[0]["due_on"]))
        return self.execute_due_at

    @property
    def total_paid(self):
        """Everything paid: the instalments before 执行 and the payment recorded at 执行."""
        from decimal import Decimal

        before = sum(
            (Decimal(e["paid"]) for e in self.payment_schedule if e.get("paid")), Decimal(0)
        )
        if self.paid_amount is None:
            return before or None
        return before + self.paid_amount

    @property
    def total_surcharge(self):
        """The 加处罚款 paid: with the instalments and with the payment at 执行."""
        from decimal import Decimal

        parts = [Decimal(e["surcharge"]) for e in self.payment_schedule if e.get("surcharge")]
        if self.surcharge_paid is not None:
            parts.append(self.surcharge_paid)
        return sum(parts, Decimal(0)) if parts else None

    @property
    def collected_on_spot(self) -> bool:
        """The fine was collected by the officers (第六十八、六十九条), not paid at the bank."""
        return self.payment_method in ON_SPOT_PAYMENTS

    @property
    def handin_pending(self) -> bool:
        """Money collected on the spot not yet handed in to the agency (第七十一条)."""
        return self.collected_on_spot and self.handed_in_on is None

    @property
    def handin_last_day(self):
        return last_day(self.handin_due_at)

    @property
    def handin_late(self) -> bool:
        """Handed in after the 2 working days of 第七十一条 (recorded, and shown as late)."""
        last = self.handin_last_day
        return bool(self.handed_in_on and last and self.handed_in_on > last)

    @property
    def decision_last_day(self):
        """The last day to decide: the limit runs to midnight at its end (clocks.end_of_day)."""
        return last_day(self.decision_due_at)

    @property
    def decision_original_last_day(self):
        return last_day(self.decision_due_original)

    @property
    def hearing_noticed(self) -> bool:
        """The party has been told the time and place of the hearing asked for (第六十四条第二项)."""
        return self.hearing_scheduled_at is not None

    @property
    def hearing_pending(self) -> bool:
        """The party asked for a hearing that has been neither held nor withdrawn."""
        return bool(
            self.hearing_requested_at and not self.hearing_held_at and not self.hearing_withdrawn_at
        )

    def current_due(self):
        """The deadline of the step the case is waiting for (None when no clock runs)."""
        return {
            State.FILED: self.decision_due_at,
            State.INVESTIGATING: self.decision_due_at,
            State.NOTIFIED: self.decision_due_at,
            State.AWAITING_APPROVAL: self.decision_due_at,
            State.APPROVED: self.decision_due_at,
            State.DECIDED: self.serve_due_at,
            State.SERVED: self.pay_due_at,
            State.EXECUTED: self.handin_due_at if self.handin_pending else None,
        }.get(self.state)

    def is_overdue(self, now=None) -> bool:
        due = self.current_due()
        return due is not None and (now or timezone.now()) > due

    # The transition table: who may move the case from where to where (guards.py says who).
    @transition(state, State.FILED, State.INVESTIGATING, permission=guards.officer)
    def investigate(self):
        pass

    @transition(
        state,
        [State.INVESTIGATING, State.NOTIFIED, State.APPROVED],
        State.NOTIFIED,
        permission=guards.officer,
        conditions=[guards.has_evidence, guards.no_hearing_asked],
    )
    def notify(self):
        """告知 (第四十四条), or 重新告知 of another intended penalty before any hearing was asked
        (a district case is then approved again)."""

    @transition(
        state,
        State.NOTIFIED,
        State.AWAITING_APPROVAL,
        permission=guards.officer,
        conditions=[guards.needs_approval],
    )
    def submit(self):
        pass

    @transition(state, State.AWAITING_APPROVAL, State.APPROVED, permission=guards.approver)
    def approve(self):
        pass

    @transition(state, State.AWAITING_APPROVAL, State.INVESTIGATING, permission=guards.approver)
    def reject(self):
        pass

    @transition(
        state,
        [State.NOTIFIED, State.APPROVED],
        State.DECIDED,
        permission=guards.decider,
        conditions=[
            guards.approved_if_required,
            guards.no_hearing_pending,
            guards.hearing_reported,
        ],
    )
    def decide(self):
        pass

    @transition(
        state,
        [State.INVESTIGATING, State.NOTIFIED, State.APPROVED],
        State.DECIDED,
        permission=guards.decider,
        conditions=[guards.approved_if_required, guards.hearing_reported],
    )
    def no_penalty(self):
        """不予行政处罚决定 (第五十七条第一款第二项): served, then closed; nothing to execute."""

    @transition(
        state,
        [
            State.FILED,
            State.INVESTIGATING,
            State.NOTIFIED,
            State.AWAITING_APPROVAL,
            State.APPROVED,
        ],
        State.CANCELLED,
        permission=guards.decider,
    )
    def cancel(self):
        """撤销立案, before any decision: the end of the case."""

    @transition(state, State.DECIDED, State.SERVED, permission=guards.officer)
    def serve(self):
        pass

    @transition(
        state,
        State.SERVED,
        State.EXECUTED,
        permission=guards.officer,
        conditions=[guards.penalised],
    )
    def execute(self):
        pass

    @transition(
        state,
        [State.EXECUTED, State.SERVED],
        State.CLOSED,
        permission=guards.decider,
        conditions=[guards.nothing_left_to_execute, guards.handed_in],
    )
    def close(self):
        pass


class PenaltyStep(models.Model):
    """Append-only history of one penalty case: each step, who took it, when, with what note."""

    penalty_case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("执法案件")
    )
    seq = models.PositiveIntegerField(_("序号"))
    step = models.CharField(_("环节"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    unit_name = models.CharField(_("操作人单位"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("执法环节记录")
        verbose_name_plural = _("执法环节记录")
        ordering = ["penalty_case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["penalty_case", "seq"], name="penalty_step_seq_once")
        ]

    def __str__(self) -> str:
        return f"{self.penalty_case_id}#{self.seq} {self.step}"

    @property
    def label(self) -> str:
        return str(STEP_LABEL.get(self.step, self.step))


class Evidence(models.Model):
    """One evidence file, kept byte for byte as captured, with its SHA-256 and its capturer."""

    penalty_case = models.ForeignKey(
        PenaltyCase, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("执法案件")
    )
    file = models.FileField(_("文件"), upload_to="enforcement/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    captured_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="captured_evidence",
        verbose_name=_("采集人"),
    )
    captured_at = models.DateTimeField(_("采集时间"))
    device = models.CharField(_("采集设备"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("执法证据")
        verbose_name_plural = _("执法证据")
        ordering = ["penalty_case", "captured_at", "id"]

    def __str__(self) -> str:
        return self.name


class ThresholdName(models.TextChoices):
    """The amounts that change the procedure (thresholds.py says what each one does)."""

    HEARING_FINE = "hearing_fine", _("听证：较大数额罚款")
    HEARING_CONFISCATION = "hearing_confiscation", _("听证：较大数额没收")
    MAJOR_FINE = "major_fine", _("法制审核：重大执法决定罚款")
    MAJOR_CONFISCATION = "major_confiscation", _("法制审核：重大执法决定没收")


class AmountThreshold(models.Model):
    """One dated amount rule of a region (its code prefix; "" is the platform default). A rule
    in force is never changed: a later row supersedes it, or it gets an ending date."""

    name = models.CharField(_("标准"), max_length=24, choices=ThresholdName.choices)
    party_kind = models.CharField(_("当事人类型"), max_length=16, choices=PartyKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    region_code = models.CharField(
        _("区划代码"), max_length=15, blank=True, help_text=_("空为平台默认值")
    )
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("终止日期（含当日）"), null=True, blank=True)
    basis = models.CharField(_("依据文件"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("录入人"),
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("设定终止人"),
    )
    ended_at = models.DateTimeField(_("设定终止时间"), null=True, blank=True)
    end_reason = models.CharField(_("终止理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("金额标准")
        verbose_name_plural = _("金额标准")
        ordering = ["name", "party_kind", "region_code", "effective_from"]
        indexes = [models.Index(fields=["name", "party_kind", "region_code"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="threshold_amount_positive"),
            models.UniqueConstraint(
                fields=["name", "party_kind", "region_code", "effective_from"],
                name="threshold_once_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.region_code or '-'} {self.amount}"

    @property
    def is_default(self) -> bool:
        return not self.region_code
