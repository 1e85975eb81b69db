"""Duplicates: same category within 100 m and 72 h is suggested; the dispatcher merges."""

import pytest

from jiceng.cases.models import Case

from .helpers import report

pytestmark = pytest.mark.django_db


def test_near_report_of_same_category_is_suggested_and_merged(client, persona):
    first = report(client, category="M06012", text="路面很脏", k=2).json()
    second = report(client, category="M06012", text="这条路没人扫", k=2).json()
    other_place = report(client, category="M06012", text="路面很脏", k=5).json()
    other_kind = report(client, category="M09006", text="占道经营", k=2).json()
    assert second["duplicate_candidates"] == [first["code"]]
    assert other_place["duplicate_candidates"] == []
    assert other_kind["duplicate_candidates"] == []

    desk = persona("staff_a")
    r = desk.post(
        f"/api/v1/cases/{second['code']}/merge",
        {"into": first["code"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "merged"
    assert r.json()["merged_into"] == first["code"]
    # the reporter of the merged case follows the surviving one
    track = client.get(f"/api/v1/cases/{second['code']}/track", {"secret": second["secret"]}).json()
    assert track["merged_into"] == first["code"] and track["status"] == "reported"
    survivor = Case.objects.get(code=first["code"])
    assert survivor.events.filter(verb="merged_in").exists()


def test_merge_into_itself_or_across_townships_is_refused(client, persona):
    a = report(client, category="M06012", text="路脏", k=3).json()["code"]
    desk = persona("staff_a")
    r = desk.post(f"/api/v1/cases/{a}/merge", {"into": a}, content_type="application/json")
    assert r.status_code == 400
    b = report(client, township="530303102", category="M06012", text="路脏").json()["code"]
    r = desk.post(f"/api/v1/cases/{a}/merge", {"into": b}, content_type="application/json")
    assert r.status_code == 404  # the other township's case is not even visible
