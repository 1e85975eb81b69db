"""The sample cases of `load_demo`: made through the real actions, once, visible by scope."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from jiceng.cases.demo import RESIDENT_REPORTS, load_late
from jiceng.cases.models import Case, Status
from jiceng.core.models import AuditEvent
from jiceng.org.demo import DemoContext
from jiceng.workload.models import Task
from tests.conftest import client_for


def keys():
    return {c.idempotency_key: c for c in Case.objects.filter(idempotency_key__startswith="demo-")}


def test_load_demo_adds_the_sample_cases_once_through_the_actions(db, persona):
    assert not keys()  # tests start with no cases; only load_demo asks for them
    call_command("load_demo", "--no-classifier", "--password", "test-pass-123", verbosity=0)
    made = keys()
    assert len(made) == len(RESIDENT_REPORTS) + 2
    dumping, furniture = made["demo-ky-dumping"], made["demo-ky-furniture"]
    assert dumping.status == Status.ACCEPTED and furniture.status == Status.CLOSED
    helping = {a.unit.name: a for a in dumping.assignments.all() if a.role == "assist"}
    assert set(helping) == {"柯岩街道派出所", "柯岩街道生态环境工作站", "柯岩街道城管中队"}
    assert [n for n, a in sorted(helping.items()) if a.accepted_at] == [
        "柯岩街道派出所",
        "柯岩街道生态环境工作站",
    ]
    verbs = list(furniture.events.order_by("id").values_list("verb", flat=True))
    assert verbs[0] == "report" and "verify" in verbs and verbs[-1] == "close"
    assert AuditEvent.objects.filter(verb="cases.report", object_id=str(furniture.pk)).exists()
    # no classifier here: the residents' messages wait in the dispatcher's queue
    queue = persona("staff_a").get("/cases/queue/").content.decode()
    assert made["demo-ky-school"].code in queue and made["demo-pj-farmland"].code not in queue
    assert made["demo-pj-farmland"].code in persona("staff_b").get("/cases/queue/").content.decode()

    ctx = DemoContext(with_samples=True)
    load_late(ctx)  # a second load_demo finds its reports by their keys and adds nothing
    assert keys().keys() == made.keys() and Case.objects.count() == len(made)
    assert not ctx.log


def test_the_case_page_shows_each_person_only_the_actions_they_may_take(db, persona):
    load_late(DemoContext(with_samples=True))
    dumping = keys()["demo-ky-dumping"]  # whistled; police and environment have reported in

    def buttons(username: str) -> set[str]:
        page = client_for(username).get(f"/cases/{dumping.code}/").content.decode()
        ids = ("do-whistle", "do-report-in", "do-assist-done", "do-handle", "do-close")
        shown = {i for i in ids if f'id="{i}"' in page}
        return shown | {"none"} if 'id="no-actions"' in page else shown

    assert buttons("dispatcher_ky") == {"do-whistle", "do-handle"}  # the desk, for the lead
    assert buttons("urban_ky") == {"do-report-in"}  # summoned, not yet reported in
    assert buttons("police_ky") == {"do-assist-done"}  # reported in: now reports its result
    assert buttons("grid_ky") == {"none"}  # verifies only once it is handled
    refused = persona("grid_a").post(f"/cases/{dumping.code}/act/report_in/", follow=True)
    assert "没有待办的任务" in refused.content.decode()  # hidden, and still refused if posted


def test_home_counts_the_open_and_overdue_tasks_of_me_and_my_unit(db):
    load_late(DemoContext(with_samples=True))

    def badges(username: str) -> tuple[str, bool]:
        page = client_for(username).get("/").content.decode()
        shown = page.split('id="inbox-open">')[1].split("<")[0]
        return shown, 'id="inbox-overdue"' in page

    assert badges("urban_ky") == ("1", False)  # summoned by the whistle, not yet reported in
    Task.objects.filter(assignee_unit__name="柯岩街道城管中队").update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    page = client_for("urban_ky").get("/").content.decode()
    assert 'id="inbox-overdue">超期 1 件<' in page
    assert badges("police_ky") == ("1", False)  # reported in, its result still to report
    assert badges("grid_ky") == ("0", False)


def test_the_inbox_counts_apart_what_the_platform_sent_by_itself(db):
    load_late(DemoContext(with_samples=True))
    page = client_for("handler_ky").get("/inbox/").content.decode()
    burden = page.split('id="burden">')[1].split("</p>")[0]
    # both patrol findings went to the law-enforcement team straight from intake, by no unit
    assert burden == "近30天：收到 2 件事项，来自 0 个上级单位，其中平台自动派发 2 件"
