"""App configuration for outreach."""

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "jiceng.outreach"
    label = "outreach"
    verbose_name = "主动服务"
    nav = [
        (
            "outreach:index",
            "主动服务",
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
