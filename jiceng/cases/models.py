"""Cases: categories, the case with its flow, unit assignments, hash-chained history, files."""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jiceng.org.models import Region, Sector, Unit

from . import guards


class CategoryKind(models.TextChoices):
    GROUP = "group", _("分类")
    COMPONENT = "component", _("管理部件")
    MATTER = "matter", _("管理事项")
    DISPUTE = "dispute", _("矛盾纠纷")
    EMERGENCY = "emergency", _("突发事件")
    REQUEST = "request", _("市民诉求")


class Priority(models.IntegerChoices):
    URGENT = 1, _("特急")
    HIGH = 2, _("紧急")
    NORMAL = 3, _("一般")


class LimitUnit(models.TextChoices):
    MINUTES = "minutes", _("分钟（自然时间）")
    HOURS = "hours", _("工作时")
    DAYS = "days", _("工作日")


def _limit(prefix: str, label: str, amount: float, unit: str):
    return (
        models.FloatField(f"{label}时限", default=amount),
        models.CharField(f"{label}时限单位", max_length=8, choices=LimitUnit.choices, default=unit),
    )


class Category(models.Model):
    """A node of the category tree (GB/T 47678.5 components and matters, disputes, emergencies)."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=CategoryKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级分类"),
    )
    standard_ref = models.CharField(_("标准依据"), max_length=60, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("优先级"), choices=Priority.choices, default=Priority.NORMAL
    )
    dispatch_limit, dispatch_unit = _limit("dispatch", "立案派遣", 30, LimitUnit.MINUTES)
    handle_limit, handle_unit = _limit("handle", "处置", 2, LimitUnit.DAYS)
    verify_limit, verify_unit = _limit("verify", "核查", 4, LimitUnit.HOURS)
    report_in_limit, report_in_unit = _limit("report_in", "报到", 30, LimitUnit.MINUTES)
    default_sector = models.CharField(
        _("默认处置职能"), max_length=32, choices=Sector.choices, blank=True
    )
    owner_first = models.BooleanField(
        _("先属主后属地"), default=False, help_text=_("部件先属主、后属地；事件先属地、后属主")
    )
    needs_site_check = models.BooleanField(_("公众上报需先现场核实"), default=False)
    power_codes = models.JSONField(
        _("对应权力事项代码"),
        default=list,
        blank=True,
        help_text=_("载入时按代码关联到权力事项；权力清单中尚无的代码在此保留"),
    )
    powers = models.ManyToManyField(
        "powers.PowerItem", blank=True, related_name="case_categories", verbose_name=_("权力事项")
    )
    assist_sectors = models.JSONField(
        _("立即联动的职能"), default=list, blank=True, help_text=_("突发事件：同时派遣的协办职能")
    )
    needs_mediation = models.BooleanField(_("需调解记录"), default=False)
    filing_conditions = models.TextField(_("立案条件"), blank=True)
    closing_conditions = models.TextField(_("结案条件"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("案件类别")
        verbose_name_plural = _("案件类别")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_leaf(self) -> bool:
        return self.kind != CategoryKind.GROUP


class Source(models.TextChoices):
    CITIZEN = "citizen", _("群众上报")
    HOTLINE = "hotline", _("热线")
    PATROL = "patrol", _("网格巡查")
    API = "api", _("接口")
    OPEN311 = "open311", _("Open311")
    SENSOR = "sensor", _("物联感知")


class Status(models.TextChoices):
    REPORTED = "reported", _("待立案")
    REGISTERED = "registered", _("已立案")
    REJECTED = "rejected", _("不予立案")
    MERGED = "merged", _("已合并")
    DISPATCHED = "dispatched", _("已派遣")
    ACCEPTED = "accepted", _("处置中")
    ON_HOLD = "on_hold", _("挂账")
    HANDLED = "handled", _("已处置")
    VERIFIED = "verified", _("已核查")
    CLOSED = "closed", _("已结案")
    RATED = "rated", _("已评价")


OPEN_STATUSES = [
    Status.REPORTED,
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.ACCEPTED,
    Status.ON_HOLD,
    Status.HANDLED,
    Status.VERIFIED,
]
FINAL_STATUSES = [Status.CLOSED, Status.RATED]


class Step(models.TextChoices):
    NONE = "", _("无")
    DISPATCH = "dispatch", _("立案派遣")
    ACCEPT = "accept", _("签收")
    REPORT_IN = "report_in", _("报到")
    HANDLE = "handle", _("处置")
    VERIFY = "verify", _("核查")
    CLOSE = "close", _("结案")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Case(models.Model):
    code = models.CharField(_("案件编号"), max_length=20, unique=True)
    secret_salt = models.CharField(_("查询码盐"), max_length=32, editable=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    status = FSMField(_("状态"), default=Status.REPORTED, choices=Status.choices)
    priority = models.PositiveSmallIntegerField(
        _("优先级"), choices=Priority.choices, default=Priority.NORMAL
    )
    description = models.TextField(_("描述"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("所在区域")
    )
    township = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="township_cases", verbose_name=_("乡镇街道")
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("类别"),
    )
    category_source = models.CharField(_("类别来源"), max_length=12, blank=True)
    prediction = models.JSONField(_("分类预测"), default=dict, blank=True)
    route_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routed_cases",
        verbose_name=_("建议承办单位"),
    )
    route_power = models.CharField(_("依据权力事项"), max_length=40, blank=True)
    route_explanation = models.JSONField(_("分拨依据"), default=list, blank=True)
    triage_reason = models.CharField(_("待分拣原因"), max_length=300, blank=True)
    duplicate_candidates = models.JSONField(_("疑似重复"), default=list, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        verbose_name=_("并入案件"),
    )
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        verbose_name=_("主办单位"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("上报账号"),
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    reported_at = models.DateTimeField(_("上报时间"), default=timezone.now)
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    site_checked_at = models.DateTimeField(_("现场核实时间"), null=True, blank=True)
    step = models.CharField(_("当前环节"), max_length=10, choices=Step.choices, blank=True)
    step_started_at = models.DateTimeField(_("环节开始"), null=True, blank=True)
    due_at = models.DateTimeField(_("环节时限"), null=True, blank=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级督办时间"), null=True, blank=True)
    handle_due_at = models.DateTimeField(_("处置时限"), null=True, blank=True)
    close_due_at = models.DateTimeField(_("结案时限"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    reject_reason = models.CharField(_("不予立案理由"), max_length=300, blank=True)
    hold_reason = models.TextField(_("挂账理由"), blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    solved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    responded = models.BooleanField(_("及时响应"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    idempotency_key = models.CharField(
        _("幂等键"), max_length=100, null=True, blank=True, unique=True
    )
    idempotency_fingerprint = models.CharField(_("请求指纹"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["township", "status"]),
            models.Index(fields=["status", "reported_at"]),
            models.Index(fields=["category", "reported_at"]),
            models.Index(fields=["lat", "lon"]),
            models.Index(
                fields=["due_at"],
                name="case_sweep_idx",
                condition=Q(escalated_at__isnull=True) & ~Q(step=""),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def secret(self) -> str:
        """The reporter's tracking secret: derived, never stored, so a replay can show it again."""
        msg = f"case-track:{self.code}:{self.secret_salt}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), msg, hashlib.sha256).hexdigest()[:12]

    def secret_matches(self, given: str) -> bool:
        # as bytes: compare_digest refuses a str with non-ASCII characters (a typo'd code)
        given_bytes = (given or "").strip().lower().encode()
        return hmac.compare_digest(self.secret().encode(), given_bytes)

    def clock(self, now=None) -> str:
        """on_time / warning / overdue for the current step; '' when no clock runs."""
        return clock_of(self.due_at, self.warn_at, now)

    # Transitions: the table of who may move a case from where to where.
    @transition(status, Status.REPORTED, Status.REGISTERED, permission=guards.township_desk)
    def register(self):
        pass

    @transition(status, Status.REPORTED, Status.REJECTED, permission=guards.township_desk)
    def reject(self):
        pass

    @transition(
        status, [Status.REPORTED, Status.REGISTERED], Status.MERGED, permission=guards.township_desk
    )
    def merge(self):
        pass

    @transition(status, Status.REGISTERED, Status.DISPATCHED, permission=guards.township_desk)
    def dispatch(self):
        pass

    @transition(status, Status.DISPATCHED, Status.ACCEPTED, permission=guards.lead_member)
    def accept(self):
        pass

    @transition(status, Status.DISPATCHED, Status.REGISTERED, permission=guards.lead_member)
    def give_back(self):
        pass

    @transition(
        status,
        Status.ACCEPTED,
        Status.HANDLED,
        permission=guards.lead_member,
        conditions=[guards.mediated],
    )
    def handle(self):
        pass

    @transition(status, Status.HANDLED, Status.VERIFIED, permission=guards.verifier)
    def verify(self):
        pass

    @transition(status, Status.HANDLED, Status.ACCEPTED, permission=guards.verifier)
    def reopen(self):
        pass

    @transition(
        status,
        Status.VERIFIED,
        Status.CLOSED,
        permission=guards.township_desk,
        conditions=[guards.all_parts_done, guards.followed_up],
    )
    def close(self):
        pass

    @transition(status, Status.CLOSED, Status.RATED, permission=guards.rater)
    def rate(self):
        pass

    @transition(
        status, [Status.DISPATCHED, Status.ACCEPTED], Status.ON_HOLD, permission=guards.leader
    )
    def hold(self):
        pass

    @transition(status, Status.ON_HOLD, Status.ACCEPTED, permission=guards.leader)
    def resume(self):
        pass


