"""The time-limit sweep: a case nearing, then past, its limit is in the team's inbox once each per
limit, and leaves it when the team takes the next step."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.enforcement.actions import sweep_overdue
from jiceng.enforcement.models import PenaltyCase
from jiceng.workload.models import Task
from tests.conftest import client_for

from .helpers import open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def _warnings(pc):
    return Task.objects.filter(source_key__startswith=f"enforcement:{pc.pk}:clock:")


def test_a_case_past_its_limit_is_in_the_teams_inbox_once():
    late, on_time = open_case(party="超期当事人"), open_case(party="未超期当事人")
    # 100 days later the 90-day limit to decide has passed for the first case only
    PenaltyCase.objects.filter(pk=late.pk).update(
        decision_due_at=timezone.now() - dt.timedelta(days=10)
    )
    assert sweep_overdue() == 1
    (task,) = _warnings(late)
    assert task.assignee_unit == late.handling_unit and task.state == "open"
    assert "超期当事人" in task.subject and "作出处罚决定的时限" in task.subject
    assert not _warnings(on_time).exists()
    assert late.code in client_for("captain_pj").get("/inbox/").content.decode()
    assert sweep_overdue() == 0  # not twice for the same limit

    # the team acts: the warning leaves the inbox and the same missed limit is not warned again
    assert post(client_for("captain_pj"), f"{API}{late.code}/investigate").status_code == 200
    task.refresh_from_db()
    assert task.state == "done"
    assert sweep_overdue() == 0 and _warnings(late).count() == 1


def test_an_ended_case_is_never_warned():
    pc = open_case(party="已撤销当事人")
    PenaltyCase.objects.filter(pk=pc.pk).update(
        state="cancelled", decision_due_at=timezone.now() - dt.timedelta(days=1)
    )
    assert sweep_overdue() == 0 and not _warnings(pc).exists()


def test_the_team_is_reminded_before_the_limit_and_warned_after():
    pc = open_case(party="将到期当事人")
    due = timezone.now() + dt.timedelta(days=5)
    PenaltyCase.objects.filter(pk=pc.pk).update(decision_due_at=due)
    assert sweep_overdue() == 1
    (soon,) = _warnings(pc)
    assert "将于" in soon.subject and "届满" in soon.subject and soon.due_at == due
    assert sweep_overdue() == 0
    # six days on, the limit has passed: a second task says so
    assert sweep_overdue(now=due + dt.timedelta(days=1)) == 1
    over = _warnings(pc).exclude(pk=soon.pk).get()
    assert "已超过作出处罚决定的时限" in over.subject and over.due_at is None
