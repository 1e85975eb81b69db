"""减负监测 over a county's year of tasks on PostgreSQL (S7).

    python -m bench.burden [--rows N] [--people P] [--sample S]

Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/jiceng_bench_burden;
created, migrated and loaded with the demo region). P synthetic staff of 沾益区 (default 200) get
N tasks (default 1,000,000) spread over the last 12 months, to them or to their units, from the
county's departments. The monitor (`burden_by_month`: everyone, 12 months, one aggregate query) is
timed against asking `burden_for` person by person and month by month, as a page without it
would. That baseline is measured on S people (default 10) and scaled to all P; the two answers
are compared on those S people, and the run fails if they differ.
"""

import datetime as dt
import os
import random
import time

from bench._common import arg, emit, ensure_database, setup_django, timed

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiceng_bench_burden"
COUNTY = "530303"


def prepare(rows: int, n_people: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from jiceng.org.demo import DemoContext
    from jiceng.org.demo import load as load_org
    from jiceng.org.models import Person, PersonRole, Region, Role, Unit
    from jiceng.workload.models import Task

    call_command("migrate", verbosity=0)
    load_org(DemoContext(password="bench-only-password"))
    staff = Person.objects.filter(user__username__startswith="bench-staff-")
    if staff.count() == n_people and Task.objects.count() == rows:
        return
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE workload_task CASCADE")  # a database of its own: nothing else here
    PersonRole.objects.filter(person__in=staff).delete()
    staff.delete()
    get_user_model().objects.filter(username__startswith="bench-staff-").delete()
    townships = list(Region.objects.filter(level="township", code__startswith=COUNTY))
    local_units = list(Unit.objects.filter(region__in=townships))
    departments = list(Unit.objects.filter(region__code=COUNTY))
    rnd = random.Random(7)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-staff-{k}") for k in range(n_people)
    )
    people = Person.objects.bulk_create(
        Person(
            user=u,
            name=f"干部{k}",
            home_unit=(home := rnd.choice(local_units)),
            managing_unit=home,
            region=home.region,
        )
        for k, u in enumerate(users)
    )
    PersonRole.objects.bulk_create(PersonRole(person=p, role=Role.HANDLER) for p in people)
    now = timezone.now()
    kinds = ["data_request", "assessment", "other", "case", "whistle"]
    batch: list[Task] = []
    for k in range(rows):
        p = people[k % n_people]
        to_unit = k % 4 == 0  # a quarter go to the unit, the rest to the person
        batch.append(
            Task(
                kind=kinds[k % len(kinds)],
                subject="基准测试事项",
                region=p.region,
                assignee_person=None if to_unit else p,
                assignee_unit=p.home_unit if to_unit else None,
                from_unit=rnd.choice(departments) if k % 10 else None,
                created_at=now - dt.timedelta(seconds=rnd.randrange(360 * 86400)),
                state="done",
            )
        )
        if len(batch) == 20_000:
            Task.objects.bulk_create(batch)
            batch = []
    Task.objects.bulk_create(batch)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE workload_task")
    print(f"# generated {rows} tasks for {n_people} staff in {time.perf_counter() - t0:.1f}s")


def main() -> None:
    rows, n_people, sample = arg("rows", 1_000_000), arg("people", 200), arg("sample", 10)
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    ensure_database(url)
    setup_django(url)
    prepare(rows, n_people)

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiceng.org.models import Person
    from jiceng.workload.selectors import burden_by_month, burden_for, month_starts

    county = get_user_model().objects.get(username="county_zy")
    now = timezone.now()
    table: dict = {}

    def monitor() -> None:
        table.update(burden_by_month(county, months=12, now=now))

    seconds = timed(monitor, repeat=3)
    staff = list(Person.objects.filter(user__username__startswith="bench-staff-").order_by("pk"))
    starts = [*month_starts(now, 12), now]
    picked = staff[:sample]
    by_pk = {row["person"].pk: row["months"] for row in table["people"]}

    def one_by_one() -> None:
        for p in picked:
            for i in range(12):
                got = burden_for(p, starts[i], starts[i + 1])
                want = by_pk[p.pk][i]
                if (got["tasks"], got["upper_units"]) != (want["tasks"], want["upper_units"]):
                    raise SystemExit(f"burden differs for {p.name} {want['month']}: {got} {want}")

    per_person = timed(one_by_one) / len(picked)
    emit(
        "burden.monitor_seconds",
        seconds,
        "s",
        per_person * len(table["people"]),
        tasks=rows,
        people=len(table["people"]),
        months=12,
        baseline_note=f"burden_for per person per month, measured on {len(picked)} people",
    )


if __name__ == "__main__":
    main()
