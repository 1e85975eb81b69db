"""App configuration for powers."""

from django.apps import AppConfig


class PowersConfig(AppConfig):
    name = "jiceng.powers"
    label = "powers"
    verbose_name = "权责清单"
