"""Screening over a synthetic population on PostgreSQL (S5).

    python -m bench.screening [--rows N]      (default 1,000,000 residents, as many employments)

For the health-certificate rule and the age-80 rule: the first run, a rerun with no change and a
run after 10,000 changed records, each against the same work hand-written in SQL (temporary table
of matches, INSERT of new tasks, UPDATE closing the rest; rolled back) measured just before it.
Then OpenFisca (installed only in var/bench-openfisca, never in the app) computes the age-80 rule
for the same people from the same database, against jiceng's full run with tasks.
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench._common import arg, emit, ensure_database, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiceng_bench"
ROOT = Path(__file__).resolve().parent.parent
OF_VENV = ROOT / "var" / "bench-openfisca"
TOWNSHIP = "330102003"


def prepare(rows: int):
    from django.core.management import call_command
    from django.db import connection

    from jiceng.org.demo import DemoContext
    from jiceng.org.demo import load as load_org
    from jiceng.outreach.models import Resident
    from jiceng.outreach.population import generate

    call_command("migrate", verbosity=0)
    load_org(DemoContext(password="bench-only-password"))
    if Resident.objects.count() != rows:
        with connection.cursor() as cur:
            cur.execute("DELETE FROM workload_task WHERE kind = 'outreach'")
            cur.execute(
                "TRUNCATE outreach_certificate, outreach_employment, outreach_resident, "
                "outreach_business, outreach_screeningrun CASCADE"
            )
        t0 = time.perf_counter()
        generate(rows, township_code=TOWNSHIP, say=lambda s: None)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")  # Django runs in autocommit here: VACUUM is allowed
        print(f"# generated {rows} residents in {time.perf_counter() - t0:.1f}s", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def rules():
    from django.contrib.auth import get_user_model

    from jiceng.org.models import Region
    from jiceng.outreach.actions import rule_save
    from jiceng.outreach.demo import AGE80_RULE, HEALTH_RULE
    from jiceng.outreach.models import Rule

    admin = get_user_model().objects.get(username="admin")
    region = Region.objects.get(code=TOWNSHIP)
    out = {}
    for key, spec in (("health_cert", HEALTH_RULE), ("age80", AGE80_RULE)):
        name = f"压测·{spec['name']}"
        existing = Rule.objects.filter(region=region, name=name).first()
        out[key] = rule_save(
            by=admin, rule=existing, activate=True, region=region, **{**spec, "name": name}
        )
    return out


HAND_HEALTH = """
SELECT e.id AS sid, b.community_id AS comm, b.grid_id AS grid
FROM outreach_employment e
JOIN outreach_business b ON b.id = e.business_id
JOIN (SELECT holder_resident_id, MAX(expires) AS latest FROM outreach_certificate
      WHERE kind = '健康证' GROUP BY holder_resident_id) c ON c.holder_resident_id = e.resident_id
JOIN org_region r ON r.id = b.community_id
WHERE b.industry = '餐饮' AND e.end_date IS NULL AND c.latest <= CURRENT_DATE + 30
  AND r.code LIKE %(prefix)s
"""
HAND_AGE80 = """
SELECT p.id AS sid, p.community_id AS comm, p.grid_id AS grid
FROM outreach_resident p JOIN org_region r ON r.id = p.community_id
WHERE p.birth_date BETWEEN (date_trunc('month', CURRENT_DATE) - interval '80 years')::date
      AND (date_trunc('month', CURRENT_DATE) + interval '1 month' - interval '1 day'
           - interval '80 years')::date
  AND p.tags NOT LIKE '%%,高龄补贴,%%' AND r.code LIKE %(prefix)s
