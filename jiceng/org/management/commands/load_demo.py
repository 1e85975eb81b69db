"""jiceng load_demo: build or refresh the demo region (idempotent; clearly demo data)."""

from django.core.management.base import BaseCommand

from jiceng.org.demo import DEFAULT_PASSWORD, demo_accounts_note, load_all


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）/ load the demo region (idempotent)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="所有演示账号的共同密码 / one password for every demo account",
        )
        parser.add_argument(
            "--no-classifier",
            action="store_true",
            help="不训练演示用留言分类器 / skip training the demo message classifier",
        )
        parser.add_argument(
            "--no-samples",
            action="store_true",
            help="不添加演示案件与首次筛查 / skip the sample cases and the first screening",
        )

    def handle(self, *args, password, no_classifier, no_samples, **options):
        ctx = load_all(
            password=password, with_classifier=not no_classifier, with_samples=not no_samples
        )
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(demo_accounts_note(password))
