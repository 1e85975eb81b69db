"""App configuration for org."""

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "jiceng.org"
    label = "org"
    verbose_name = "组织"
