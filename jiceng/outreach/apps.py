"""App configuration for outreach."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "jiceng.outreach"
    label = "outreach"
    verbose_name = "主动服务"
    nav = [
        (
            "outreach:index",
            _("主动服务"),
            [
                "social_worker",
                "grid_worker",
                "dispatcher",
                "leader",
                "county_admin",
                "platform_admin",
            ],
        )
    ]
