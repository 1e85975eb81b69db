"""Registries collected once (residents, businesses, employments, certificates), rules and runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.org.models import Region, Unit


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Located(models.Model):
    """Where a registry row belongs: its community (村社区) and, when known, its grid."""

    community = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属社区")
    )
    grid = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属网格"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        abstract = True


class Resident(Located):
    name = models.CharField(_("姓名"), max_length=50)
    # Never the raw ID number: a keyed hash to find the person again, and a masked form to show.
    id_hash = models.CharField(_("身份证号摘要"), max_length=64, unique=True)
    id_masked = models.CharField(_("身份证号（脱敏）"), max_length=18)
    birth_date = models.DateField(_("出生日期"))
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    # Stored as ",低保,独居老人," so that "has tag X" is a plain substring test on every engine.
    tags = models.CharField(_("标签"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        indexes = [models.Index(fields=["community", "birth_date"])]

    def __str__(self) -> str:
        return f"{self.name[:1]}** {self.id_masked}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class Industry(models.TextChoices):
    CATERING = "餐饮", _("餐饮")
    FOOD_SALES = "食品销售", _("食品销售")
    RETAIL = "零售", _("零售")
    SERVICE = "生活服务", _("生活服务")
    MANUFACTURING = "制造", _("制造")
    OTHER = "其他", _("其他")


class Business(Located):
    name = models.CharField(_("名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.CharField(_("行业"), max_length=20, choices=Industry.choices)

    class Meta:
        verbose_name = _("经营主体")
        verbose_name_plural = _("经营主体")
        indexes = [models.Index(fields=["community", "industry"])]

    def __str__(self) -> str:
        return self.name


class Employment(models.Model):
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="employments", verbose_name=_("从业人员")
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="employments", verbose_name=_("经营主体")
    )
    role = models.CharField(_("岗位"), max_length=50, blank=True)
    start_date = models.DateField(_("入职日期"), null=True, blank=True)
    end_date = models.DateField(_("离职日期"), null=True, blank=True)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("从业记录")
        verbose_name_plural = _("从业记录")
        constraints = [
            models.UniqueConstraint(fields=["resident", "business"], name="employment_once")
        ]
        indexes = [models.Index(fields=["business", "end_date"])]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.business}"


class CertificateKind(models.TextChoices):
    HEALTH = "健康证", _("健康证")
    FOOD_LICENSE = "食品经营许可证", _("食品经营许可证")
    OTHER = "其他", _("其他")


class Certificate(models.Model):
    kind = models.CharField(_("证件类型"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("证件编号"), max_length=50)
    holder_resident = models.ForeignKey(
        Resident,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("持证人"),
    )
    holder_business = models.ForeignKey(
        Business,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("持证单位"),
    )
    issued = models.DateField(_("发证日期"), null=True, blank=True)
    expires = models.DateField(_("有效期至"), null=True, blank=True)
    synthetic = models.BooleanField(_("合成演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="certificate_number_once"),
            models.CheckConstraint(
                condition=Q(holder_resident__isnull=False) | Q(holder_business__isnull=False),
                name="certificate_has_holder",
            ),
        ]
        indexes = [
            models.Index(fields=["holder_resident", "kind", "expires"]),
            models.Index(fields=["holder_business", "kind", "expires"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class Subject(models.TextChoices):
    RESIDENT = "resident", _("居民")
    EMPLOYEE = "employee", _("从业人员")
    BUSINESS = "business", _("经营主体")
    CERTIFICATE = "certificate", _("证照")


class Recipient(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("所在网格或社区的社工，没有则社区居委会")
    COMMITTEE = "committee", _("社区居委会")


class Rule(models.Model):
    """A screening rule: a condition tree over one subject, a task template and its test cases."""

    name = models.CharField(_("名称"), max_length=100)
    subject = models.CharField(_("对象"), max_length=20, choices=Subject.choices)
    condition = models.JSONField(_("条件"), default=dict)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("适用区域")
    )
    task_title = models.CharField(_("待办标题"), max_length=100)
    task_body = models.TextField(_("办理要求"), blank=True)
    due_working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=5)
    recipient = models.CharField(
        _("接收人"), max_length=20, choices=Recipient.choices, default=Recipient.SOCIAL_WORKER
    )
    from_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("交办单位"),
    )
    test_cases = models.JSONField(_("测试用例"), default=list, blank=True)
    test_results = models.JSONField(_("测试结果"), default=list, blank=True)
    active = models.BooleanField(_("已启用"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("筛查规则")
        verbose_name_plural = _("筛查规则")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="rule_name_once_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tests_pass(self) -> bool:
        return all(r.get("ok") for r in self.test_results)


class ScreeningRun(models.Model):
    rule = models.ForeignKey(
        Rule, on_delete=models.CASCADE, related_name="runs", verbose_name=_("规则")
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    matched = models.PositiveIntegerField(_("符合条件"), default=0)
    opened = models.PositiveIntegerField(_("新开待办"), default=0)
    closed = models.PositiveIntegerField(_("自动关闭"), default=0)
    unassigned = models.PositiveIntegerField(_("无人接收"), default=0)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    trigger = models.CharField(_("触发方式"), max_length=20, default="manual")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("执行人"),
    )

    class Meta:
        verbose_name = _("筛查记录")
        verbose_name_plural = _("筛查记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.rule} {self.started_at:%Y-%m-%d %H:%M}"


class ImportKind(models.TextChoices):
    RESIDENTS = "residents", _("居民")
    BUSINESSES = "businesses", _("经营主体")
    EMPLOYMENTS = "employments", _("从业记录")
    CERTIFICATES = "certificates", _("证照")


class ImportJob(models.Model):
    """One uploaded registry file and how far its import has come (for the progress bar)."""

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未导入（有错误）")

    kind = models.CharField(_("类型"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("文件"), upload_to="outreach/imports/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人辖区")
    )
    dry_run = models.BooleanField(_("仅校验"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default="pending")
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
