"""App configuration for assessment."""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "jiceng.assessment"
    label = "assessment"
    verbose_name = "考核"
