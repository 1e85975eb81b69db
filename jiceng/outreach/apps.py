"""App configuration for outreach."""

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "jiceng.outreach"
    label = "outreach"
    verbose_name = "主动服务"
