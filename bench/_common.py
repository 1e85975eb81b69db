"""Shared helpers for benchmarks: set Django up, time things, print one JSON line a figure."""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable


def setup_django(database_url: str | None = None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    import django

    django.setup()


def emit(name: str, value: float, unit: str, baseline: float, **extra) -> dict:
    """Print one figure with its same-run baseline; ratio = value / baseline."""
    row = {
        "bench": name,
        "value": round(value, 6),
        "unit": unit,
        "baseline": round(baseline, 6),
        "ratio": round(value / baseline, 4) if baseline else None,
        **extra,
    }
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Median wall-clock seconds of `repeat` calls."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def arg(name: str, default: int) -> int:
    """`--name N` from the command line, else the default."""
    flag = f"--{name}"
    if flag in sys.argv:
        return int(sys.argv[sys.argv.index(flag) + 1])
    return default


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named at the end of `url` if it does not exist yet."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
