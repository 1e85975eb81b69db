"""App configuration for workload."""

from django.apps import AppConfig


class WorkloadConfig(AppConfig):
    name = "jiceng.workload"
    label = "workload"
    verbose_name = "待办"
