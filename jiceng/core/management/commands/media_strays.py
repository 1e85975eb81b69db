"""jiceng media_strays: list (or with --remove delete) uploaded files that no row names."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jiceng.core import media


class Command(BaseCommand):
    help = "列出（--remove 删除）无记录引用的上传文件 / list (--remove: delete) stray uploads"

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true", help="删除 / delete them")
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=None,
            help="只算早于此小时数写入的文件（默认 JICENG_MEDIA_STRAY_AFTER_HOURS=24）",
        )

    def handle(self, *args, remove, older_than_hours, **options):
        if older_than_hours is not None and older_than_hours < 0:
            raise CommandError("--older-than-hours 不能为负数")
        age = None if older_than_hours is None else dt.timedelta(hours=older_than_hours)
        names = media.strays_remove(older_than=age) if remove else media.strays(older_than=age)
        for name in names:
            self.stdout.write(name)
        verb = "已删除" if remove else "发现"
        self.stdout.write(f"{verb} {len(names)} 个无记录引用的上传文件")
