"""App configuration for workload."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .roles import UPPER_ROLES as UPPER


class WorkloadConfig(AppConfig):
    name = "jiceng.workload"
    label = "workload"
    verbose_name = "待办"
    nav = [
        ("workload:send", _("交办事项"), UPPER),
        ("workload:data", _("平台数据"), UPPER),
        ("workload:burden", _("减负监测"), UPPER),
    ]