"""
HAND = {"health_cert": HAND_HEALTH, "age80": HAND_AGE80}


def hand_run(rule, key: str) -> float:
    """The same work written by hand, in a transaction that is rolled back; seconds."""
    from django.db import connection, transaction

    from jiceng.outreach.recipients import recipients_for

    prefix = f"outreach:{rule.pk}:{rule.subject}:"
    table = recipients_for(rule.region.code)
    values = ",".join(
        f"({rid},{r.person_id or 'NULL'},{r.unit_id or 'NULL'})"
        for rid, r in table.items()
        if r.person_id or r.unit_id
    )
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE hand_m AS SELECT m.*, %(key)s || m.sid AS skey "
            f"FROM ({HAND[key]}) m",
            {"key": prefix, "prefix": f"{TOWNSHIP}%"},
        )
        cur.execute("ANALYZE hand_m")
        cur.execute(f"""
            INSERT INTO workload_task (kind, subject, body, assignee_person_id, assignee_unit_id,
              from_unit_id, region_id, due_at, state, link, source_key, details, created_at,
              closed_at, close_reason)
            SELECT 'outreach', 't', '', r.pid, r.uid, NULL, COALESCE(m.grid, m.comm), now(),
              'open', '/x/' || m.sid, m.skey, jsonb_build_object('id', m.sid), now(), NULL, ''
            FROM hand_m m JOIN (VALUES {values}) AS r(rid, pid, uid)
              ON r.rid = COALESCE(m.grid, m.comm)
            WHERE NOT EXISTS (SELECT 1 FROM workload_task x
                              WHERE x.state = 'open' AND x.source_key = m.skey)
            ON CONFLICT DO NOTHING""")
        cur.execute(
            """UPDATE workload_task SET state = 'closed', closed_at = now(),
                         close_reason = '条件不再满足'
                       WHERE state = 'open' AND kind = 'outreach' AND source_key LIKE %s
                         AND NOT EXISTS (SELECT 1 FROM hand_m m
                                         WHERE m.skey = workload_task.source_key)""",
            [prefix + "%"],
        )
        elapsed = time.perf_counter() - t0
        transaction.set_rollback(True)
    return elapsed


def hand_query(key: str) -> float:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM ({HAND[key]}) m", {"prefix": f"{TOWNSHIP}%"})
        cur.fetchone()
    return time.perf_counter() - t0


def jiceng_run(rule):
    from jiceng.outreach.screening import rule_run

    t0 = time.perf_counter()
    run = rule_run(rule=rule, by=None, trigger="bench")
    return time.perf_counter() - t0, run


def change_records(key: str, n: int = 10000) -> None:
    """10,000 changed records, each really changed: matching ones stop, others start matching."""
    from django.db import connection

    rng = random.Random()
    with connection.cursor() as cur:
        if key == "health_cert":
            cur.execute("SELECT MIN(id), MAX(id) FROM outreach_certificate WHERE kind = '健康证'")
            lo, hi = cur.fetchone()
            cur.execute(
                "UPDATE outreach_certificate SET updated_at = now(), expires = CASE "
                "WHEN expires <= CURRENT_DATE + 30 THEN CURRENT_DATE + 700 "
                "ELSE CURRENT_DATE - 1 END WHERE id = ANY(%s)",
                [rng.sample(range(lo, hi + 1), n)],
            )
        else:
            cur.execute("SELECT MIN(id), MAX(id) FROM outreach_resident")
            lo, hi = cur.fetchone()
            ids = rng.sample(range(lo, hi + 1), n)
            cur.execute(
                "UPDATE outreach_resident SET updated_at = now(), tags = CASE "
                "WHEN tags LIKE '%%,高龄补贴,%%' THEN '' ELSE ',高龄补贴,' END "
                "WHERE id = ANY(%s)",
                [ids[: n // 2]],
            )
            cur.execute(
                "UPDATE outreach_resident SET updated_at = now(), tags = '', birth_date = "
                "(date_trunc('month', CURRENT_DATE) - interval '80 years')::date "
                "+ (id %% 28)::int WHERE id = ANY(%s)",
                [ids[n // 2 :]],
            )
        cur.execute("ANALYZE outreach_certificate; ANALYZE outreach_resident")


def compiled_query(rule) -> float:
    from jiceng.outreach.screening import matches

    t0 = time.perf_counter()
    matches(rule).count()
    return time.perf_counter() - t0


def bench_rule(key: str, rule, rows: int) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DELETE FROM workload_task WHERE source_key LIKE %s", [f"outreach:{rule.pk}:%"])
    hand_query(key), compiled_query(rule)  # warm the cache for both
    emit(f"screening.{key}.query", compiled_query(rule), "s", hand_query(key), rows=rows)
    base = hand_run(rule, key)
    took, run = jiceng_run(rule)
    emit(
        f"screening.{key}.first", took, "s", base, matched=run.matched, opened=run.opened, rows=rows
    )
    first = took
    base = hand_run(rule, key)
    took, run = jiceng_run(rule)
    emit(
        f"screening.{key}.rerun",
        took,
        "s",
        base,
        matched=run.matched,
        opened=run.opened,
        closed=run.closed,
        target_s=1.0,
    )
    change_records(key)
    base = hand_run(rule, key)
    took, run = jiceng_run(rule)
    emit(
        f"screening.{key}.changed",
        took,
        "s",
        base,
        matched=run.matched,
        opened=run.opened,
        closed=run.closed,
    )
    return first


def ensure_openfisca_venv() -> Path | None:
    python = OF_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OF_VENV)], check=True)
    ok = (
        subprocess.run(
            [str(python), "-c", "import openfisca_core, psycopg"], capture_output=True
        ).returncode
        == 0
    )
    if not ok:
        done = subprocess.run(
            [str(OF_VENV / "bin" / "pip"), "install", "-q", "openfisca-core", "psycopg[binary]"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(
                json.dumps(
                    {
                        "bench": "screening.age80.openfisca",
                        "error": "openfisca-core could not be installed: " + done.stderr[-300:],
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
            return None
    return python


def openfisca(url: str, jiceng_seconds: float, rule) -> None:
    from django.utils import timezone

    from jiceng.outreach.screening import rule_run

    python = ensure_openfisca_venv()
    if python is None:
        return
    month = timezone.localdate().strftime("%Y-%m")
    dsn = url.replace("postgres://", "postgresql://")
    out = subprocess.run(
        [str(python), str(ROOT / "bench" / "_openfisca_age80.py"), dsn, month],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        print(
            json.dumps(
                {"bench": "screening.age80.openfisca", "error": out.stderr[-800:]},
                ensure_ascii=False,
            ),
            flush=True,
        )
        return
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # jiceng's full run from scratch (tasks included) on the same data OpenFisca just read
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DELETE FROM workload_task WHERE source_key LIKE %s", [f"outreach:{rule.pk}:%"])
    t0 = time.perf_counter()
    run = rule_run(rule=rule, by=None, trigger="bench")
    took = time.perf_counter() - t0
    emit(
        "screening.age80.vs_openfisca",
        took,
        "s",
        result["seconds"],
        jiceng_matched=run.matched,
        openfisca_matched=result["matched"],
        openfisca_load_s=round(result["load_seconds"], 3),
        people=result["people"],
        first_run_s=round(jiceng_seconds, 3),
    )


def main() -> None:
    rows = arg("rows", 1_000_000)
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench.screening needs PostgreSQL (DATABASE_URL=postgres://…)")
    ensure_database(url)
    setup_django(url)
    prepare(rows)
    rs = rules()
    bench_rule("health_cert", rs["health_cert"], rows)
    first_age = bench_rule("age80", rs["age80"], rows)
    openfisca(url, first_age, rs["age80"])


if __name__ == "__main__":
    main()
