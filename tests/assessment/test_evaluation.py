"""S4: county and township assess each other (县乡双向考核评议)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.assessment import actions, selectors
from jiceng.assessment.models import Evaluation, EvaluationRound
from jiceng.core.audit import AuditEvent
from jiceng.org.models import Region
from tests.conftest import client_for

from .helpers import person, unit

pytestmark = pytest.mark.django_db


def open_round(direction="up"):
    county = person("county_kq")
    return actions.round_open(
        county=Region.objects.get(code="330603"),
        year=timezone.localdate().year,
        direction=direction,
        person=county,
        by=county.user,
    )


def test_townships_score_county_departments_and_see_only_means():
    rnd = open_round("up")
    raters, ratees = selectors.raters_and_ratees(rnd)
    assert [u.name for u in raters] == ["柯岩街道办事处"]
    assert "柯桥区公安分局" in {u.name for u in ratees} and "柯桥区人民政府" not in {
        u.name for u in ratees
    }
    c = client_for("leader_ky")
    police, land = unit("柯桥区公安分局"), unit("柯桥区自然资源局")
    r = c.post(
        f"/assessment/evaluations/{rnd.pk}/rate/",
        {f"score-{police.pk}": "92", f"comment-{police.pk}": "报到及时", f"score-{land.pk}": "71"},
    )
    assert r.status_code == 302
    assert Evaluation.objects.get(round=rnd, ratee=police).score == 92
    # scoring again replaces the score; the audit log keeps the earlier one
    c.post(f"/assessment/evaluations/{rnd.pk}/rate/", {f"score-{police.pk}": "88"})
    assert Evaluation.objects.get(round=rnd, ratee=police).score == 88
    last = AuditEvent.objects.filter(verb="assessment.evaluate").latest("id")
    assert last.before["score"] == 92 and last.after["score"] == 88
    data = client_for("county_kq").get(f"/api/v1/assessment/rounds/{rnd.pk}").json()
    row = next(r for r in data["results"] if r["unit"] == "柯桥区公安分局")
    assert row == {
        "unit": "柯桥区公安分局",
        "unit_id": police.pk,
        "rank": 1,
        "mean": 88.0,
        "low": 88,
        "high": 88,
        "n": 1,
        "mine": None,
    }
    assert data["pending"] == ["柯岩街道办事处"]  # has not scored every department yet

    # the same results as Excel: ranked means (never one rater's score), and who is not done
    r = client_for("county_kq").get(f"/assessment/evaluations/{rnd.pk}/results.xlsx")
    book = load_workbook(io.BytesIO(r.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("排名", "被评议单位", "平均分", "最低", "最高", "已评单位数")
    assert rows[1] == (1, "柯桥区公安分局", 88, 88, 88, 1)
    assert rows[2] == (2, "柯桥区自然资源局", 71, 71, 71, 1)
    assert all(row[0] is None and row[5] == 0 for row in rows[3:])  # nobody scored them yet
    assert "报到及时" not in str(rows)
    pending = list(book.worksheets[1].iter_rows(values_only=True))
    assert pending == [("尚未评完的评议单位",), ("柯岩街道办事处",)]
    assert (
        client_for("county_zy").get(f"/assessment/evaluations/{rnd.pk}/results.xlsx").status_code
        == 404
    )


def test_bad_scores_keep_nothing_and_the_wrong_people_are_refused():
    rnd = open_round("up")
    police = unit("柯桥区公安分局")
    c = client_for("leader_ky")
    r = c.post(
        f"/assessment/evaluations/{rnd.pk}/rate/",
        {f"score-{police.pk}": "90", f"score-{unit('柯桥区民政局').pk}": "101"},
    )
    assert r.status_code == 400 and "得分须为0至100之间的整数" in r.content.decode()
    assert not Evaluation.objects.exists()
    # a dispatcher of the township is not its leader; a county unit does not rate upward
    assert (
        client_for("dispatcher_ky")
        .post(f"/assessment/evaluations/{rnd.pk}/rate/", {f"score-{police.pk}": "90"})
        .status_code
        == 403
    )
    with pytest.raises(PermissionError):
        actions.evaluations_submit(
            rnd=rnd, person=person("assessor_kq"), scores=[(police, 90, "")], by=None
        )
    # another county's township does not even see the round
    assert client_for("leader_pj").get(f"/assessment/evaluations/{rnd.pk}/").status_code == 404
    with pytest.raises(ValidationError, match="不是本次评议的被评议单位"):
        actions.evaluations_submit(
            rnd=rnd, person=person("leader_ky"), scores=[(unit("柯岩街道办事处"), 90, "")], by=None
        )
    assert not Evaluation.objects.exists()


def test_the_county_scores_townships_and_a_closed_round_takes_no_more():
    rnd = open_round("down")
    street = unit("柯岩街道办事处")
    actions.evaluations_submit(
        rnd=rnd, person=person("assessor_kq"), scores=[(street, 85, "")], by=None
    )
    actions.evaluations_submit(
        rnd=rnd, person=person("county_kq"), scores=[(street, 95, "")], by=None
    )
    (row,) = selectors.round_results(rnd, person("county_kq"))["rows"]
    assert (row["mean"], row["low"], row["high"], row["n"]) == (90.0, 85, 95, 2)
    with pytest.raises(PermissionError):  # only the one who opened it closes it
        actions.round_close(rnd=rnd, person=person("assessor_kq"), by=None)
    actions.round_close(rnd=rnd, person=person("county_kq"), by=None)
    with pytest.raises(ValidationError, match="评议已经结束"):
        actions.evaluations_submit(
            rnd=rnd, person=person("assessor_kq"), scores=[(street, 60, "")], by=None
        )
    assert Evaluation.objects.get(rater=unit("柯桥区委宣传部")).score == 85
    with pytest.raises(ValidationError, match="已经发起"):
        open_round("down")
    assert EvaluationRound.objects.count() == 1


def test_only_the_county_opens_a_round():
    r = client_for("leader_ky").post(
        "/assessment/evaluations/", {"county": "330603", "year": "2026", "direction": "up"}
    )
    assert r.status_code == 403 and not EvaluationRound.objects.exists()
    r = client_for("county_zy").post(
        "/api/v1/assessment/rounds",
        {"county": "330603", "year": 2026, "direction": "up"},
        content_type="application/json",
    )
    assert r.status_code == 404 and not EvaluationRound.objects.exists()
