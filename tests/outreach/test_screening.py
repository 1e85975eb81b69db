"""Screening runs: idempotent reruns, tasks that close themselves, recipients, activation guard,
masked explanations, and overlapping runs on PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.org.models import Person, PersonRole, Region, Unit
from jiceng.outreach.actions import rule_activate, rule_run, rule_save
from jiceng.outreach.demo import HEALTH_RULE
from jiceng.outreach.models import Certificate, Rule
from jiceng.outreach.rulecheck import explain
from jiceng.outreach.screening import source_key
from jiceng.workload.models import Task
from tests.outreach import factories as f

# 湖滨街道 has six communities; 东坡路社区 (…057) holds the demo, the tests use another one.
OTHER = "330102003"


@pytest.fixture
def community(db):
    return (
        Region.objects.filter(code__startswith=OTHER, level="community")
        .exclude(code="330102003057")
        .order_by("code")
        .first()
    )


@pytest.fixture
def sw(person):
    return person("social_worker").user


def make_rule(region, by, condition=None, **kw):
    spec = {**HEALTH_RULE, "name": kw.pop("name", "测试健康证规则"), **kw}
    if condition is not None:
        spec["condition"] = condition
    return rule_save(by=by, activate=True, region=region, **spec)


@pytest.fixture
def admin_user(person):
    return person("admin").user


@pytest.fixture
def kitchen(community):
    biz = f.business("测试馆", "餐饮", community=community.code)
    people = []
    for k, days in enumerate([-5, 10, 300]):
        p = f.resident(f"员工{k}", community=community.code)
        f.employ(p, biz)
        f.health_cert(p, timezone.localdate() + dt.timedelta(days=days))
        people.append(p)
    return biz, people


def open_tasks(rule):
    return Task.objects.filter(source_key__startswith=f"outreach:{rule.pk}:", state="open")


def test_run_opens_one_task_per_match_and_rerun_changes_nothing(kitchen, community, admin_user):
    rule = make_rule(community, admin_user)
    audits = AuditEvent.objects.count()
    first = rule_run(rule=rule, by=admin_user)
    assert (first.matched, first.opened, first.closed) == (2, 2, 0)
    keys = set(open_tasks(rule).values_list("source_key", flat=True))
    again = rule_run(rule=rule, by=admin_user)
    assert (again.matched, again.opened, again.closed) == (2, 0, 0)
    assert set(open_tasks(rule).values_list("source_key", flat=True)) == keys
    # one audit row per run, with the counts; not one per task
    runs = AuditEvent.objects.filter(verb="outreach.run").order_by("-id")[:2]
    assert AuditEvent.objects.count() == audits + 2
    assert runs[1].after["opened"] == 2 and runs[0].after["opened"] == 0


def test_task_closes_when_the_certificate_is_renewed(kitchen, community, admin_user):
    rule = make_rule(community, admin_user)
    rule_run(rule=rule, by=admin_user)
    renewed = kitchen[1][0]
    f.health_cert(renewed, timezone.localdate() + dt.timedelta(days=365))
    run = rule_run(rule=rule, by=admin_user)
    assert (run.matched, run.opened, run.closed) == (1, 0, 1)
    emp = renewed.employments.get()
    task = Task.objects.get(source_key=source_key(rule, emp.pk))
    assert task.state == "closed" and task.close_reason.startswith("条件不再满足")
    # it expires again later: a new task opens, the closed one stays in history
    Certificate.objects.filter(holder_resident=renewed).update(expires=timezone.localdate())
    run = rule_run(rule=rule, by=admin_user)
    assert run.opened == 1
    assert Task.objects.filter(source_key=source_key(rule, emp.pk)).count() == 2


def test_run_opening_and_closing_at_once_keeps_the_other_tasks(kitchen, community, admin_user):
    rule = make_rule(community, admin_user)
    rule_run(rule=rule, by=admin_user)
    kept = set(open_tasks(rule).values_list("id", flat=True))
    _biz, people = kitchen
    f.health_cert(people[0], timezone.localdate() + dt.timedelta(days=400))  # renewed
    Certificate.objects.filter(holder_resident=people[2]).update(expires=timezone.localdate())
    run = rule_run(rule=rule, by=admin_user)
    assert (run.matched, run.opened, run.closed) == (2, 1, 1)
    still = set(open_tasks(rule).values_list("id", flat=True))
    assert len(still) == 2 and len(still & kept) == 1
    # a task opened by a later run gets its masked label looked up, like a first run's
    (late,) = Task.objects.filter(id__in=still - kept)
    assert late.subject == "健康证到期提醒：员** · 测试馆"
    assert late.details["run"] == run.pk
    gone = Task.objects.get(source_key=source_key(rule, people[0].employments.get().pk))
    assert gone.state == "closed" and f"筛查记录#{run.pk}" in gone.close_reason


def test_task_finished_by_a_person_is_reopened_while_the_subject_still_matches(
    kitchen, community, admin_user
):
    from jiceng.workload.actions import task_finish

    rule = make_rule(community, admin_user)
    rule_run(rule=rule, by=admin_user)
    task = open_tasks(rule).order_by("id").first()
    task_finish(task=task, by=admin_user, state="done", reason="已提醒")
    run = rule_run(rule=rule, by=admin_user)
    assert (run.matched, run.opened, run.closed) == (2, 1, 0)
    assert Task.objects.filter(source_key=task.source_key).count() == 2
    assert open_tasks(rule).count() == 2


def test_matches_without_recipient_are_counted_not_opened(
    kitchen, community, admin_user, monkeypatch
):
    from jiceng.outreach import screening

    rule = make_rule(community, admin_user)
    monkeypatch.setattr(screening, "recipients_for", lambda *a, **k: {})
    run = rule_run(rule=rule, by=admin_user)
    assert (run.matched, run.opened, run.closed, run.unassigned) == (2, 0, 0, 2)
    assert open_tasks(rule).count() == 0


def test_tasks_carry_masked_title_link_due_date_and_details(kitchen, community, admin_user):
    rule = make_rule(community, admin_user)
    run = rule_run(rule=rule, by=admin_user)
    task = open_tasks(rule).order_by("id").first()
    assert task.kind == "outreach"
    assert task.subject.startswith("健康证到期提醒：员") and "**" in task.subject
    assert "员工0" not in task.subject
    assert task.details == {
        "rule": rule.pk,
        "run": run.pk,
        "subject": "employee",
        "id": int(task.source_key.rsplit(":", 1)[1]),
    }
    assert task.link == f"/outreach/subjects/employee/{task.details['id']}/?rule={rule.pk}"
    assert task.due_at > timezone.now()


def test_recipient_is_grid_social_worker_then_community_worker_then_committee(
    kitchen, community, admin_user
):
    biz, people = kitchen
    rule = make_rule(community, admin_user)
    committee = Unit.objects.get(region=community, kind="committee")
    rule_run(rule=rule, by=admin_user)
    assert set(open_tasks(rule).values_list("assignee_unit", flat=True)) == {committee.pk}
    # a social worker for the community takes over new tasks
    worker = Person.objects.create(user=_user("sw_comm"), name="社区社工", region=community)
    PersonRole.objects.create(person=worker, role="social_worker")
    grid = Region.objects.filter(parent=community, level="grid").first()
    grid_worker = Person.objects.create(user=_user("sw_grid"), name="网格社工", region=grid)
    PersonRole.objects.create(person=grid_worker, role="social_worker")
    shop = f.business("网格里的馆", "餐饮", community=community.code, grid=grid.code)
    for name, where in [("甲", biz), ("乙", shop)]:
        p = f.resident(name, community=community.code)
        f.employ(p, where)
        f.health_cert(p, timezone.localdate())
    rule_run(rule=rule, by=admin_user)
    by_name = {t.subject.split("：")[1]: t for t in open_tasks(rule)}
    assert by_name["甲** · 测试馆"].assignee_person_id == worker.pk
    assert by_name["乙** · 网格里的馆"].assignee_person_id == grid_worker.pk
    assert by_name["乙** · 网格里的馆"].region_id == grid.pk


def _user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(name, password="x")


def test_demo_social_worker_receives_dongpo_tasks(db, sw, person):
    rule = Rule.objects.get(name=HEALTH_RULE["name"], region__code="330102003057")
    rule_run(rule=rule, by=sw)
    assert open_tasks(rule).count() == 5
    assert set(open_tasks(rule).values_list("assignee_person", flat=True)) == {
        person("social_worker").pk
    }


def test_failing_test_case_blocks_activation(community, admin_user):
    bad_case = {
        "name": "有效证也匹配？",
        "expect": True,
        "record": {"business.industry": "餐饮", "health_cert_expires": "today+300d"},
    }
    rule = make_rule(community, admin_user, test_cases=[*HEALTH_RULE["test_cases"], bad_case])
    assert not rule.active
    assert [r["name"] for r in rule.test_results if not r["ok"]] == ["有效证也匹配？"]
    with pytest.raises(ValidationError, match="测试用例未通过"):
        rule_activate(rule=rule, by=admin_user)
    with pytest.raises(ValidationError, match="未启用"):
        rule_run(rule=rule, by=admin_user)
    rule = rule_save(by=admin_user, rule=rule, test_cases=HEALTH_RULE["test_cases"])
    assert rule_activate(rule=rule, by=admin_user).active


def test_test_case_with_unknown_field_fails(community, admin_user):
    case = {"name": "错字段", "expect": True, "record": {"industry": "餐饮"}}
    rule = make_rule(community, admin_user, test_cases=[case])
    assert not rule.active and "没有的字段" in rule.test_results[0]["error"]


def test_invalid_condition_is_refused_with_reason(community, admin_user):
    with pytest.raises(ValidationError) as err:
        make_rule(community, admin_user, condition={"field": "secret", "op": "eq", "value": 1})
    assert "没有字段“secret”" in str(err.value)
    assert not Rule.objects.filter(name="测试健康证规则").exists()


def test_rule_outside_scope_is_refused(community, person):
    staff_b = person("staff_b").user
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        make_rule(community, staff_b)


def test_explanation_masks_personal_data(kitchen, community, admin_user):
    rule = make_rule(
        community,
        admin_user,
        condition={
            "all": [
                *HEALTH_RULE["condition"]["all"],
                {"field": "resident.birth_date", "op": "le", "value": "today"},
            ]
        },
    )
    emp = kitchen[1][0].employments.get()
    lines = explain(rule, emp)
    assert lines[0]["ok"] and lines[0]["text"] == "以下全部满足"
    texts = [(line["text"], line["actual"]) for line in lines[1:]]
    assert texts[0] == ("单位行业 等于 餐饮", "餐饮")
    assert texts[2][0] == "最新健康证有效期至 已过期或30天内到期"
    assert texts[3][1].endswith("-**")  # birth date masked to the month
    full = explain(rule, emp, unmasked=True)
    assert not full[4]["actual"].endswith("-**")


def test_nightly_job_runs_every_active_rule(db):
    from jiceng.outreach.tasks import screen_all

    active = Rule.objects.filter(active=True).count()
    assert len(screen_all()) == active


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_leave_one_open_task_per_subject():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: row locks and concurrent transactions")
    from jiceng.org.demo import load_all
    from tests.conftest import PASSWORD

    load_all(password=PASSWORD)
    rule = Rule.objects.get(name=HEALTH_RULE["name"], region__code="330102003057")
    barrier, results, errors = threading.Barrier(4), [], []

    def go():
        from django.db import connections

        try:
            barrier.wait()
            results.append(rule_run(rule=rule, by=None).opened)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [0, 0, 0, 5]
    assert open_tasks(rule).count() == 5
    keys = list(open_tasks(rule).values_list("source_key", flat=True))
    assert len(keys) == len(set(keys))
