"""The demo's sample work in the inbox: sent through the real action, once."""

import pytest

from jiceng.org.demo import DemoContext
from jiceng.workload.demo import load_late
from jiceng.workload.models import Task, TaskState
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_samples_are_sent_once_and_one_is_done():
    ctx = DemoContext(with_samples=True)
    load_late(ctx)
    load_late(DemoContext(with_samples=True))
    tasks = Task.objects.filter(subject__endswith="（演示）").order_by("id")
    assert [t.state for t in tasks] == [TaskState.OPEN, TaskState.DONE]
    assert tasks[1].close_reason == "已报送照片12张" and "演示交办" in ctx.log[0]
    inbox = client_for("dispatcher_ky").get("/inbox/").content.decode()
    assert "报送本月宣传思想工作台账（演示）" in inbox
    assert "已办结 1 / 1" in client_for("leader_pj").get("/inbox/sent/").content.decode()


def test_no_samples_without_the_flag():
    load_late(DemoContext())
    assert not Task.objects.exists()
