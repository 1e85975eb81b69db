"""`load_demo` screens once with the seeded rules, so the social worker's first visit has work."""

import pytest

from jiceng.org.demo import DemoContext
from jiceng.outreach.demo import load_late
from jiceng.outreach.models import ScreeningRun
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def open_tasks_shown() -> int:
    page = client_for("social_dp").get("/outreach/").content.decode()
    return int(page.split('id="open-task-count">')[1].split("<")[0])


def test_the_demo_screens_once_and_the_social_worker_sees_the_tasks():
    assert open_tasks_shown() == 0  # tests (and --no-samples) start with no screening run
    load_late(DemoContext())
    assert not ScreeningRun.objects.exists()
    load_late(DemoContext(with_samples=True))
    runs = list(ScreeningRun.objects.filter(trigger="demo"))
    assert len(runs) == 3 and all(r.finished_at for r in runs)
    opened = sum(r.opened for r in runs)
    assert opened > 0 and open_tasks_shown() == opened
    load_late(DemoContext(with_samples=True))  # a later load_demo does not screen again
    assert ScreeningRun.objects.count() == 3
    rule = runs[0].rule
    page = client_for("social_dp").get(f"/outreach/rules/{rule.pk}/").content.decode()
    assert "演示数据" in page  # the run's trigger, in words
