"""`jiceng open311_key NAME`: issue an Open311 API key to a client application (shown once)."""

from django.core.management.base import BaseCommand, CommandError

from jiceng.open311.actions import client_issue, client_revoke
from jiceng.open311.errors import Open311Error
from jiceng.open311.models import ApiClient


class Command(BaseCommand):
    help = "签发（或用 --revoke 吊销）Open311 接入应用的 api_key / issue or revoke an api_key"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--rate", type=int, default=60, help="每分钟请求上限")
        parser.add_argument("--contact", default="")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, name, rate, contact, revoke, **options):
        if revoke:
            client = ApiClient.objects.filter(name=name).first()
            if client is None:
                raise CommandError(f"没有名为「{name}」的应用")
            client_revoke(client=client, by=None)
            self.stdout.write(f"已吊销 {client}")
            return
        try:
            client, raw = client_issue(name=name, by=None, rate_per_minute=rate, contact=contact)
        except Open311Error as exc:
            raise CommandError(exc.description) from None
        self.stderr.write(f"已签发「{client.name}」，每分钟 {rate} 次。api_key 只显示这一次：")
        self.stdout.write(raw)
