"""A review decided late: the worker's sweep sends one 督办 reminder to each leader of the
organising unit (its inbox if it has none), never twice, finished by the decision or the
withdrawal; the asking unit sees the review is overdue."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.assessment import actions
from jiceng.assessment.models import Appeal
from jiceng.assessment.tasks import remind_late_appeals
from jiceng.org.models import Role
from jiceng.workload.models import Task
from jiceng.workload.selectors import inbox_for
from tests.conftest import client_for

from .helpers import appeal, approved, inspect, person, score, staff

pytestmark = pytest.mark.django_db
J = "application/json"
HOUR = dt.timedelta(hours=1)


def _appealed():
    (x,) = inspect(approved(), "柯岩街道办事处")
    return appeal(score(x, 55, 40))


def _reminders(a: Appeal):
    return Task.objects.filter(source_key__startswith=f"assessment:appeal:{a.pk}:late:")


def test_one_reminder_per_leader_once_and_finished_by_the_decision():
    boss = staff("boss_xc", "柯桥区委宣传部", Role.LEADER)
    a = _appealed()
    assert actions.sweep_late_appeals(now=a.due_at - HOUR) == 0
    assert not _reminders(a).exists()
    late = a.due_at + HOUR
    assert actions.sweep_late_appeals(now=late) == 1
    (task,) = _reminders(a)
    assert task.kind == "escalation" and task.assignee_person == boss and task.state == "open"
    assert "复核未按期决定" in task.subject and "柯岩街道办事处" in task.subject
    assert task.link == f"/assessment/inspections/{a.inspection_id}/"
    assert task in inbox_for(boss.user)
    # the sweep again, later, or by the worker: nothing more
    assert actions.sweep_late_appeals(now=late + HOUR) == 0
    assert _reminders(a).count() == 1
    # a leader who closed it is not told again
    Task.objects.filter(pk=task.pk).update(state="closed")
    assert actions.sweep_late_appeals(now=late + 2 * HOUR) == 0
    Task.objects.filter(pk=task.pk).update(state="open")

    organiser = person("assessor_kq")
    actions.appeal_decide(
        appeal=a, person=organiser, outcome="upheld", decision="维持", by=organiser.user
    )
    task.refresh_from_db()
    assert task.state == "done" and "维持" in task.close_reason


def test_no_leader_the_units_inbox_and_the_withdrawal_closes_it():
    a = _appealed()
    Appeal.objects.filter(pk=a.pk).update(due_at=timezone.now() - HOUR)
    assert remind_late_appeals.call_local() == 1
    (task,) = _reminders(a)
    assert task.assignee_unit == a.inspection.item.issuer and task.assignee_person is None
    assert task in inbox_for(person("assessor_kq").user)
    leader = person("leader_ky")
    actions.appeal_withdraw(appeal=a, person=leader, reason="不再申请", by=leader.user)
    task.refresh_from_db()
    assert task.state == "closed" and "不再申请" in task.close_reason
    assert remind_late_appeals.call_local() == 0


def test_the_asking_unit_sees_the_review_is_overdue():
    a = _appealed()
    page = f"/assessment/inspections/{a.inspection_id}/"
    api = f"/api/v1/assessment/inspections/{a.inspection_id}"
    leader = client_for("leader_ky")
    assert 'id="appeal-overdue"' not in leader.get(page).content.decode()
    assert leader.get(api).json()["appeal"]["overdue"] is False
    Appeal.objects.filter(pk=a.pk).update(due_at=timezone.now() - HOUR)
    shown = leader.get(page).content.decode()
    assert 'id="appeal-overdue"' in shown and "已超过复核期限" in shown
    assert leader.get(api).json()["appeal"]["overdue"] is True
