"""The unified inbox: every task asked of a person or a unit, from any module."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.org.models import Person, Region, Unit


class TaskKind(models.TextChoices):
    CASE = "case", _("案件办理")
    WHISTLE = "whistle", _("吹哨报到")
    ESCALATION = "escalation", _("超期督办")
    OUTREACH = "outreach", _("主动服务")
    DATA_REQUEST = "data_request", _("数据填报")
    ASSESSMENT = "assessment", _("考核检查")
    READINESS = "readiness", _("承接支持")
    OTHER = "other", _("其他")
    # for information only (a 通报, a review's result): read and marked 已阅, never work, so it
    # does not count in the burden (selectors.WORK) and has no time limit
    NOTICE = "notice", _("阅知")


class TaskState(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已办结")
    CLOSED = "closed", _("已关闭")


class Task(models.Model):
    kind = models.CharField(_("类型"), max_length=20, choices=TaskKind.choices)
    subject = models.CharField(_("事项"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    assignee_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("承办人"),
    )
    assignee_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("承办单位"),
    )
    from_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sent_tasks",
        verbose_name=_("交办单位"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("所属区域")
    )
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN
    )
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # One open task per source key, e.g. "outreach:rule=3:resident=17" or "case:9:lead".
    source_key = models.CharField(_("来源键"), max_length=120, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_reason = models.CharField(_("关闭原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("待办任务")
        verbose_name_plural = _("待办任务")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=Q(state="open") & ~Q(source_key=""),
                name="task_one_open_per_source",
            ),
            models.CheckConstraint(
                condition=Q(assignee_person__isnull=False) | Q(assignee_unit__isnull=False),
                name="task_has_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee_unit", "state"]),
            models.Index(fields=["assignee_person", "state"]),
            models.Index(fields=["source_key"]),
            # Screening reruns look up open tasks by a source-key prefix (LIKE 'outreach:5:%').
            models.Index(
                fields=["kind", "source_key"],
                condition=Q(state="open"),
                name="task_open_kind_source",
                opclasses=["text_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == TaskState.OPEN and self.due_at is not None and self.due_at < now
