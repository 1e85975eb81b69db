"""S2 through the API: patrol finding → street → whistle → report in → handled → verified → closed."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from jiceng.cases.history import verify_case_chain
from jiceng.cases.models import Case
from jiceng.core.calendar import working_seconds_between
from jiceng.workload.models import Task

from .helpers import KEYAN, at, report, unit

pytestmark = pytest.mark.django_db


def post(client, code, step, body=None):
    return client.post(f"/api/v1/cases/{code}/{step}", body or {}, content_type="application/json")


def login(username):
    from tests.conftest import user

    c = Client()
    c.force_login(user(username))
    return c


def test_s2_illegal_dumping_closed_within_12_working_hours(persona):
    start = at(2025, 6, 10, 9, 0)  # a Tuesday
    with time_machine.travel(start, tick=False) as clock:
        grid = persona("grid_a")
        r = report(grid, text="巡查发现有人用三轮车运来垃圾倾倒在河边", source="patrol")
        assert r.status_code == 201, r.content
        code = r.json()["code"]
        case = Case.objects.get(code=code)
        assert case.status == "dispatched"  # a patrol finding needs no verification
        assert case.lead_unit.name == "柯岩街道综合执法队"
        assert Task.objects.filter(
            assignee_unit=case.lead_unit, state="open", source_key__startswith=f"case:{case.pk}:"
        ).exists()

        clock.shift(dt.timedelta(minutes=5))
        assert post(login("handler_ky"), code, "accept").status_code == 200
        units = [unit(KEYAN, s).pk for s in ("派出所", "生态环境工作站", "城管中队")]
        r = post(
            persona("staff_a"),
            code,
            "whistle",
            {"unit_ids": units, "message": "倾倒垃圾，速到现场"},
        )
        assert r.status_code == 200, r.content
        assists = [a for a in r.json()["assignments"] if a["role"] == "assist"]
        assert len(assists) == 3 and all(a["step"] == "report_in" for a in assists)

        clock.shift(dt.timedelta(minutes=10))
        for who in ("police_ky", "env_ky", "urban_ky"):
            assert post(login(who), code, "report-in").status_code == 200
        clock.shift(dt.timedelta(hours=1))
        assert (
            post(
                login("handler_ky"), code, "handle", {"result": "已清运，责令当事人整改"}
            ).status_code
            == 200
        )
        # The lead is done, the assisting parts are not: no closing yet.
        assert post(persona("grid_a"), code, "verify", {"ok": True}).status_code == 200
        r = post(persona("staff_a"), code, "close")
        assert r.status_code == 409 and "未完成" in r.json()["detail"]
        for who in ("police_ky", "env_ky", "urban_ky"):
            assert (
                post(login(who), code, "assist-done", {"result": "已配合处置"}).status_code == 200
            )
        clock.shift(dt.timedelta(minutes=30))
        r = post(persona("staff_a"), code, "close")
        assert r.status_code == 200, r.content

    case.refresh_from_db()
    assert case.status == "closed"
    assert working_seconds_between(case.reported_at, case.closed_at) < 12 * 3600
    assert case.closed_at <= case.close_due_at and case.handled_at <= case.handle_due_at
    assert verify_case_chain(case) == []
    assert not Task.objects.filter(source_key__startswith=f"case:{case.pk}:", state="open").exists()
    verbs = list(case.events.values_list("verb", flat=True))
    assert verbs[:3] == ["report", "register", "dispatch"] and verbs[-1] == "close"
    assert verbs.count("report_in") == 3


def _dispatched(persona, **extra):
    code = report(persona("grid_a"), source="patrol", **extra).json()["code"]
    return code


def test_roles_and_states_are_guarded_with_clear_answers(persona):
    code = _dispatched(persona)
    # a grid worker cannot accept for the enforcement team
    r = post(persona("grid_a"), code, "accept")
    assert r.status_code == 403 and "不能" in r.json()["detail"]
    # closing a case that is not verified is refused by its state
    r = post(persona("staff_a"), code, "close")
    assert r.status_code == 409 and "已派遣" in r.json()["detail"]
    # another township's dispatcher does not even see it
    assert post(persona("staff_b"), code, "accept").status_code == 404
    assert Case.objects.get(code=code).status == "dispatched"


def test_return_reroutes_and_counts_against_accurate_dispatch(persona):
    code = _dispatched(persona)
    r = post(login("handler_ky"), code, "return", {"reason": ""})
    assert r.status_code == 400 and "退回理由" in r.json()["detail"]
    r = post(login("handler_ky"), code, "return", {"reason": "不属于执法队职责"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "registered" and "退回" in body["triage_reason"]
    urban = unit(KEYAN, "城管中队")
    r = post(persona("staff_a"), code, "dispatch", {"unit_id": urban.pk})
    assert r.status_code == 200 and r.json()["lead_unit"] == "柯岩街道城管中队"


def test_failed_verification_reopens_the_case(persona):
    code = _dispatched(persona)
    handler = login("handler_ky")
    post(handler, code, "accept")
    post(handler, code, "handle", {"result": "已清理"})
    r = post(persona("grid_a"), code, "verify", {"ok": False, "note": "现场仍有垃圾"})
    assert r.status_code == 200
    case = Case.objects.get(code=code)
    assert case.status == "accepted" and case.reopen_count == 1
    assert Task.objects.filter(subject__startswith=f"返工 案件 {code}", state="open").exists()


def test_two_dispatchers_at_once_one_wins_the_other_gets_a_conflict(persona):
    code = report(persona("grid_a"), text="占道经营", category="M09006").json()["code"]
    first = post(persona("staff_a"), code, "register")
    second = post(persona("leader_a"), code, "register")
    assert first.status_code == 200 and second.status_code == 409
    assert "已立案" in second.json()["detail"]


def test_hold_needs_a_reason_and_the_leader(persona):
    code = _dispatched(persona)
    assert post(persona("staff_a"), code, "hold", {"reason": "等待上级批复"}).status_code == 403
    assert post(persona("leader_a"), code, "hold", {"reason": " "}).status_code == 400
    r = post(persona("leader_a"), code, "hold", {"reason": "涉及历史遗留问题，待区里协调"})
    assert r.status_code == 200 and r.json()["status"] == "on_hold"
    assert post(persona("leader_a"), code, "resume").status_code == 200


def test_extension_needs_the_leaders_approval(persona):
    code = _dispatched(persona)
    handler = login("handler_ky")
    post(handler, code, "accept")
    case = Case.objects.get(code=code)
    until = (case.handle_due_at + dt.timedelta(days=3)).isoformat()
    r = post(handler, code, "extension", {"until": until, "reason": "需等待当事人整改"})
    assert r.status_code == 200
    assert post(handler, code, "extension/decide", {"approve": True}).status_code == 403
    r = post(persona("leader_a"), code, "extension/decide", {"approve": True})
    assert r.status_code == 200
    case.refresh_from_db()
    assert case.handle_due_at.isoformat()[:16] == until[:16]


def test_public_report_of_illegal_building_needs_a_site_check_before_filing(client, persona):
    code = report(client, category="M06001", text="有人私自加盖").json()["code"]
    r = post(persona("staff_a"), code, "register")
    assert r.status_code == 409 and "现场核实" in r.json()["detail"]
    assert post(persona("grid_a"), code, "site-check", {"ok": True}).status_code == 200
    assert post(persona("staff_a"), code, "register").status_code == 200


def test_reporter_verifies_and_rates_with_the_secret(client, persona):
    body = report(client, text="小区门口占道经营", category="M09006").json()
    code, secret = body["code"], body["secret"]
    desk = persona("staff_a")
    post(desk, code, "register")
    post(desk, code, "dispatch")
    post(desk, code, "accept")  # the township desk may act for the lead unit
    post(desk, code, "handle", {"result": "已劝离"})
    anon = Client()
    assert post(anon, code, "verify", {"ok": True, "secret": "bad"}).status_code == 404
    assert post(anon, code, "verify", {"ok": True, "secret": secret}).status_code == 200
    post(desk, code, "close")
    r = post(
        anon,
        code,
        "rate",
        {"satisfaction": "satisfied", "solved": True, "responded": True, "secret": secret},
    )
    assert r.status_code == 200 and r.json()["status"] == "rated"
