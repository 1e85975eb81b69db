"""App configuration for powers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "jiceng.powers"
    label = "powers"
    verbose_name = "权责清单"
    nav = [
        ("powers:public", _("权责清单"), None),
        ("powers:gaps", _("有责无权"), ["county_admin", "platform_admin", "leader", "dispatcher"]),
        ("powers:board", _("承接看板"), ["county_admin", "platform_admin", "leader"]),
        ("powers:import", _("导入清单"), ["county_admin", "platform_admin"]),
    ]