def clock_of(due_at, warn_at, now=None) -> str:
    if due_at is None:
        return ""
    now = now or timezone.now()
    if now > due_at:
        return "overdue"
    if warn_at and now >= warn_at:
        return "warning"
    return "on_time"


class Role(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办（吹哨）")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("待签收/待报到")
    ACTIVE = "active", _("办理中")
    DONE = "done", _("已完成")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


LIVE_ASSIGNMENT = [AssignmentState.PENDING, AssignmentState.ACTIVE]


class Assignment(models.Model):
    """One unit's part of a case: the lead unit, or an assisting unit summoned by a whistle."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("案件")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="case_assignments", verbose_name=_("单位")
    )
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)
    state = models.CharField(
        _("状态"),
        max_length=10,
        choices=AssignmentState.choices,
        default=AssignmentState.PENDING,
    )
    required = models.BooleanField(_("结案前须完成"), default=True)
    message = models.CharField(_("交办说明"), max_length=500, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    created_at = models.DateTimeField(_("派遣时间"), default=timezone.now)
    step = models.CharField(_("当前环节"), max_length=10, choices=Step.choices, blank=True)
    step_started_at = models.DateTimeField(_("环节开始"), null=True, blank=True)
    due_at = models.DateTimeField(_("环节时限"), null=True, blank=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级督办时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("签收/报到时间"), null=True, blank=True)
    report_due_at = models.DateTimeField(_("报到时限"), null=True, blank=True)
    handle_due_at = models.DateTimeField(_("处置时限"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    extension_until = models.DateTimeField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    extension_state = models.CharField(_("延期审批"), max_length=10, blank=True)
    task = models.ForeignKey(
        "workload.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("待办"),
    )

    class Meta:
        verbose_name = _("派遣")
        verbose_name_plural = _("派遣")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=Q(state__in=["pending", "active"]),
                name="assignment_one_live_per_unit",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(
                fields=["due_at"],
                name="assignment_sweep_idx",
                condition=Q(escalated_at__isnull=True, state__in=["pending", "active"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.unit} · {self.get_role_display()}"

    def clock(self, now=None) -> str:
        if self.state not in LIVE_ASSIGNMENT:
            return ""
        return clock_of(self.due_at, self.warn_at, now)


VERB_LABELS = {
    "report": "上报",
    "register": "立案",
    "reject": "不予立案",
    "merge": "合并",
    "merged_in": "并入重复上报",
    "dispatch": "派遣",
    "accept": "签收",
    "give_back": "退回",
    "handle": "处置完成",
    "verify": "核查通过",
    "reopen": "核查不通过（返工）",
    "close": "结案",
    "rate": "评价",
    "hold": "挂账",
    "resume": "恢复办理",
    "whistle": "吹哨",
    "report_in": "报到",
    "assist_done": "协办完成",
    "escalate": "超期督办",
    "categorize": "确定类别",
    "site_check": "现场核实",
    "extension_request": "申请延期",
    "extension_approved": "同意延期",
    "extension_refused": "不同意延期",
    "attach": "上传证据",
    "mediation": "调解记录",
    "follow_up": "调解回访",
}


class CaseEvent(models.Model):
    """Append-only history of one case; each row's hash covers the row before (per case)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("案件")
    )
    seq = models.PositiveIntegerField(_("序号"))
    verb = models.CharField(_("动作"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人名称"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("单位"),
    )
    at = models.DateTimeField(_("时间"))
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.verb}"

    @property
    def label(self) -> str:
        return VERB_LABELS.get(self.verb, self.verb)


class Stage(models.TextChoices):
    REPORT = "report", _("上报")
    HANDLE = "handle", _("处置")
    VERIFY = "verify", _("核查")
    EVIDENCE = "evidence", _("证据")


class Attachment(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("案件")
    )
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256（存储文件）"), max_length=64)
    original_sha256 = models.CharField(_("SHA-256（原始文件）"), max_length=64)
    exif_lon = models.FloatField(_("照片经度"), null=True, blank=True)
    exif_lat = models.FloatField(_("照片纬度"), null=True, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("采集人"),
    )
    captured_at = models.DateTimeField(_("采集时间"), default=timezone.now)
    device = models.CharField(_("设备"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.name


class MediationRecord(models.Model):
    """矛盾纠纷: one mediation session and its follow-up."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="mediations", verbose_name=_("案件")
    )
    at = models.DateTimeField(_("调解时间"), default=timezone.now)
    mediator = models.CharField(_("调解人"), max_length=100)
    parties = models.CharField(_("当事人"), max_length=300)
    content = models.TextField(_("调解经过"))
    outcome = models.CharField(_("调解结果"), max_length=300)
    follow_up_at = models.DateField(_("回访日期"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    follow_up_result = models.TextField(_("回访情况"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("回访人"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["case", "at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d}"
