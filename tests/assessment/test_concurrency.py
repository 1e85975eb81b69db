"""Two at once (PostgreSQL's row locks): the 通报 issued by several requests at the same moment is
issued and sent once; sweeps running together send one 督办 reminder per leader."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jiceng.assessment import actions
from jiceng.assessment.models import Appeal, Notice
from jiceng.org.models import Role
from jiceng.workload.models import Task

from .helpers import appeal, approved, inspect, person, score, staff, streets

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _together(n: int, run) -> tuple[list, list]:
    barrier, results, errors = threading.Barrier(n), [], []

    def go():
        from django.db import connections

        try:
            barrier.wait()
            results.append(run())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.fixture
def demo():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: row locks and concurrent transactions")
    from jiceng.org.demo import load_all
    from tests.conftest import PASSWORD

    load_all(password=PASSWORD)


def test_the_notice_issued_at_once_by_three_is_issued_and_sent_once(demo):
    ky, x1 = inspect(approved(), "柯岩街道办事处", *streets(1))
    score(ky, 55, 40)
    score(x1, 50, 40)
    organiser = person("assessor_kq")
    results, errors = _together(
        3,
        lambda: actions.notice_issue(
            item=ky.item, person=organiser, document="柯宣通〔2026〕1号", by=organiser.user
        ),
    )
    assert len(results) == 1 and len(errors) == 2
    assert all(isinstance(e, ValidationError) for e in errors)
    assert Notice.objects.count() == 1
    assert Task.objects.filter(source_key__startswith="assessment:notice:").count() == 2


def test_sweeps_together_send_one_reminder_per_leader(demo):
    staff("boss_xc", "柯桥区委宣传部", Role.LEADER)
    staff("boss2_xc", "柯桥区委宣传部", Role.LEADER)
    (x,) = inspect(approved(), "柯岩街道办事处")
    a = appeal(score(x, 55, 40))
    late = Appeal.objects.get(pk=a.pk).due_at.replace(year=a.due_at.year + 1)
    results, errors = _together(3, lambda: actions.sweep_late_appeals(now=late))
    assert not errors and sorted(results) == [0, 0, 2]
    reminders = Task.objects.filter(source_key__startswith=f"assessment:appeal:{a.pk}:late:")
    assert reminders.count() == 2
    assert {t.assignee_person.name for t in reminders} == {"boss_xc", "boss2_xc"}
