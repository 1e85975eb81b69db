"""App configuration for cases."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiceng.cases"
    label = "cases"
    verbose_name = "案件"
    nav = [
        ("cases:queue", "派遣队列", ["dispatcher", "leader"]),
        ("cases:list", "案件", None),
        ("cases:patrol", "巡查上报", ["grid_worker"]),
        ("cases:hotline", "热线受理", ["dispatcher"]),
        ("cases:dashboard", "案件看板", ["dispatcher", "leader", "county_admin"]),
    ]
