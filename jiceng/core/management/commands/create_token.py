"""jiceng create_token USERNAME: issue an API token (shown once) or revoke one."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jiceng.core.models import ApiToken
from jiceng.core.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = "为用户创建接口令牌 / create an API token for a user"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="")
        parser.add_argument("--revoke", metavar="PREFIX", help="吊销以此前缀开头的令牌")

    def handle(self, *args, username, name, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        if revoke:
            token = ApiToken.objects.filter(user=user, prefix__startswith=revoke[:10]).first()
            if token is None:
                raise CommandError(f"找不到令牌：{revoke}")
            token_revoke(token=token, by=user)
            self.stdout.write(f"已吊销令牌 {token.prefix}…")
            return
        _, raw = token_create(user=user, name=name)
        self.stdout.write(raw)
