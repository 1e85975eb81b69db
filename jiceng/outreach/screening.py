"""Screening runs: one set-based pass per rule that opens, keeps and closes inbox tasks.

One statement puts the matches of a rule (subject id, community, grid; the compiled query) side
by side with the rule's open tasks (subject ids read as integers from the source keys) in a
temporary table: new, kept and gone at once. Then, only if needed, one INSERT … SELECT opens a
task for each new match (looking up its masked label then; the partial unique index on
Task.source_key makes a second open task for the same rule and subject impossible), and one
UPDATE closes, by task id, the open tasks whose subject no longer matches. A rerun with no
change is that one statement and a count; nothing is done row by row.
"""

import time
import uuid

from django.db import connection, transaction
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
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


def _match_rows(rule: Rule, ctx: Context | None, labels: bool) -> QuerySet:
    spec = subject_spec(rule.subject)
    label = spec.label_expression() if labels else Cast(Value(None), TextField())
    return matches(rule, ctx).values(
        m_sid=F("pk"),
        m_comm=spec.region_expression("community"),
        m_grid=spec.region_expression("grid"),
        m_label=label,
    )


def _label_sql(rule: Rule) -> tuple[str, list]:
    """A correlated subquery giving the masked label of subject `t.sid`.

    When the rule already has open tasks, most matches are kept and only the new ones need a
    title, so the label is looked up for them alone (by primary key) rather than computed for
    every match.
    """
    spec = subject_spec(rule.subject)
    qs = spec.model.objects.filter(pk=RawSQL("t.sid", ())).values(m_label=spec.label_expression())
    return qs.query.sql_with_params()


def _recipients(rule: Rule) -> list[tuple[int, int | None, int | None]]:
    table = recipients_for(
        rule.region.code, social_workers=rule.recipient == Recipient.SOCIAL_WORKER
    )
    return [(rid, r.person_id, r.unit_id) for rid, r in table.items() if r.person_id or r.unit_id]


def _recipient_sql(rows: list) -> tuple[str, list]:
    if not rows:
        return (
            "SELECT CAST(NULL AS BIGINT) AS rid, CAST(NULL AS BIGINT) AS pid, "
            "CAST(NULL AS BIGINT) AS uid",
            [],
        )
    one = "SELECT CAST(%s AS BIGINT) AS rid, CAST(%s AS BIGINT) AS pid, CAST(%s AS BIGINT) AS uid"
    return " UNION ALL ".join([one] * len(rows)), [v for row in rows for v in row]


def _open_sql(rule: Rule) -> tuple[str, list]:
    """The rule's open tasks as (tid, sid): subject ids as integers, from the source key.

    Served by the partial index on open tasks (kind, source_key pattern ops); joining on
    integers keeps the comparison with the matches one cheap hash join.
    """
    prefix = source_prefix(rule)
    return (
        f"SELECT x.id AS tid, CAST(SUBSTR(x.source_key, {len(prefix) + 1}) AS BIGINT) AS sid "
        f"FROM {Task._meta.db_table} x "
        "WHERE x.state = 'open' AND x.kind = %s AND x.source_key LIKE %s",
        [TaskKind.OUTREACH, prefix + "%"],
    )


def _details_sql(rule: Rule, run: ScreeningRun) -> str:
    pairs = f"'rule', {int(rule.pk)}, 'run', {int(run.pk)}, 'subject', %s, 'id', t.sid"
    if connection.vendor == "postgresql":
        return f"jsonb_build_object({pairs})"
    return f"json_object({pairs})"


def _has_open(cur, rule: Rule) -> bool:
    osql, oparams = _open_sql(rule)
    cur.execute(f"SELECT EXISTS ({osql})", oparams)
    return bool(cur.fetchone()[0])


def _fill(cur, rule: Rule, tmp: str, ctx: Context | None, labels: bool) -> None:
    """Matches and open tasks side by side in a temporary table, in one statement.

    A FULL JOIN of the matches (subject id, community, grid, and the masked label when
    `labels`) with the rule's open tasks (task id, subject id): a row with a subject and no
    task is new, a row with a task and no subject is gone, a row with both is kept. The open
    tasks are read once, here.
    """
    sql, params = _match_rows(rule, ctx, labels).query.sql_with_params()
    osql, oparams = _open_sql(rule)
    cur.execute(
        f"CREATE TEMPORARY TABLE {tmp} AS SELECT m.m_sid AS sid, m.m_comm AS comm, "
        f"m.m_grid AS grid, m.m_label AS label, o.tid AS tid "
        f"FROM ({sql}) m FULL JOIN ({osql}) o ON o.sid = m.m_sid",
        [*params, *oparams],
    )


