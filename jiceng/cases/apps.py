"""App configuration for cases."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every role but the resident's (a resident sees a case only through its tracking code).
STAFF = [
    "grid_worker",
    "social_worker",
    "dispatcher",
    "handler",
    "leader",
    "enforcement_officer",
    "county_admin",
    "assessor",
    "platform_admin",
]


class CasesConfig(AppConfig):
    name = "jiceng.cases"
    label = "cases"
    verbose_name = "案件"
    nav = [
        ("cases:queue", _("派遣队列"), ["dispatcher", "leader"]),
        ("cases:list", _("案件"), STAFF),
        ("cases:report", _("我要上报"), ["resident"]),
        ("cases:track_lookup", _("查询办理进度"), ["resident"]),
        ("cases:patrol", _("巡查上报"), ["grid_worker"]),
        ("cases:hotline", _("热线受理"), ["dispatcher"]),
        ("cases:dashboard", _("案件看板"), ["dispatcher", "leader", "county_admin"]),
    ]
