"""Benchmarks of the powers app: 10,000-row xlsx import, holder() lookups cold and cached.

Runs on its own SQLite file (or --db URL) with the demo loaded, so it never touches a dev
database. Baselines, same run, same data: for the import, reading the same file with openpyxl
and bulk-inserting the rows with no checks or versions; for holder, the same answer computed
with plain ORM queries and no cache.
"""

import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from bench._common import arg, emit, setup_django


def _database() -> str:
    if "--db" in sys.argv:
        return sys.argv[sys.argv.index("--db") + 1]
    return f"sqlite:///{Path(tempfile.gettempdir()) / 'jiceng_bench_powers.sqlite3'}"


def prepare() -> None:
    url = _database()
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).unlink(missing_ok=True)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from jiceng.org.demo import load_all

    load_all()


def bench_import(rows: int) -> None:
    from django.db import transaction
    from openpyxl import load_workbook

    from jiceng.powers.importer import import_powers
    from jiceng.powers.models import PowerItem
    from tests.powers import corpus

    folder = Path(tempfile.mkdtemp())
    path = corpus.write(folder / "big.xlsx", corpus.valid_rows(rows, "BENCH"))
    data = path.read_bytes()

    class Operator:
        pk, is_superuser, is_authenticated = None, True, False

    t0 = time.perf_counter()
    with transaction.atomic():
        wb = load_workbook(io.BytesIO(data), read_only=True)
        values = list(wb.worksheets[0].iter_rows(min_row=2, values_only=True))
        PowerItem.objects.bulk_create(
            [PowerItem(code=f"B-{v[0]}", name=v[1], power_type="penalty") for v in values],
            batch_size=500,
        )
        transaction.set_rollback(True)
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = import_powers(data, path.name, by=Operator())
    spent = time.perf_counter() - t0
    assert result.ok and result.counts["new_powers"] == rows, result.summary()
    emit(
        "powers.import.xlsx",
        rows / spent,
        "rows/s",
        rows / baseline,
        rows=rows,
        seconds=round(spent, 3),
    )
    t0 = time.perf_counter()
    again = import_powers(data, path.name, by=Operator())
    spent = time.perf_counter() - t0
    assert again.ok and not again.changed
    emit(
        "powers.import.xlsx.unchanged_reimport", rows / spent, "rows/s", rows / baseline, rows=rows
    )


def bench_holder(n: int) -> None:
    from jiceng.org.models import Region
    from jiceng.powers import index
    from jiceng.powers.selectors import holder, plain_orm_holder

    cases = [
        ("JC-CF-001", "530303102001001", dt.date(2019, 4, 30)),
        ("JC-CF-001", "530303102001001", dt.date(2020, 1, 1)),
        ("JC-CF-002", "330603002", dt.date(2021, 1, 1)),
        ("BJ-CG-100", "110101005", dt.date(2020, 7, 1)),
        ("JC-CF-006", "530303102", dt.date(2020, 1, 1)),
    ]
    regions = {c: Region.objects.get(code=c) for _, c, _ in cases}

    def run(fn, count):
        t0 = time.perf_counter()
        for i in range(count):
            code, region, day = cases[i % len(cases)]
            fn(code, region, day)
        return count / (time.perf_counter() - t0)

    baseline = run(lambda c, r, d: plain_orm_holder(c, r, d), n)

    def cold(code, region, day):
        index.clear_local()
        holder(code, regions[region], day)

    cold_rate = run(cold, max(5, n // 100))
    holder(cases[0][0], regions[cases[0][1]], cases[0][2])
    cached = run(lambda c, r, d: holder(c, regions[r], d), n * 10)
    emit("powers.holder.cold", cold_rate, "lookups/s", baseline, note="index rebuilt every lookup")
    emit("powers.holder.cached", cached, "lookups/s", baseline)


if __name__ == "__main__":
    os.environ.setdefault("JICENG_BENCH", "1")
    prepare()
    bench_import(arg("rows", 10_000))
    bench_holder(arg("lookups", 2_000))
