"""App configuration for powers."""

from django.apps import AppConfig


class PowersConfig(AppConfig):
    name = "jiceng.powers"
    label = "powers"
    verbose_name = "权责清单"
    nav = [
        ("powers:public", "权责清单", None),
        ("powers:gaps", "有责无权", ["county_admin", "platform_admin", "leader", "dispatcher"]),
        ("powers:board", "承接看板", ["county_admin", "platform_admin", "leader"]),
        ("powers:import", "导入清单", ["county_admin", "platform_admin"]),
    ]
