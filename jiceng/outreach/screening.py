"""Screening runs: one set-based pass per rule that opens, keeps and closes inbox tasks.

The matches of a rule are computed once into a temporary table by the compiled query; then one
INSERT … SELECT opens a task for each new match (the partial unique index on Task.source_key
makes a second open task for the same rule and subject impossible), and one UPDATE closes the
open tasks whose subject no longer matches. Nothing is done row by row, so a run over a million
rows costs a few statements; running it again changes nothing.
"""

import time
import uuid

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from jiceng.core.audit import audit
from jiceng.core.calendar import add_working_days
from jiceng.org.models import Region
from jiceng.workload.models import Task, TaskKind, TaskState

from .conditions import Context, compile_condition
from .models import Recipient, Rule, ScreeningRun
from .recipients import recipients_for
from .subjects import subject_spec

CLOSE_REASON = "条件不再满足"


def source_prefix(rule: Rule) -> str:
    return f"outreach:{rule.pk}:{rule.subject}:"


def source_key(rule: Rule, subject_id: int) -> str:
    return f"{source_prefix(rule)}{subject_id}"


def in_region(qs: QuerySet, subject: str, region: Region) -> QuerySet:
    """Keep subjects whose community (or grid, for a grid rule) lies in the region."""
    spec = subject_spec(subject)
    if region.level == "grid":
        return qs.alias(_grid=spec.region_expression("grid")).filter(_grid=region.pk)
    # A literal id list (tens to hundreds of communities) lets the planner use the column's
    # statistics; a subquery here made it misjudge row counts and pick nested loops.
    communities = Region.objects.filter(code__startswith=region.code, level="community")
    return qs.alias(_comm=spec.region_expression("community")).filter(
        _comm__in=list(communities.values_list("pk", flat=True))
    )


def matches(rule: Rule, ctx: Context | None = None) -> QuerySet:
    """The subjects the rule matches today, as one queryset (ConditionError if it is invalid)."""
    spec = subject_spec(rule.subject)
    q = compile_condition(rule.subject, rule.condition, ctx)
    return in_region(spec.model.objects.filter(q), rule.subject, rule.region)


def _match_rows(rule: Rule, ctx: Context | None) -> QuerySet:
    spec = subject_spec(rule.subject)
    return matches(rule, ctx).values(
        m_sid=F("pk"),
        m_comm=spec.region_expression("community"),
        m_grid=spec.region_expression("grid"),
        m_label=spec.label_expression(),
    )


def _recipient_sql(rule: Rule) -> tuple[str, list]:
    table = recipients_for(
        rule.region.code, social_workers=rule.recipient == Recipient.SOCIAL_WORKER
    )
    rows = [(rid, r.person_id, r.unit_id) for rid, r in table.items() if r.person_id or r.unit_id]
    if not rows:
        return (
            "SELECT CAST(NULL AS BIGINT) AS rid, CAST(NULL AS BIGINT) AS pid, "
            "CAST(NULL AS BIGINT) AS uid",
            [],
        )
    one = "SELECT CAST(%s AS BIGINT) AS rid, CAST(%s AS BIGINT) AS pid, CAST(%s AS BIGINT) AS uid"
    return " UNION ALL ".join([one] * len(rows)), [v for row in rows for v in row]


def _json(expr: str) -> str:
    return f"CAST({expr} AS jsonb)" if connection.vendor == "postgresql" else expr


