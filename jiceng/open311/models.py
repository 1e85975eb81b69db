"""Open311: client applications and their keys, service questions, inbound and outbound requests."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.cases.models import Case, Category
from jiceng.org.models import Unit


class ApiClient(models.Model):
    """A client application (a citizen app, a hotline platform) holding one API key."""

    name = models.CharField(_("应用名称"), max_length=100, unique=True)
    contact = models.CharField(_("联系人/方式"), max_length=200, blank=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=12, editable=False)
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(_("每分钟请求上限"), default=60)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 接入应用")
        verbose_name_plural = _("Open311 接入应用")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def usable(self) -> bool:
        return self.active and self.revoked_at is None


class ServiceSetting(models.Model):
    """How one category appears as an Open311 service (absent: the kind's default applies)."""

    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, related_name="open311", verbose_name=_("类别")
    )
    public = models.BooleanField(_("接受公众上报"), default=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    notice = models.CharField(_("服务提示"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Open311 服务设置")
        verbose_name_plural = _("Open311 服务设置")

    def __str__(self) -> str:
        return str(self.category)


class Datatype(models.TextChoices):
    STRING = "string", _("短文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("长文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")


class ServiceAttribute(models.Model):
    """A question a service asks the reporter (GeoReport v2 service definition attribute)."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="open311_attributes",
        verbose_name=_("类别"),
    )
    code = models.CharField(_("代码"), max_length=40)
    variable = models.BooleanField(_("需要回答"), default=True)
    datatype = models.CharField(_("数据类型"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("必填"), default=False)
    datatype_description = models.CharField(_("格式说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    description = models.CharField(_("问题"), max_length=300)
    values = models.JSONField(
        _("选项"), default=list, blank=True, help_text=_('[{"key": "1", "name": "…"}]')
    )

    class Meta:
        verbose_name = _("Open311 服务问题")
        verbose_name_plural = _("Open311 服务问题")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attr_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category.code} · {self.code}"


class InboundRequest(models.Model):
    """What an Open311 POST brought beyond the case itself; the contact data is never listed."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="open311", verbose_name=_("案件")
    )
    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="requests", verbose_name=_("接入应用")
    )
    token = models.CharField(_("令牌"), max_length=40, unique=True)
    jurisdiction_id = models.CharField(_("辖区代码"), max_length=12, blank=True)
    address_id = models.CharField(_("地址代码"), max_length=40, blank=True)
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)
    attributes = models.JSONField(_("问题回答"), default=dict, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    device_id = models.CharField(_("设备标识"), max_length=100, blank=True)
    account_id = models.CharField(_("账号标识"), max_length=100, blank=True)
    first_name = models.CharField(_("名"), max_length=50, blank=True)
    last_name = models.CharField(_("姓"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("Open311 来件")
        verbose_name_plural = _("Open311 来件")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.client_id}"


class RequestUpdate(models.Model):
    """A service request update posted by a partner system (idempotent on its update_id)."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="updates", verbose_name=_("接入应用")
    )
    update_id = models.CharField(_("更新标识"), max_length=64)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="open311_updates", verbose_name=_("案件")
    )
    status = models.CharField(_("对方状态"), max_length=20, blank=True)
    description = models.TextField(_("内容"), blank=True)
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("对方更新时间"))
    event_seq = models.PositiveIntegerField(_("案件记录序号"), null=True, blank=True)
    created_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("Open311 进展更新")
        verbose_name_plural = _("Open311 进展更新")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "update_id"], name="open311_update_once_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.update_id}"


class Open311Endpoint(models.Model):
    """A unit served by an external Open311 system: cases dispatched to it are sent there."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="open311_endpoint", verbose_name=_("单位")
    )
    base_url = models.URLField(_("接口地址"), max_length=300, help_text=_("…/open311/v2/"))
    api_key = models.CharField(_("对方发给我们的 api_key"), max_length=200, blank=True)
    jurisdiction_id = models.CharField(_("对方辖区代码"), max_length=40, blank=True)
    service_map = models.JSONField(
        _("服务代码对照"),
        default=dict,
        blank=True,
        help_text=_(
            '{"我方类别代码": "对方服务代码"} 或 '
            '{"我方类别代码": {"service_code": "…", "attributes": {"问题代码": "回答"}}}'
        ),
    )
    default_service_code = models.CharField(_("默认对方服务代码"), max_length=40, blank=True)
    share_contact = models.BooleanField(_("发送上报人联系方式"), default=False)
    drives_case = models.BooleanField(
        _("对方结果推动案件流转"), default=True, help_text=_("对方关闭请求时，本案记为已处置")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("外部 Open311 接口")
        verbose_name_plural = _("外部 Open311 接口")

    def __str__(self) -> str:
        return f"{self.unit} → {self.base_url}"


class OutState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    QUEUED = "queued", _("对方排队中")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


class OutboundRequest(models.Model):
    """One case sent to one endpoint: claimed by one conditional UPDATE, so sent at most once."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="open311_outbound", verbose_name=_("案件")
    )
    endpoint = models.ForeignKey(
        Open311Endpoint, on_delete=models.PROTECT, related_name="requests", verbose_name=_("接口")
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=OutState.choices, default=OutState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    remote_id = models.CharField(_("对方请求编号"), max_length=100, blank=True)
    token = models.CharField(_("对方令牌"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    remote_status = models.CharField(_("对方状态"), max_length=20, blank=True)
    remote_notes = models.TextField(_("对方说明"), blank=True)
    remote_updated = models.CharField(_("对方更新时间"), max_length=40, blank=True)
    polled_at = models.DateTimeField(_("最近同步"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("Open311 外发")
        verbose_name_plural = _("Open311 外发")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "endpoint"], name="open311_out_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="open311_out_due_idx",
                condition=Q(state__in=["pending", "sending", "queued"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.endpoint_id} ({self.state})"
