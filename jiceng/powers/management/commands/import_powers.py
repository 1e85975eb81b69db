"""jiceng import_powers FILE [--dry-run] [--by USERNAME]: exit 0 imported, 1 refused."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jiceng.powers.importer import import_powers


class Command(BaseCommand):
    help = "导入权责清单（xlsx/csv，全部成功或全部不写入）/ import a power list"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入 / check only")
        parser.add_argument(
            "--by", default="", help="以该账号导入（默认：系统/平台）/ import as this username"
        )

    def handle(self, *args, file, dry_run, by, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{file}")
        actor = None
        if by:
            actor = get_user_model().objects.filter(username=by).first()
            if actor is None:
                raise CommandError(f"没有账号 {by}")
        else:
            actor = _SystemActor()
        result = import_powers(path.read_bytes(), path.name, by=actor, dry_run=dry_run)
        for p in result.problems:
            self.stderr.write(str(p))
        (self.stdout if result.ok else self.stderr).write(result.summary())
        if not result.ok:
            sys.exit(1)


class _SystemActor:
    """The command line run by the operator: platform rights, no account in the audit row."""

    pk = None
    is_superuser = True
    is_authenticated = False
