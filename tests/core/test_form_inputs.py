"""Values typed into forms that are not what the field needs get a clear message (a 4xx) and
change nothing; before jiceng.core.inputs several pages answered them with a 500."""

import datetime as dt

import pytest

from jiceng.assessment.models import VetoAuthorization
from jiceng.cases.models import Case
from jiceng.core.audit import AuditEvent
from jiceng.core.inputs import date_or_none, datetime_or_none, int_or_none
from jiceng.enforcement.models import PenaltyCase
from jiceng.outreach.models import Rule
from tests.cases.test_pages import keyan_case
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_readers_turn_what_they_cannot_read_into_none():
    assert int_or_none(" 12 ") == 12 and int_or_none("１２") == 12
    for bad in ("", None, "abc", "1.5", "-1", "²", "null", "9" * 19):
        assert int_or_none(bad) is None, bad
    assert int_or_none("9" * 18) == 10**18 - 1
    assert date_or_none("2026-02-28") == dt.date(2026, 2, 28)
    for bad in ("", None, "2026-13-45", "2026-02-30", "明天", "28/02/2026"):
        assert date_or_none(bad) is None, bad
    moment = datetime_or_none("2026-11-25 09:30")
    assert moment is not None and moment.tzinfo is not None and moment.hour == 9
    assert datetime_or_none("2026-11-25 25:61") is None and datetime_or_none("x") is None


def test_a_non_numeric_unit_on_a_dispatch_is_refused_not_a_crash():
    case = keyan_case()
    r = client_for("dispatcher_ky").post(
        f"/cases/{case.code}/act/register_dispatch/",
        {"unit_id": "null", "message": "x"},
        follow=True,
    )
    assert r.status_code == 200 and "所选单位不在本县区" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == case.status


def test_a_rule_for_an_unreadable_region_is_a_404_and_no_rule():
    before = Rule.objects.count()
    r = client_for("social_dp").post(
        "/outreach/rules/new/", {"name": "测试", "region": "'; drop table", "mode": "json"}
    )
    assert r.status_code == 404 and Rule.objects.count() == before


def test_a_date_that_does_not_exist_is_refused_with_the_format():
    before = VetoAuthorization.objects.count()
    r = client_for("admin").post(
        "/assessment/vetoes/",
        {
            "matter": "某事项",
            "authority": "某机关",
            "document": "某文",
            "effective_from": "2026-13-45",
        },
    )
    assert r.status_code == 400 and "日期的格式应为 年-月-日" in r.content.decode()
    assert VetoAuthorization.objects.count() == before


def test_an_unreadable_discovery_date_is_refused_not_taken_as_today():
    events = AuditEvent.objects.count()
    r = client_for("captain_pj").post(
        "/enforcement/open/",
        {
            "power": "JC-CF-001",
            "party_name": "日期当事人",
            "act_date": "2022-04-01",
            "discovered_on": "2022-02-30",
        },
    )
    assert r.status_code == 400 and "请填写有效的发现日期" in r.content.decode()
    assert not PenaltyCase.objects.filter(party_name="日期当事人").exists()
    assert AuditEvent.objects.count() == events


def test_after_a_case_step_the_page_goes_back_only_within_the_site():
    case = keyan_case()
    client = client_for("dispatcher_ky")
    for away in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        r = client.post(f"/cases/{case.code}/act/resume/", {"next": away})
        assert r.status_code == 302 and r.url == f"/cases/{case.code}/", away
    r = client.post(f"/cases/{case.code}/act/resume/", {"next": "/cases/queue/"})
    assert r.url == "/cases/queue/"
