"""jiceng import_boundaries FILE --level L: attach GeoJSON boundaries, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiceng.org.actions import ImportRefused, regions_import_boundaries


class Command(BaseCommand):
    help = "导入区域边界（GeoJSON, WGS84）/ import boundaries"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--level", required=True)

    def handle(self, *args, file, level, **options):
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        try:
            n = regions_import_boundaries(raw=raw, level=level)
        except ImportRefused as exc:
            for line in exc.problems:
                self.stderr.write(line)
            raise CommandError(f"导入被拒绝（{len(exc.problems)} 处问题），未写入任何数据") from exc
        self.stdout.write(f"已导入 {n} 个边界")
