"""Power list (权力清单), responsibility list (责任清单), delegations and 接得住 readiness."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.org.models import Level, Region, Sector, Unit


class PowerType(models.TextChoices):
    """The ten reference classes of 中办发〔2015〕21号 (power-item-types.csv)."""

    PERMIT = "permit", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    RULING = "ruling", "行政裁决"
    OTHER = "other", "其他行政权力"


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    ABOLISHED = "abolished", _("已取消")


class DelegationMode(models.TextChoices):
    DIRECT = "direct", "直接下放"
    ENTRUST = "entrust", "委托"


class PowerItem(models.Model):
    """One administrative power; `version` counts its changes, each kept in ItemVersion."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=300)
    power_type = models.CharField(_("事项类型"), max_length=16, choices=PowerType.choices)
    legal_basis = models.TextField(_("实施依据"), blank=True)
    default_level = models.CharField(
        _("原实施层级"), max_length=16, choices=Level.choices, default=Level.COUNTY
    )
    default_sector = models.CharField(
        _("原实施单位职能"), max_length=32, choices=Sector.choices, default=Sector.ENFORCEMENT
    )
    department = models.CharField(_("原实施部门"), max_length=100, blank=True)
    # The jurisdiction whose list this item belongs to; empty = platform-wide catalogue.
    owner = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属清单区域"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("权力事项")
        verbose_name_plural = _("权力事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["power_type", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ResponsibilityItem(models.Model):
    """What a level must do (责任事项), the powers it needs and when someone is held to account."""

    name = models.CharField(_("责任事项"), max_length=300)
    level = models.CharField(
        _("责任层级"), max_length=16, choices=Level.choices, default=Level.TOWNSHIP
    )
    # Where it applies: a township, or a county/city meaning every township in it.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("适用区域"),
    )
    accountability = models.TextField(_("追责情形"), blank=True)
    powers = models.ManyToManyField(
        PowerItem, related_name="responsibilities", blank=True, verbose_name=_("所需权力")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "name"], name="responsibility_once_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name


class VersionKind(models.TextChoices):
    POWER = "power", _("权力事项")
    RESPONSIBILITY = "responsibility", _("责任事项")


class ItemVersion(models.Model):
    """Append-only history: the item as it was after each change, with who, when and why."""

    kind = models.CharField(_("清单"), max_length=16, choices=VersionKind.choices)
    item_id = models.PositiveBigIntegerField(_("事项ID"))
    version = models.PositiveIntegerField(_("版本"))
    data = models.JSONField(_("内容"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("修改人"),
    )
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    reason = models.CharField(_("修改原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")
        ordering = ["kind", "item_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "item_id", "version"], name="item_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.item_id} v{self.version}"


class Delegation(models.Model):
    """A power handed to a township, or to every township of a county/city, for a span of dates.

    In force on day d when effective_from <= d and (effective_to is empty or d < effective_to):
    effective_to is the first day it no longer applies. Revoking sets effective_to; rows are
    never deleted.
    """

    power = models.ForeignKey(
        PowerItem, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("权力事项")
    )
    from_level = models.CharField(
        _("原实施层级"), max_length=16, choices=Level.choices, default=Level.COUNTY
    )
    from_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("下放单位"),
    )
    target = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承接区域"),
        help_text=_("乡镇街道；县区或市代表其所辖全部乡镇街道"),
    )
    # Which township unit carries it; empty = the power's own sector.
    to_sector = models.CharField(
        _("承接单位职能"), max_length=32, choices=Sector.choices, blank=True
    )
    mode = models.CharField(
        _("下放方式"), max_length=10, choices=DelegationMode.choices, default=DelegationMode.DIRECT
    )
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    document = models.CharField(_("文号"), max_length=100)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_document = models.CharField(_("撤销文号"), max_length=100, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("下放（委托）")
        verbose_name_plural = _("下放（委托）")
        ordering = ["power__code", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="delegation_dates_ordered",
            )
        ]
        indexes = [models.Index(fields=["power", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.power.code} → {self.target.name}（{self.document}）"

    def covers_day(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class ReadinessStatus(models.TextChoices):
    READY = "ready", _("能接住")
    NEEDS_SUPPORT = "needs_support", _("需要支持")
    CANNOT_CARRY = "cannot_carry", _("接不住")


class Readiness(models.Model):
    """接得住: whether a township can really carry a power handed to it (S9)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇街道")
    )
    power = models.ForeignKey(
        PowerItem, on_delete=models.PROTECT, related_name="readiness", verbose_name=_("权力事项")
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        related_name="readiness",
        verbose_name=_("依据的下放"),
    )
    trained_staff = models.PositiveIntegerField(_("已培训人员"), default=0)
    certified_officers = models.PositiveIntegerField(_("持证执法人员"), default=0)
    equipment_ok = models.BooleanField(_("装备到位"), default=False)
    status = models.CharField(_("承接状态"), max_length=16, choices=ReadinessStatus.choices)
    note = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("填报人"),
    )
    updated_at = models.DateTimeField(_("填报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("承接能力")
        verbose_name_plural = _("承接能力")
        ordering = ["region__code", "power__code"]
        constraints = [models.UniqueConstraint(fields=["region", "power"], name="readiness_once")]

    def __str__(self) -> str:
        return f"{self.region} · {self.power.code} · {self.get_status_display()}"


class PowersVersion(models.Model):
    """Bumped on every write to powers or delegations so each process drops its holder cache."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("权责清单缓存版本")
        verbose_name_plural = _("权责清单缓存版本")
