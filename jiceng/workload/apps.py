"""App configuration for workload."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkloadConfig(AppConfig):
    name = "jiceng.workload"
    label = "workload"
    verbose_name = "待办"
    nav = [
        (
            "workload:burden",
            _("减负监测"),
            ["leader", "county_admin", "assessor", "platform_admin"],
        ),
    ]
