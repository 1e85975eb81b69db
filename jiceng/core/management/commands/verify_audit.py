"""jiceng verify_audit: find any edited, inserted or deleted audit row."""

from django.core.management.base import BaseCommand, CommandError

from jiceng.core.audit import verify_chain
from jiceng.core.models import AuditEvent


class Command(BaseCommand):
    help = "核验审计日志哈希链 / verify the audit log's hash chain"

    def handle(self, *args, **options):
        problems = verify_chain()
        for p in problems:
            self.stderr.write(p.message)
        if problems:
            raise CommandError(f"审计链校验失败：发现 {len(problems)} 处问题")
        self.stdout.write(f"审计链完好：{AuditEvent.objects.count()} 条记录")
