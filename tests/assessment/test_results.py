"""Results of an inspection: every indicator scored by the organiser, seen by the inspected unit
and the organiser's area only, one-vote veto only where authorised, Excel out."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiceng.assessment import actions
from jiceng.assessment.models import IndicatorScore, Inspection
from jiceng.core.audit import AuditEvent
from jiceng.workload.models import Task
from tests.conftest import client_for

from .helpers import approved, inspect, person, safety_item, streets

pytestmark = pytest.mark.django_db


def _form(x: Inspection, *values, notes=()) -> dict:
    inds = list(x.item.indicators.all())
    data = {f"score_{i.pk}": v for i, v in zip(inds, values, strict=False)}
    data.update({f"note_{i.pk}": n for i, n in zip(inds, notes, strict=False)})
    return data


def test_the_organiser_scores_every_indicator_and_the_unit_sees_its_result():
    (x,) = inspect(approved(), "柯岩街道办事处")
    page = f"/assessment/inspections/{x.pk}/"
    issuer = client_for("assessor_kq")
    assert 'id="score-form"' in issuer.get(page).content.decode()
    assert x.task.state == "open"  # in the street's inbox until scored

    r = issuer.post(f"{page}score/", _form(x, "55.5", "38", notes=("会议记录缺两次",)))
    assert r.status_code == 302
    x.refresh_from_db()
    assert x.total == pytest.approx(93.5) and not x.vetoed and x.scored_by == person("assessor_kq")
    # scored, the inspection is over for the street: its inbox task closes with the result
    assert (x.task.state, x.task.close_reason) == ("closed", "已评分：93.5分")
    assert IndicatorScore.objects.get(inspection=x, score=55.5).note == "会议记录缺两次"

    # the inspected street sees its own result, without a form; the item page links to it
    own = client_for("leader_ky").get(page).content.decode()
    assert "93.5" in own and "会议记录缺两次" in own and 'id="score-form"' not in own
    assert page in client_for("leader_ky").get(f"/assessment/{x.item_id}/").content.decode()
    # another county's staff: not found
    assert client_for("county_zy").get(page).status_code == 404
    assert (
        client_for("dispatcher_pj").get(f"/api/v1/assessment/inspections/{x.pk}").status_code == 404
    )


def test_an_incomplete_or_out_of_range_result_is_refused_and_nothing_is_kept():
    (x,) = inspect(approved(), "柯岩街道办事处")
    url = f"/assessment/inspections/{x.pk}/score/"
    issuer = client_for("assessor_kq")
    only_one = issuer.post(url, _form(x, "50"))
    assert only_one.status_code == 400
    assert "请为指标“新时代文明实践站运行”评分" in only_one.content.decode()
    too_high = issuer.post(url, _form(x, "61", "40"))
    assert too_high.status_code == 400
    assert "得分须在0至60分之间" in too_high.content.decode()
    # the inspected unit may not score itself
    assert client_for("leader_ky").post(url, _form(x, "60", "40")).status_code == 403
    # a veto on an item that carries none
    no_veto = issuer.post(url, {**_form(x, "60", "40"), "vetoed": "on", "veto_reason": "事故"})
    assert "不是一票否决事项" in no_veto.content.decode()
    x.refresh_from_db()
    assert x.total is None and not IndicatorScore.objects.filter(inspection=x).exists()


def test_scoring_again_replaces_the_result_and_the_audit_keeps_the_old_one():
    (x,) = inspect(approved(), "柯岩街道办事处")
    issuer = person("assessor_kq")
    inds = list(x.item.indicators.all())

    def score(a, b):
        rows = [{"indicator": inds[0].pk, "score": a}, {"indicator": inds[1].pk, "score": b}]
        return actions.inspection_score(inspection=x, person=issuer, scores=rows, by=issuer.user)

    score("60", "40")
    assert score("50", "30").total == 80
    assert IndicatorScore.objects.filter(inspection=x).count() == 2
    last = AuditEvent.objects.filter(verb="assessment.score").latest("id")
    assert last.before["total"] == "100.0" and last.after["total"] == "80.0"


def test_a_veto_applies_only_under_an_authorisation_in_force_on_the_day():
    item = safety_item()
    safety = item.veto_authorization
    (x,) = inspect(item, "柯岩街道办事处")
    issuer = client_for("assessor_kq")
    url = f"/api/v1/assessment/inspections/{x.pk}/scores"
    ind = item.indicators.get().pk
    body = {"scores": [{"indicator": ind, "score": 90}], "vetoed": True}
    r = issuer.put(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and "须写明理由" in r.json()["detail"]
    body["veto_reason"] = "发生较大生产安全事故"
    r = issuer.put(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.json()["vetoed"] and r.json()["total"] == "90.0"
    assert r.json()["scores"][0]["name"] == "安全生产责任落实"

    # the authorisation ends the day before: no veto on that day, and no new inspection
    admin = client_for("admin")
    end = (x.on_date - dt.timedelta(days=1)).isoformat()
    r = admin.post(
        f"/api/v1/assessment/vetoes/{safety.pk}/end",
        json.dumps({"effective_to": end}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["effective_to"] == end
    r = issuer.put(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and "不在有效期内" in r.json()["detail"]
    with pytest.raises(ValidationError, match="不在有效期内"):
        inspect(item, "柯岩街道办事处")
    x.refresh_from_db()
    assert x.vetoed and Inspection.objects.filter(item=item).count() == 1


def test_results_excel_holds_every_indicator_and_stays_in_scope():
    item = approved()
    (x,) = inspect(item, "柯岩街道办事处")
    client_for("assessor_kq").post(f"/assessment/inspections/{x.pk}/score/", _form(x, "60", "35"))

    def sheet(who):
        r = client_for(who).get(f"/assessment/{item.pk}/results.xlsx")
        assert r.status_code == 200
        return list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)

    rows = sheet("county_kq")
    assert rows[0][:7] == (
        "编号",
        "被检查单位",
        "所属区域",
        "日期",
        "方式",
        "意识形态工作责任制落实（60）",
        "新时代文明实践站运行（40）",
    )
    assert rows[1][:2] == (x.pk, "柯岩街道办事处") and rows[1][5:8] == (60, 35, 95)
    assert rows[1][3].date() == timezone.localdate()
    # the station of the same street is not this item's target; another county sees no item
    assert client_for("county_zy").get(f"/assessment/{item.pk}/results.xlsx").status_code == 404


def _filled(item, who, fill) -> bytes:
    """The item's results sheet as exported for `who`, with `fill(rows by 编号)` applied."""
    r = client_for(who).get(f"/assessment/{item.pk}/results.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    fill({row[0].value: row for row in list(wb.active.iter_rows())[1:]})
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(item, who, data: bytes, name="结果.xlsx"):
    return client_for(who).post(
        f"/assessment/{item.pk}/results/import/", {"file": SimpleUploadedFile(name, data)}
    )


def test_many_units_are_scored_from_the_filled_in_sheet_all_rows_or_none():
    item = approved(target="station")
    a, b = inspect(item, "柯岩街道派出所", "柯岩街道自然资源所")
    (c,) = inspect(item, "柯岩街道市场监管所")

    def good(rows):
        rows[a.pk][5].value, rows[a.pk][6].value = 58, 39.5
        rows[c.pk][5].value, rows[c.pk][6].value = 40, 30  # b is left unscored

    def one_bad(rows):
        good(rows)
        rows[c.pk][6].value = 41

    bad = _upload(item, "assessor_kq", _filled(item, "assessor_kq", one_bad))
    assert bad.status_code == 400
    assert "（柯岩街道市场监管所）：指标“新时代文明实践站运行”的得分须在0至40分之间" in (
        bad.content.decode()
    )
    assert not IndicatorScore.objects.filter(inspection__item=item).exists()  # not even a's

    # the inspected unit cannot score itself through the sheet either
    assert _upload(item, "leader_ky", _filled(item, "assessor_kq", good)).status_code == 403
    ok = _upload(item, "assessor_kq", _filled(item, "assessor_kq", good))
    assert ok.status_code == 302
    totals = dict(Inspection.objects.filter(item=item).values_list("pk", "total"))
    assert totals == {a.pk: pytest.approx(97.5), b.pk: None, c.pk: 70}
    assert AuditEvent.objects.filter(verb="assessment.results.import").count() == 1


def test_a_sheet_that_is_not_the_results_sheet_is_refused_with_the_reason():
    item = approved()
    inspect(item, "柯岩街道办事处")
    broken = _upload(item, "assessor_kq", b"not a workbook", name="x.xlsx")
    assert broken.status_code == 400 and "无法读取文件" in broken.content.decode()
    assert "不是有效的 Excel（.xlsx）或 CSV 文件" in broken.content.decode()
    assert "zip" not in broken.content.decode()  # not the library's English
    other = _upload(item, "assessor_kq", "单位,得分\n柯岩街道办事处,90\n".encode(), name="x.csv")
    assert other.status_code == 400
    assert "表格缺少列：编号、意识形态工作责任制落实（60）" in other.content.decode()
    empty = _upload(item, "assessor_kq", _filled(item, "assessor_kq", lambda rows: None))
    assert "表格中没有填写任何得分" in empty.content.decode()
    assert not IndicatorScore.objects.exists()


def test_a_sheet_exported_in_english_is_read_back():
    item = approved()
    (x,) = inspect(item, "柯岩街道办事处")
    english = client_for("assessor_kq")
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    wb = openpyxl.load_workbook(
        io.BytesIO(english.get(f"/assessment/{item.pk}/results.xlsx").content)
    )
    header, row = list(wb.active.iter_rows())
    assert header[0].value == "Number" and header[-2].value == "One-vote veto"
    row[5].value, row[6].value = 60, 20
    out = io.BytesIO()
    wb.save(out)
    r = english.post(
        f"/assessment/{item.pk}/results/import/",
        {"file": SimpleUploadedFile("results.xlsx", out.getvalue())},
    )
    assert r.status_code == 302
    x.refresh_from_db()
    assert x.total == 80


def test_the_item_list_counts_only_inspections_in_the_callers_area():
    from jiceng.assessment.selectors import items_for
    from jiceng.org.models import Region, Unit, UnitKind
    from tests.conftest import user

    Unit.objects.create(
        name="柯桥街道办事处",
        kind=UnitKind.GOVERNMENT,
        region=Region.objects.get(name="柯桥街道", code__startswith="330603"),
    )
    item = approved()
    inspect(item, "柯岩街道办事处", "柯桥街道办事处")
    assert items_for(user("county_kq")).get(pk=item.pk).n_inspections == 2
    assert items_for(user("dispatcher_ky")).get(pk=item.pk).n_inspections == 1


def test_the_street_marks_an_inspection_received_from_its_inbox_and_scoring_keeps_that():
    (x,) = inspect(approved(), "柯岩街道办事处")
    street = client_for("leader_ky")
    page = street.get(f"/inbox/tasks/{x.task_id}/").content.decode()
    assert 'id="finish"' in page and "迎检情况" in page
    assert street.post(f"/inbox/tasks/{x.task_id}/done/").status_code == 302
    x.task.refresh_from_db()
    assert (x.task.state, x.task.close_reason) == ("done", "已迎检")
    # another street may not; scoring afterwards leaves the street's own record as it is
    assert client_for("dispatcher_pj").post(f"/inbox/tasks/{x.task_id}/done/").status_code == 404
    r = client_for("assessor_kq").post(
        f"/assessment/inspections/{x.pk}/score/", _form(x, "50", "30")
    )
    assert r.status_code == 302
    x.task.refresh_from_db()
    assert (x.task.state, x.task.close_reason) == ("done", "已迎检")


def test_the_day_after_the_inspection_its_task_leaves_the_inbox_unless_already_marked():
    from jiceng.assessment.actions import sweep_past_inspections
    from jiceng.assessment.tasks import close_past_inspection_tasks

    today = timezone.localdate()
    item = approved()
    (other,) = streets(1)
    ky, pj = inspect(item, "柯岩街道办事处", other, day=today)
    (later,) = inspect(item, "柯岩街道办事处", day=today + dt.timedelta(days=3))
    street = client_for("leader_ky")
    assert street.post(f"/inbox/tasks/{ky.task_id}/done/").status_code == 302
    # on the day nothing is closed; the day after, only the task still open for that day
    assert sweep_past_inspections(timezone.now()) == 0
    next_day = timezone.now() + dt.timedelta(days=1)
    assert not pj.task.is_overdue(timezone.now()) and pj.task.is_overdue(next_day)
    assert sweep_past_inspections(next_day) == 1
    for x in (ky, pj, later):
        x.task.refresh_from_db()
    assert (ky.task.state, ky.task.close_reason) == ("done", "已迎检")
    assert pj.task.state == "closed" and not pj.task.is_overdue(next_day)
    assert pj.task.close_reason == f"检查日（{today:%Y-%m-%d}）已过，待评分"
    assert later.task.state == "open"
    assert AuditEvent.objects.filter(verb="task.closed", object_id=str(pj.task_id)).count() == 1
    # running again closes nothing more; the periodic job runs the same sweep
    assert sweep_past_inspections(next_day) == 0
    # the worker's job runs the same sweep, at the time it runs
    assert close_past_inspection_tasks.call_local() == 0
    Task.objects.filter(pk=later.task_id).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    assert close_past_inspection_tasks.call_local() == 1
    # scoring afterwards leaves the closed task as it is
    r = client_for("assessor_kq").post(
        f"/assessment/inspections/{pj.pk}/score/", _form(pj, "50", "30")
    )
    assert r.status_code == 302
    pj.task.refresh_from_db()
    assert pj.task.close_reason.startswith("检查日")
