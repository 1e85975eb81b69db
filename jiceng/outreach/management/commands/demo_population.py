"""jiceng demo_population --residents N: a synthetic population (marked synthetic) for benchmarks."""

from django.core.management.base import BaseCommand

from jiceng.outreach.population import generate


class Command(BaseCommand):
    help = "生成合成人口（演示/压测用，均标记为合成数据）"

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=10000)
        parser.add_argument("--township", default="330102003", help="乡镇街道区划代码")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, residents, township, seed, **options):
        out = generate(residents, township_code=township, seed=seed, say=self.stdout.write)
        self.stdout.write(f"完成：{out}")
