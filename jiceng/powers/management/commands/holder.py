"""jiceng holder CODE REGION [--on DATE] [--json]: who holds the power there on that date."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from jiceng.org.models import Region
from jiceng.powers.schemas import holder_dict
from jiceng.powers.selectors import UnknownPower, holder


class Command(BaseCommand):
    help = "查询某项权力在某地某日由谁行使 / who holds a power at a place on a date"

    def add_arguments(self, parser):
        parser.add_argument("code", help="事项编码")
        parser.add_argument("region", help="区域代码（乡镇街道、村社区或网格）")
        parser.add_argument("--on", default="", help="日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, code, region, on, json: bool, **options):
        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError as exc:
            raise CommandError(f"日期格式错误：{on}，应为 YYYY-MM-DD") from exc
        place = Region.objects.filter(code=region).first()
        if place is None:
            raise CommandError(f"未知的区域代码：{region}")
        try:
            answer = holder(code, place, day)
        except UnknownPower as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(holder_dict(answer)))
        else:
            self.stdout.write(answer.explanation)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
