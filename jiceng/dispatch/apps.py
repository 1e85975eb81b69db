"""App configuration for dispatch."""

from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "jiceng.dispatch"
    label = "dispatch"
    verbose_name = "智能派单"