def _open_new(cur, rule: Rule, run: ScreeningRun, tmp: str, now) -> tuple[int, int]:
    """Insert a task for every match without an open one; returns (opened, unassigned)."""
    rsql, rparams = _recipient_sql(rule)
    due = add_working_days(now, rule.due_working_days) if rule.due_working_days else None
    link = f"/outreach/subjects/{rule.subject}/"
    details = f'\'{{"rule": {rule.pk}, "run": {run.pk}, "subject": "{rule.subject}", "id": \' || CAST(t.sid AS TEXT) || \'}}\''
    table = Task._meta.db_table
    cur.execute(
        f"""INSERT INTO {table} (kind, subject, body, assignee_person_id, assignee_unit_id,
              from_unit_id, region_id, due_at, state, link, source_key, details, created_at,
              closed_at, close_reason)
            SELECT %s, SUBSTR(%s || COALESCE(t.label, ''), 1, 200), %s, r.pid, r.uid, %s,
              COALESCE(t.grid, t.comm), %s, %s, %s || CAST(t.sid AS TEXT) || %s, t.skey,
              {_json(details)}, %s, NULL, ''
            FROM {tmp} t JOIN ({rsql}) r ON r.rid = COALESCE(t.grid, t.comm)
            WHERE NOT EXISTS (SELECT 1 FROM {table} x
                              WHERE x.state = 'open' AND x.source_key = t.skey)
            ON CONFLICT DO NOTHING""",
        [
            TaskKind.OUTREACH,
            f"{rule.task_title}：",
            rule.task_body,
            rule.from_unit_id,
            due,
            TaskState.OPEN,
            link,
            f"/?rule={rule.pk}",
            now,
            *rparams,
        ],
    )
    opened = max(cur.rowcount, 0)
    cur.execute(
        f"SELECT COUNT(*) FROM {tmp} t LEFT JOIN ({rsql}) r ON r.rid = COALESCE(t.grid, t.comm) "
        "WHERE r.rid IS NULL",
        rparams,
    )
    return opened, cur.fetchone()[0]


def _close_gone(cur, rule: Rule, run: ScreeningRun, tmp: str, now) -> int:
    """Close the rule's open tasks whose subject is no longer among the matches."""
    table = Task._meta.db_table
    cur.execute(
        f"""UPDATE {table} SET state = %s, closed_at = %s, close_reason = %s
            WHERE state = 'open' AND kind = %s AND source_key LIKE %s
              AND NOT EXISTS (SELECT 1 FROM {tmp} t WHERE t.skey = {table}.source_key)""",
        [
            TaskState.CLOSED,
            now,
            f"{CLOSE_REASON}（筛查记录#{run.pk}）",
            TaskKind.OUTREACH,
            source_prefix(rule) + "%",
        ],
    )
    return max(cur.rowcount, 0)


def _fill(cur, rule: Rule, tmp: str, ctx: Context | None) -> int:
    sql, params = _match_rows(rule, ctx).query.sql_with_params()
    cur.execute(
        f"CREATE TEMPORARY TABLE {tmp} AS SELECT m.m_sid AS sid, m.m_comm AS comm, "
        f"m.m_grid AS grid, m.m_label AS label, %s || CAST(m.m_sid AS TEXT) AS skey "
        f"FROM ({sql}) m",
        [source_prefix(rule), *params],
    )
    if connection.vendor == "postgresql":
        cur.execute(f"ANALYZE {tmp}")
    cur.execute(f"SELECT COUNT(*) FROM {tmp}")
    return cur.fetchone()[0]


def rule_run(*, rule: Rule, by, trigger: str = "manual", ctx: Context | None = None):
    """Run one rule now: open, keep and close its tasks; returns the ScreeningRun (audited).

    Callers check that the rule is active; the rule row is locked for the run, so overlapping
    runs of one rule queue behind each other, and the unique index catches anything else.
    """
    t0 = time.perf_counter()
    now = timezone.now()
    tmp = f"outreach_match_{uuid.uuid4().hex[:12]}"
    with transaction.atomic():
        rule = Rule.objects.select_for_update().select_related("region").get(pk=rule.pk)
        run = ScreeningRun.objects.create(rule=rule, started_at=now, trigger=trigger, by=by)
        with connection.cursor() as cur:
            # On failure the transaction rolls back, and the temporary table with it.
            run.matched = _fill(cur, rule, tmp, ctx)
            run.opened, run.unassigned = _open_new(cur, rule, run, tmp, now)
            run.closed = _close_gone(cur, rule, run, tmp, now)
            cur.execute(f"DROP TABLE {tmp}")
        run.finished_at = timezone.now()
        run.duration_ms = int((time.perf_counter() - t0) * 1000)
        run.save()
        audit(
            actor=by,
            verb="outreach.run",
            obj=run,
            after={
                "rule": rule.pk,
                "matched": run.matched,
                "opened": run.opened,
                "closed": run.closed,
                "unassigned": run.unassigned,
                "duration_ms": run.duration_ms,
                "trigger": trigger,
            },
        )
    return run
