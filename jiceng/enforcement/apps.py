"""App configuration for enforcement (综合执法: the administrative penalty procedure, S1)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "jiceng.enforcement"
    label = "enforcement"
    verbose_name = "综合执法"
    # Township officers and leaders run cases; legal reviewers review the major ones (第五十八条);
    # county staff approve; dispatchers follow them. Province, city and county administrators set
    # the amount thresholds of their area (金额标准); the others read them.
    nav = [
        (
            "enforcement:list",
            _("执法案件"),
            [
                "enforcement_officer",
                "leader",
                "legal_reviewer",
                "county_admin",
                "dispatcher",
                "platform_admin",
            ],
        ),
        (
            "enforcement:thresholds",
            _("金额标准"),
            ["enforcement_officer", "leader", "legal_reviewer", "county_admin", "platform_admin"],
        ),
    ]
