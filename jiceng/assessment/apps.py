"""App configuration for assessment."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jiceng.workload.roles import UPPER_ROLES as UPPER


class AssessmentConfig(AppConfig):
    name = "jiceng.assessment"
    label = "assessment"
    verbose_name = "考核"
    nav = [
        ("assessment:index", _("考核事项"), UPPER),
        ("assessment:caps", _("检查上限"), UPPER),
        ("assessment:rounds", _("双向评议"), UPPER),
    ]
