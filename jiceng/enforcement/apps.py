"""App configuration for enforcement."""

from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "jiceng.enforcement"
    label = "enforcement"
    verbose_name = "综合执法"