def _counts(cur, tmp: str, assigned: list[int]) -> dict[str, int]:
    """Matched, new (with a recipient), gone and unassigned, from the temporary table alone.

    A rerun with nothing new and nothing gone ends here: no INSERT, no UPDATE.
    """
    # Region ids from the database, written as integer literals (never text from a user).
    ids = ", ".join(str(int(rid)) for rid in assigned)
    has_recipient = f"(COALESCE(t.grid, t.comm) IN ({ids}))" if ids else "(1 = 0)"
    cur.execute(
        f"""SELECT COUNT(t.sid),
              COALESCE(SUM(CASE WHEN t.sid IS NOT NULL AND t.tid IS NULL AND {has_recipient}
                           THEN 1 ELSE 0 END), 0),
              COALESCE(SUM(CASE WHEN t.sid IS NULL THEN 1 ELSE 0 END), 0),
              COALESCE(SUM(CASE WHEN t.sid IS NOT NULL AND NOT {has_recipient}
                           THEN 1 ELSE 0 END), 0)
            FROM {tmp} t"""
    )
    matched, new, gone, unassigned = (int(v) for v in cur.fetchone())
    return {"matched": matched, "new": new, "gone": gone, "unassigned": unassigned}


def _open_new(cur, rule: Rule, run: ScreeningRun, tmp: str, recipients: list, now) -> int:
    """Insert a task for every match without an open one; returns how many were opened."""
    rsql, rparams = _recipient_sql(recipients)
    lsql, lparams = _label_sql(rule)
    due = add_working_days(now, rule.due_working_days) if rule.due_working_days else None
    cur.execute(
        f"""INSERT INTO {Task._meta.db_table} (kind, subject, body, assignee_person_id,
              assignee_unit_id, from_unit_id, region_id, due_at, state, link, source_key, details,
              created_at, closed_at, close_reason)
            SELECT %s, SUBSTR(%s || COALESCE(t.label, ({lsql}), ''), 1, 200), %s, r.pid, r.uid, %s,
              COALESCE(t.grid, t.comm), %s, %s, %s || CAST(t.sid AS TEXT) || %s,
              %s || CAST(t.sid AS TEXT), {_details_sql(rule, run)}, %s, NULL, ''
            FROM {tmp} t JOIN ({rsql}) r ON r.rid = COALESCE(t.grid, t.comm)
            WHERE t.sid IS NOT NULL AND t.tid IS NULL
            ON CONFLICT DO NOTHING""",
        [
            TaskKind.OUTREACH,
            f"{rule.task_title}：",
            *lparams,
            rule.task_body,
            rule.from_unit_id,
            due,
            TaskState.OPEN,
            f"/outreach/subjects/{rule.subject}/",
            f"/?rule={rule.pk}",
            source_prefix(rule),
            rule.subject,
            now,
            *rparams,
        ],
    )
    return max(cur.rowcount, 0)


def _close_gone(cur, run: ScreeningRun, tmp: str, now) -> int:
    """Close the open tasks whose subject is no longer among the matches (by task id)."""
    cur.execute(
        f"""UPDATE {Task._meta.db_table} SET state = %s, closed_at = %s, close_reason = %s
            WHERE state = 'open' AND id IN (SELECT t.tid FROM {tmp} t WHERE t.sid IS NULL)""",
        [TaskState.CLOSED, now, f"{CLOSE_REASON}（筛查记录#{run.pk}）"],
    )
    return max(cur.rowcount, 0)


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
        recipients = _recipients(rule)
        with connection.cursor() as cur:
            # On failure the transaction rolls back, and the temporary table with it.
            # A first run (no open task yet) labels every match in the one query; later runs
            # look labels up for the new matches only.
            _fill(cur, rule, tmp, ctx, labels=not _has_open(cur, rule))
            counts = _counts(cur, tmp, [row[0] for row in recipients])
            run.matched, run.unassigned = counts["matched"], counts["unassigned"]
            run.opened = _open_new(cur, rule, run, tmp, recipients, now) if counts["new"] else 0
            run.closed = _close_gone(cur, run, tmp, now) if counts["gone"] else 0
            cur.execute(f"DROP TABLE {tmp}")
        run.finished_at = timezone.now()
        run.duration_ms = int((time.perf_counter() - t0) * 1000)
        run.save(
            update_fields=[
                "matched",
                "opened",
                "closed",
                "unassigned",
                "finished_at",
                "duration_ms",
            ]
        )
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
