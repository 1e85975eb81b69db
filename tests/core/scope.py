"""Scope registrations for core, org and workload routes."""

from jiceng.org.models import Region, Unit
from jiceng.workload.actions import task_open
from tests.conftest import user
from tests.scope_registry import public, scope_check

public("", "healthz", "login/", "logout/", "api/v1/", "api/v1/org/locate")


@scope_check("org/regions/")
def _regions(db):
    return "/org/regions/?code=330603002", None


@scope_check("org/regions/<str:code>/")
def _region(db):
    return "/org/regions/330603002/", None


@scope_check("org/regions/<str:code>/grids.geojson")
def _region_geojson(db):
    return "/org/regions/330603002/grids.geojson", None


@scope_check("org/units/")
def _units(db):
    return "/org/units/", "柯岩街道城管中队"


@scope_check("org/units/<int:pk>/")
def _unit(db):
    return f"/org/units/{Unit.objects.get(name='柯岩街道城管中队').pk}/", None


@scope_check("api/v1/org/regions/<code>")
def _api_region(db):
    return "/api/v1/org/regions/330603002", None


@scope_check("api/v1/org/regions/<code>/children")
def _api_region_children(db):
    return "/api/v1/org/regions/330603002/children", None


@scope_check("api/v1/org/units")
def _api_units(db):
    return "/api/v1/org/units", "柯岩街道城管中队"


@scope_check("api/v1/org/units/<pk>")
def _api_unit(db):
    return f"/api/v1/org/units/{Unit.objects.get(name='柯岩街道城管中队').pk}", None


def _task_of_a():
    me = user("dispatcher_ky").person
    return task_open(
        kind="other",
        subject="范围测试待办A",
        region=Region.objects.get(code="330603002"),
        by=me.user,
        assignee_person=me,
    )


@scope_check("inbox/")
def _inbox(db):
    _task_of_a()
    return "/inbox/", "范围测试待办A"


@scope_check("inbox/tasks/<int:pk>/")
def _task(db):
    return f"/inbox/tasks/{_task_of_a().pk}/", None


@scope_check("api/v1/workload/tasks")
def _api_tasks(db):
    _task_of_a()
    return "/api/v1/workload/tasks", "范围测试待办A"


@scope_check("api/v1/workload/tasks/<pk>")
def _api_task(db):
    return f"/api/v1/workload/tasks/{_task_of_a().pk}", None


@scope_check("api/v1/workload/burden")
def _api_burden(db):
    _task_of_a()
    return "/api/v1/workload/burden", "王派遣"


# 减负监测 is for leaders, the county and assessors, not the dispatcher persona these checks log in
# as: its scope (another township's leader gets 404 for a region outside theirs and never sees
# its people) is checked in tests/workload/test_burden.py.
public("inbox/burden/", "inbox/burden.xlsx", "api/v1/workload/burden/monthly")
# 交办事项 is for senders (leaders, the county, assessors): the page lists only the sender's area
# and a recipient outside it is refused (tests/workload/test_send.py); 办结 is POST-only and
# fetches the task through the scoped selector first (another township gets 404, same file).
# The sender's export holds only what they sent (test_the_sender_exports_who_has_done_it…).
public(
    "inbox/send/",
    "inbox/sent/",
    "inbox/sent.xlsx",
    "inbox/tasks/<int:pk>/done/",
    "api/v1/workload/tasks/<pk>/done",
)
# 平台数据 (一表通) is for the same senders; a region outside their area is a 404 and their own
# area is all they are shown (tests/workload/test_datasets.py).
public(
    "inbox/data/",
    "inbox/data/<str:key>/",
    "inbox/data/<str:key>.xlsx",
    "api/v1/workload/data",
    "api/v1/workload/data/<key>",
)
