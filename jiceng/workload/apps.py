"""App configuration for workload."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# who sends tasks, reads the platform's data instead and watches the burden (actions.SENDER_ROLES)
UPPER = ["leader", "county_admin", "assessor", "platform_admin"]


class WorkloadConfig(AppConfig):
    name = "jiceng.workload"
    label = "workload"
    verbose_name = "待办"
    nav = [
        ("workload:send", _("交办事项"), UPPER),
        ("workload:data", _("平台数据"), UPPER),
        ("workload:burden", _("减负监测"), UPPER),
    ]
