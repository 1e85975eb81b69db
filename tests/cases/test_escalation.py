"""The escalation sweep: an overdue step is escalated exactly once, even with two sweeps at once.

Runs on whatever database is configured (SQLite locally, PostgreSQL in CI); the claim is one
conditional UPDATE in both.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from jiceng.cases.actions import settle_escalations, sweep_overdue
from jiceng.cases.models import Assignment, Case
from jiceng.workload.models import Task

from .helpers import report, run_together


def _dispatched_case(client) -> Case:
    code = report(client, source="patrol").json()["code"]
    return Case.objects.get(code=code)


@pytest.mark.django_db
def test_overdue_step_is_escalated_once_to_the_leader(persona):
    case = _dispatched_case(persona("grid_a"))
    lead = case.assignments.get(role="lead")
    later = lead.due_at + dt.timedelta(minutes=1)
    assert sweep_overdue(now=later) >= 1
    lead.refresh_from_db()
    assert lead.escalated_at is not None
    tasks = Task.objects.filter(kind="escalation", source_key__startswith=f"case:{case.pk}:esc:")
    assert tasks.count() == 1
    assert tasks.get().assignee_person.user.username == "leader_ky"
    assert sweep_overdue(now=later + dt.timedelta(hours=1)) == 0 or tasks.count() == 1
    assert tasks.count() == 1
    assert case.events.filter(verb="escalate").count() == 1


@pytest.mark.django_db
def test_a_step_not_yet_due_is_left_alone(persona):
    case = _dispatched_case(persona("grid_a"))
    lead = case.assignments.get(role="lead")
    sweep_overdue(now=lead.due_at - dt.timedelta(minutes=1))
    lead.refresh_from_db()
    assert lead.escalated_at is None


@pytest.mark.django_db
def test_warning_then_overdue_clock(persona):
    case = _dispatched_case(persona("grid_a"))
    lead = case.assignments.get(role="lead")
    assert lead.clock(lead.step_started_at) == "on_time"
    assert lead.clock(lead.warn_at) == "warning"
    assert lead.clock(lead.due_at + dt.timedelta(seconds=1)) == "overdue"


@pytest.mark.django_db
def test_a_new_step_can_escalate_again(persona):
    from tests.cases.test_flow import login, post

    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = _dispatched_case(persona("grid_a"))
        lead = case.assignments.get(role="lead")
        sweep_overdue(now=lead.due_at + dt.timedelta(minutes=1))
        clock.move_to(lead.due_at + dt.timedelta(minutes=2))
        assert post(login("handler_ky"), case.code, "accept").status_code == 200
        lead.refresh_from_db()
        assert lead.step == "handle" and lead.escalated_at is None


@pytest.mark.django_db
def test_a_reminder_closes_once_its_late_step_is_done_and_not_before(persona):
    from tests.cases.test_flow import login, post

    with time_machine.travel(timezone.now(), tick=False) as clock:
        done = _dispatched_case(persona("grid_a"))
        code = report(persona("grid_a"), source="patrol", k=5, text="路灯损坏").json()["code"]
        still = Case.objects.get(code=code)
        lead = done.assignments.get(role="lead")
        later = max(lead.due_at, still.assignments.get(role="lead").due_at)
        sweep_overdue(now=later + dt.timedelta(minutes=1))
        reminders = Task.objects.filter(kind="escalation", state="open")
        mine = reminders.get(source_key__startswith=f"case:{done.pk}:esc:a{lead.pk}:")
        assert settle_escalations() == 0  # both steps still late: both reminders stay
        clock.move_to(later + dt.timedelta(minutes=2))
        assert post(login("handler_ky"), done.code, "accept").status_code == 200
        assert settle_escalations() == 1
        mine.refresh_from_db()
        assert (mine.state, mine.close_reason) == ("closed", "超时环节已办理，督办结束")
        assert reminders.filter(source_key__startswith=f"case:{still.pk}:esc:").count() == 1
        assert settle_escalations() == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_escalate_each_step_once():
    from django.test import Client

    from jiceng.org.demo import load_all
    from tests.conftest import PASSWORD, user

    load_all(password=PASSWORD)
    grid = Client()
    grid.force_login(user("grid_ky"))
    cases = [_dispatched_case(grid) for _ in range(4)]
    due = max(a.due_at for a in Assignment.objects.filter(case__in=cases))
    later = due + dt.timedelta(minutes=1)

    counts = run_together(lambda: sweep_overdue(now=later), n=2)
    keys = Task.objects.filter(kind="escalation").values_list("source_key", flat=True)
    assert len(keys) == len(set(keys)) >= 4 and sum(counts) <= len(keys)
    for case in cases:
        assert case.events.filter(verb="escalate").count() == 1
        assert (
            Task.objects.filter(
                kind="escalation", source_key__startswith=f"case:{case.pk}:"
            ).count()
            == 1
        )


@pytest.mark.django_db
def test_a_row_another_writer_holds_is_tried_again_then_left_for_the_next_sweep(
    persona, monkeypatch
):
    """SQLite answers 'table is locked' (PostgreSQL may pick a deadlock victim) while another
    writer holds a row: the sweep tries the row again shortly instead of leaving it overdue, and
    leaves it for the next sweep only when it stays held."""
    from django.db import OperationalError

    from jiceng.cases.actions import escalation

    monkeypatch.setattr(escalation.time, "sleep", lambda s: None)
    lead = _dispatched_case(persona("grid_a")).assignments.get(role="lead")
    later = lead.due_at + dt.timedelta(minutes=1)
    real, tries = escalation._escalate_assignment, []

    def held(times):
        def escalate(pk, case_id, now):
            tries.append(pk)
            if len(tries) <= times:
                raise OperationalError("database table is locked: cases_assignment")
            return real(pk, case_id, now)

        return escalate

    def lost(pk, case_id, now):
        tries.append(pk)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(escalation, "_escalate_assignment", held(99))
    sweep_overdue(now=later)
    lead.refresh_from_db()
    assert tries == [lead.pk] * (escalation.LOCKED_RETRIES + 1) and lead.escalated_at is None

    tries.clear()
    monkeypatch.setattr(escalation, "_escalate_assignment", lost)
    sweep_overdue(now=later)  # not a held row: not waited on, tried once, left
    lead.refresh_from_db()
    assert tries == [lead.pk] and lead.escalated_at is None

    tries.clear()
    monkeypatch.setattr(escalation, "_escalate_assignment", held(2))
    sweep_overdue(now=later)  # the next sweep, while the other writer lets go after two tries
    lead.refresh_from_db()
    assert tries == [lead.pk] * 3 and lead.escalated_at is not None


def test_what_counts_as_a_row_another_writer_holds():
    from django.db import OperationalError
    from psycopg import errors as pg

    from jiceng.cases.actions.escalation import _held

    def wrapped(cause):  # as Django raises a driver's error: its own class, the driver's as cause
        try:
            raise OperationalError(str(cause)) from cause
        except OperationalError as exc:
            return exc

    assert _held(OperationalError("database table is locked: cases_assignment"))
    assert _held(wrapped(pg.DeadlockDetected("deadlock detected")))
    assert _held(wrapped(pg.SerializationFailure("could not serialize access")))
    assert not _held(wrapped(pg.OperationalError("server closed the connection unexpectedly")))
