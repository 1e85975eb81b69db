"""The case loop on PostgreSQL: intake throughput under gunicorn, and the escalation sweep.

python -m bench.cases [--rows ASSIGNMENTS] [--requests N] [--overdue K] [--workers W]

Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/jiceng_bench_cases;
the database is created, migrated and loaded with the demo).
1. POST /api/v1/cases (locate + classify + route by power + duplicates + write + history + audit)
   under gunicorn, against a bare view that parses the same JSON and inserts one row, same run.
2. The escalation sweep over --rows assignments (bulk SQL) of which --overdue are past due,
   against an idle sweep over the same rows when nothing is due.
"""

import os
import random
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench._common import arg, emit, ensure_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiceng_bench_cases"


def prepare_database(url: str) -> None:
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "jiceng.settings"}
    subprocess.run(
        [sys.executable, "-m", "jiceng", "migrate", "--no-input", "-v", "0"], check=True, env=env
    )
    subprocess.run(
        [sys.executable, "-m", "jiceng", "load_demo"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def points(n: int):
    from shapely.geometry import Point, shape

    from jiceng.org.models import Region

    grids = [
        shape(r.boundary) for r in Region.objects.filter(level="grid", code__startswith="330603002")
    ]
    rnd, out = random.Random(4), []
    while len(out) < n:
        g = grids[rnd.randrange(len(grids))]
        minx, miny, maxx, maxy = g.bounds
        p = Point(rnd.uniform(minx, maxx), rnd.uniform(miny, maxy))
        if g.contains(p):
            out.append((round(p.x, 6), round(p.y, 6)))
    return out


def load(url: str, n: int, bodies, concurrency: int) -> float:
    """Requests per second for n POSTs of the given bodies, `concurrency` at a time."""
    import requests

    local = threading.local()

    def one(i):
        s = getattr(local, "s", None) or requests.Session()
        local.s = s
        r = s.post(
            url,
            json=bodies[i % len(bodies)],
            headers={"Idempotency-Key": f"bench-{url[-4:]}-{time.time_ns()}-{i}"},
        )
        if r.status_code != 201:
            raise RuntimeError(f"{url}: {r.status_code} {r.text[:200]}")

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(min(50, n))))  # warm up the workers
        t0 = time.perf_counter()
        list(pool.map(one, range(n)))
        return n / (time.perf_counter() - t0)


def intake(db_url: str) -> None:
    n, workers = arg("requests", 2000), arg("workers", 4)
    cats = ["M06010", "M06001", "M09006", "M06012", "M07001"]
    bodies = [
        {
            "description": f"测试上报{i}：路边有垃圾和占道",
            "lon": x,
            "lat": y,
            "category_code": cats[i % len(cats)],
            "source": "api",
        }
        for i, (x, y) in enumerate(points(500))
    ]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "bench.cases_settings",
        "JICENG_DEBUG": "false",
        "JICENG_SECRET_KEY": "bench-only",
        "JICENG_ID_HASH_KEY": "bench-only",
        "JICENG_DB_CONN_MAX_AGE": "60",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
            "jiceng.wsgi",
        ],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conc = workers * 4
        bare = load(f"{base}/bench/bare", n, bodies, conc)
        full = load(f"{base}/api/v1/cases", n, bodies, conc)
    finally:
        server.terminate()
        server.wait(10)
    emit(
        "cases.intake.requests_per_second",
        full,
        "req/s",
        bare,
        requests=n,
        gunicorn_workers=workers,
        concurrency=conc,
        baseline_is="bare insert view",
    )


CASES_SQL = """
INSERT INTO cases_case (code, secret_salt, source, status, priority, description, address,
  region_id, township_id, category_source, prediction, route_power, route_explanation,
  triage_reason, duplicate_candidates, contact_name, contact_phone, occurred_at, reported_at,
  step, reopen_count, reject_reason, hold_reason, satisfaction, rating_comment,
  idempotency_fingerprint, version)
SELECT 'S' || lpad(g::text, 9, '0'), 's', 'patrol', 'accepted', 3, 'bench', '', %(grid)s,
  %(township)s, '', '{}', '', '[]', '', '[]', '', '', now(), now(), '', 0, '', '', '', '', '', 0
FROM generate_series(1, %(cases)s) g
"""
ASSIGNMENTS_SQL = """
INSERT INTO cases_assignment (case_id, unit_id, role, state, required, message, result,
  created_at, step, step_started_at, due_at, warn_at, escalated_at, return_reason,
  extension_reason, extension_state)
SELECT c.id, u.unit_id, 'assist', 'active', true, '', '', now(), 'handle', now(),
  CASE WHEN (c.id * 10 + u.k) %% %(every)s = 0 THEN now() - interval '1 hour'
       ELSE now() + interval '3 days' END,
  now(), NULL, '', '', ''
FROM cases_case c CROSS JOIN (SELECT unnest(%(units)s::bigint[]) AS unit_id,
                                     generate_subscripts(%(units)s::bigint[], 1) AS k) u
WHERE c.code LIKE 'S%%'
"""


def sweep(rows: int, overdue: int) -> None:
    from django.db import connection

    from jiceng.cases.actions import sweep_overdue
    from jiceng.org.models import Region, Unit

    per_case = 10
    grid = Region.objects.filter(level="grid", code__startswith="330603002").first()
    units = list(
        Unit.objects.filter(region__code__startswith="330603").values_list("pk", flat=True)
    )
    units = units[:per_case]
    with connection.cursor() as cur:
        # A bench-only database: start each run from no cases at all.
        cur.execute("UPDATE cases_assignment SET task_id = NULL")
        cur.execute("DELETE FROM workload_task WHERE source_key LIKE 'case:%%'")
        cur.execute(
            "TRUNCATE cases_caseevent, cases_attachment, cases_mediationrecord, "
            "cases_assignment, cases_case RESTART IDENTITY CASCADE"
        )
        t0 = time.perf_counter()
        cur.execute(
            CASES_SQL,
            {"grid": grid.pk, "township": grid.parent.parent_id, "cases": rows // len(units)},
        )
        cur.execute(ASSIGNMENTS_SQL, {"units": units, "every": max(1, rows // max(overdue, 1))})
        cur.execute("ANALYZE cases_assignment")
        made = time.perf_counter() - t0
        cur.execute("SELECT count(*), count(*) FILTER (WHERE due_at < now()) FROM cases_assignment")
        total, due = cur.fetchone()
    print(f"# generated {total} assignments ({due} overdue) in {made:.1f}s", flush=True)
    from django.utils import timezone

    idle_at = timezone.now() - timezone.timedelta(days=1)  # nothing is due a day ago
    t0 = time.perf_counter()
    assert sweep_overdue(now=idle_at) == 0
    idle = time.perf_counter() - t0
    t0 = time.perf_counter()
    claimed = sweep_overdue()
    busy = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = sweep_overdue()
    rerun = time.perf_counter() - t0
    emit(
        "cases.escalation.sweep_seconds",
        busy,
        "s",
        idle,
        assignments=total,
        escalated=claimed,
        baseline_is="idle sweep over the same rows",
    )
    emit(
        "cases.escalation.per_escalation_ms",
        1000 * busy / max(claimed, 1),
        "ms",
        1000 * rerun,
        rerun_escalated=again,
        baseline_is="re-run sweep (nothing left), ms",
    )


def main() -> None:
    db_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    prepare_database(db_url)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.cases_settings"
    import django

    django.setup()
    intake(db_url)
    sweep(arg("rows", 1_000_000), arg("overdue", 2000))


if __name__ == "__main__":
    main()
