"""App configuration for cases."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "jiceng.cases"
    label = "cases"
    verbose_name = "案件"
    nav = [
        ("cases:queue", _("派遣队列"), ["dispatcher", "leader"]),
        ("cases:list", _("案件"), None),
        ("cases:patrol", _("巡查上报"), ["grid_worker"]),
        ("cases:hotline", _("热线受理"), ["dispatcher"]),
        ("cases:dashboard", _("案件看板"), ["dispatcher", "leader", "county_admin"]),
    ]
