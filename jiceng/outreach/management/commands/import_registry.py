"""jiceng import_registry KIND FILE [--dry-run]: import residents, businesses, employments or
certificates from Excel/CSV, all or nothing, with a progress bar in the terminal."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jiceng.outreach.actions import registry_import
from jiceng.outreach.importing import COLUMNS


class Command(BaseCommand):
    help = "导入基础数据（一次采集）：residents|businesses|employments|certificates 文件.xlsx/.csv"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(COLUMNS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--scope", default="", help="只接受此区划代码下的数据（默认不限）")
        parser.add_argument("--user", default="", help="记入审计日志的操作账号")

    def handle(self, *args, kind, file, dry_run, scope, user, **options):
        try:
            with open(file, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        by = get_user_model().objects.filter(username=user).first() if user else None
        total = {"n": 0}

        def progress(done: int) -> None:
            n = total["n"] or done
            width = 30
            filled = int(width * done / n) if n else width
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{n}")
            sys.stderr.flush()

        from jiceng.core.tables import read_table

        try:
            total["n"] = len(read_table(file, data))
        except Exception:
            total["n"] = 0
        result = registry_import(
            kind=kind,
            filename=file,
            data=data,
            scope_code=scope,
            by=by,
            dry_run=dry_run,
            progress=progress,
        )
        if total["n"]:
            sys.stderr.write("\n")
        if not result.ok:
            for e in result.errors[:200]:
                self.stderr.write(f"第{e['row']}行 {e['column']}：{e['reason']}")
            raise CommandError(f"共{len(result.errors)}处错误，未导入任何数据")
        if dry_run:
            self.stdout.write(f"校验通过：{result.total}行（--dry-run，未写入）")
        else:
            self.stdout.write(
                f"导入完成：{result.total}行，新增{result.created}，更新{result.updated}"
            )
