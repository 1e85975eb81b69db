"""jiceng run_screening [--rule ID]: run active screening rules now (what the nightly job does)."""

from django.core.management.base import BaseCommand

from jiceng.outreach.actions import rule_run
from jiceng.outreach.models import Rule


class Command(BaseCommand):
    help = "立即运行筛查规则（默认全部已启用规则）"

    def add_arguments(self, parser):
        parser.add_argument("--rule", type=int, action="append", default=[])

    def handle(self, *args, rule, **options):
        rules = Rule.objects.filter(active=True)
        if rule:
            rules = rules.filter(pk__in=rule)
        for r in rules:
            run = rule_run(rule=r, by=None, trigger="command")
            self.stdout.write(
                f"{r.name}：符合{run.matched}，新开{run.opened}，关闭{run.closed}，"
                f"无人接收{run.unassigned}，{run.duration_ms}毫秒"
            )
