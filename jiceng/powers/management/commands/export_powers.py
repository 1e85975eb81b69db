"""jiceng export_powers [--template] [--region CODE --on DATE] [--format xlsx|csv] [-o FILE]."""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from jiceng.org.models import Region
from jiceng.powers import sheets
from jiceng.powers.exports import catalogue_rows, held_rows


class Command(BaseCommand):
    help = "导出权责清单或导入模板 / export the power list or the import template"

    def add_arguments(self, parser):
        parser.add_argument("--template", action="store_true", help="导出导入模板")
        parser.add_argument("--region", default="", help="区域代码：导出该区域当日持有的清单")
        parser.add_argument("--on", default="", help="日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("-o", "--output", default="", help="输出文件（默认标准输出）")

    def handle(self, *args, template, region, on, format, output, **options):
        if template:
            data = sheets.xlsx_bytes(sheets.template_workbook())
        else:
            rows = self._rows(region, on)
            if format == "csv":
                data = sheets.csv_bytes(rows)
            else:
                data = sheets.export_bytes(rows)
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
            self.stdout.write(f"已写入 {output}")
        else:
            sys.stdout.buffer.write(data)

    def _rows(self, code: str, on: str) -> list[list]:
        if not code:
            return catalogue_rows()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"未知的区域代码：{code}")
        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError as exc:
            raise CommandError(f"日期格式错误：{on}，应为 YYYY-MM-DD") from exc
        return held_rows(region, day)
