"""`jiceng load_categories`: seed or refresh the default category tree."""

from django.core.management.base import BaseCommand
from django.db import transaction

from jiceng.cases.categories import load_categories


class Command(BaseCommand):
    help = "从 shared/data/categories 载入默认案件类别树（已在后台修改的时限与分拨设置保留）"

    def add_arguments(self, parser):
        parser.add_argument("--path", help="CSV 路径（默认 shared/data/categories/…）")

    def handle(self, *args, **opts):
        with transaction.atomic():
            created, renamed = load_categories(path=opts.get("path"))
        self.stdout.write(f"案件类别：新增 {created} 个，更名 {renamed} 个")
