"""jiceng import_divisions --county CODE [--csv FILE]: load a county's townships and communities."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiceng.org.actions import ImportRefused, regions_import_divisions


class Command(BaseCommand):
    help = "导入县区及其乡镇街道、村社区 / import a county's divisions"

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True)
        parser.add_argument("--csv", type=Path, default=None)

    def handle(self, *args, county, csv, **options):
        try:
            created = regions_import_divisions(county=county, csv_path=csv)
        except ImportRefused as exc:
            for line in exc.problems:
                self.stderr.write(line)
            raise CommandError("导入被拒绝，未写入任何数据") from exc
        self.stdout.write(f"已导入县区 {county}：新增 {created} 个区域")
