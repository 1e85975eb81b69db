"""Assessment (S4, S6): approved items with frozen indicators, inspections against a yearly cap,
one-vote-veto authorisations, and county ⇄ township two-way evaluation.

Every rule a guard enforces is data here (which veto matters a province authorised, each year's
cap), so a new year's cap or a new authorisation is a row, not a code change.
"""

import hashlib
import json

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.org.models import Person, Region, Unit


class Target(models.TextChoices):
    """Whom an item assesses."""

    TOWNSHIP = "township", _("乡镇（街道）")
    STATION = "station", _("基层站所")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class VetoAuthorization(models.Model):
    """A matter on which a one-vote veto (一票否决) over townships is allowed, and by what act.

    S4: no upper body may add a one-vote-veto item for townships on its own; only matters set by
    law or by the provincial party committee and government may carry one.
    """

    matter = models.CharField(_("事项"), max_length=100)
    authority = models.CharField(_("设定机关"), max_length=100)
    document = models.CharField(_("依据文件"), max_length=200)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("一票否决授权")
        verbose_name_plural = _("一票否决授权")
        ordering = ["matter"]

    def __str__(self) -> str:
        return f"{self.matter}（{self.document}）"

    def in_force(self, day) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class AssessmentItem(models.Model):
    """An assessment (督查检查考核) item an upper unit wants to run over townships or stations."""

    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    issuer = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assessment_items", verbose_name=_("组织单位")
    )
    target = models.CharField(_("考核对象"), max_length=12, choices=Target.choices)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    one_vote_veto = models.BooleanField(_("一票否决"), default=False)
    veto_authorization = models.ForeignKey(
        VetoAuthorization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("一票否决授权"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        verbose_name=_("分解自"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("报批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approval_document = models.CharField(_("批准文号"), max_length=100, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    # sha256 of the indicators as approved; `indicators_intact` compares it with the rows.
    indicators_sha256 = models.CharField(_("指标摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("考核事项")
        verbose_name_plural = _("考核事项")
        ordering = ["-year", "issuer__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(one_vote_veto=True) | Q(veto_authorization__isnull=True),
                name="assessment_item_veto_link_only_with_veto",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(indicators_sha256=""),
                name="assessment_item_approved_has_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def indicators_digest(self) -> str:
        # .all() (ordered by position) so that a prefetched list is used, not a query per item
        rows = [[i.name, str(i.points), i.method, i.power_code] for i in self.indicators.all()]
        blob = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def indicators_intact(self) -> bool | None:
        """True if the indicators are still those approved; None before approval."""
        if not self.indicators_sha256:
            return None
        return self.indicators_digest() == self.indicators_sha256


class Indicator(models.Model):
    item = models.ForeignKey(
        AssessmentItem,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("考核事项"),
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("指标"), max_length=200)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    method = models.CharField(_("评分方法"), max_length=300, blank=True)
    power_code = models.CharField(
        _("对应权力事项代码"),
        max_length=40,
        blank=True,
        help_text=_("指标考核的是某项权力的行使时填写；该权力须在考核对象处"),
    )

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.name


class InspectionKind(models.TextChoices):
    SUPERVISION = "supervision", _("督查")
    CHECK = "check", _("检查")
    ASSESSMENT = "assessment", _("考核")


class InspectionCap(models.Model):
    """At most `limit` inspections, checks and assessments a year for each unit of a target,
    set by a region (usually a county) for the units inside it; the most specific region wins."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="inspection_caps", verbose_name=_("设定区域")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    target = models.CharField(_("考核对象"), max_length=12, choices=Target.choices)
    limit = models.PositiveSmallIntegerField(_("每单位每年上限（次）"))
    document = models.CharField(_("依据文件"), max_length=200)

    class Meta:
        verbose_name = _("督查检查考核年度上限")
        verbose_name_plural = _("督查检查考核年度上限")
        ordering = ["-year", "target"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "target"], name="inspection_cap_once")
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.year} {self.get_target_display()} ≤ {self.limit}"


class Inspection(models.Model):
    """One inspection, check or assessment a unit receives under an approved item."""

    item = models.ForeignKey(
        AssessmentItem,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("考核事项"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("被检查单位")
    )
    kind = models.CharField(_("方式"), max_length=12, choices=InspectionKind.choices)
    on_date = models.DateField(_("日期"))
    year = models.PositiveSmallIntegerField(_("计入年度"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    task = models.ForeignKey(
        "workload.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("待办"),
    )
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    # the result, once the organising unit has scored every indicator (`inspection_score`)
    total = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    veto_reason = models.CharField(_("否决理由"), max_length=300, blank=True)
    scored_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("评分人"),
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督查检查考核")
        verbose_name_plural = _("督查检查考核")
        ordering = ["-on_date", "-id"]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.item.name} · {self.unit.name} · {self.on_date}"


class IndicatorScore(models.Model):
    """The score one inspected unit got on one indicator of the item it was inspected under."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="scores", verbose_name=_("督查检查考核")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核指标")
    )
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    note = models.CharField(_("扣分说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["inspection", "indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "indicator"], name="assessment_score_once_per_indicator"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="assessment_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.score}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("复核中")
    UPHELD = "upheld", _("维持")
    CHANGED = "changed", _("变更")
    WITHDRAWN = "withdrawn", _("已撤回")


DECIDED = (AppealStatus.UPHELD, AppealStatus.CHANGED)


class Appeal(models.Model):
    """The inspected unit's request for a review (复核) of a scored inspection, and the
    organising unit's decision: 维持 (uphold) or 变更 (new scores, through the ordinary scoring).

    An inspection is appealed at most once (the unique constraint), so also never twice at a time;
    a request withdrawn (撤回) before the decision still counts as that once (docs/assessment.md).
    """

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("督查检查考核")
    )
    indicators = models.ManyToManyField(Indicator, related_name="+", verbose_name=_("有异议的指标"))
    reasons = models.TextField(_("申请理由"))
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    due_at = models.DateTimeField(_("复核期限"))
    task = models.ForeignKey(
        "workload.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("待办"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    total_before = models.DecimalField(_("原得分"), max_digits=5, decimal_places=1)
    total_after = models.DecimalField(
        _("复核后得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    decision = models.CharField(_("复核意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("复核人"),
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撤回人"),
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("复核申请")
        verbose_name_plural = _("复核申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection"], name="assessment_appeal_once"),
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(status__in=DECIDED) & Q(decided_at__isnull=False) & ~Q(decision=""))
                | (Q(status="withdrawn") & Q(withdrawn_at__isnull=False)),
                name="assessment_appeal_ended_on_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} · {self.get_status_display()}"

    def overdue(self, now) -> bool:
        """Open past the organiser's time limit for deciding."""
        return self.status == AppealStatus.OPEN and self.due_at < now


class Notice(models.Model):
    """The 通报 of an item's ranking as issued: its 文号 and date are fixed, and the places as they
    stood then are kept (`ranks`), which each ranked unit also found in its inbox. Issued once."""

    item = models.OneToOneField(
        AssessmentItem, on_delete=models.PROTECT, related_name="notice", verbose_name=_("考核事项")
    )
    document = models.CharField(_("通报文号"), max_length=100)
    issued_on = models.DateField(_("通报日期"))
    issued_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("印发人")
    )
    issued_at = models.DateTimeField(_("印发时间"), default=timezone.now)
    ranks = models.JSONField(_("通报名次"), default=list)

    class Meta:
        verbose_name = _("考核结果通报")
        verbose_name_plural = _("考核结果通报")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.document}（{self.item_id}）"


class Direction(models.TextChoices):
    COUNTY_RATES_TOWNSHIP = "down", _("县评乡：县级考核乡镇（街道）")
    TOWNSHIP_RATES_COUNTY = "up", _("乡评县：乡镇（街道）评议县级部门")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("评议中")
    CLOSED = "closed", _("已结束")


class EvaluationRound(models.Model):
    """One year's two-way evaluation (县乡双向考核评议) in a county, in one direction."""

    county = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
        verbose_name=_("县（区）"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    direction = models.CharField(_("方向"), max_length=4, choices=Direction.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("双向考核评议")
        verbose_name_plural = _("双向考核评议")
        ordering = ["-year", "county__code", "direction"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "direction"], name="evaluation_round_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self.year} {self.get_direction_display()}"


class Evaluation(models.Model):
    """One rater unit's score of one ratee unit in a round (0–100)."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="scores", verbose_name=_("评议")
    )
    rater = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("评议单位")
    )
    ratee = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("被评议单位")
    )
    score = models.PositiveSmallIntegerField(_("得分"))
    comment = models.CharField(_("意见"), max_length=300, blank=True)
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("评议人")
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评议得分")
        verbose_name_plural = _("评议得分")
        ordering = ["round", "ratee__name", "rater__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "rater", "ratee"], name="evaluation_once"),
            models.CheckConstraint(condition=Q(score__lte=100), name="evaluation_score_max_100"),
            models.CheckConstraint(
                condition=~Q(rater=models.F("ratee")), name="evaluation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.ratee}: {self.score}"
