"""Smart dispatch in the case loop, through the API and the dispatcher's pages.

Above the threshold a report is dispatched to the department its category names; below it, the
case waits in the queue with three suggestions and their driving characters; the dispatcher's
correction is recorded and the next `--from-cases` training learns the corrected category.
"""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiceng.cases.models import Case, Status
from jiceng.core.models import AuditEvent
from jiceng.dispatch import ml
from jiceng.dispatch.actions import classifier_model_activate, classifier_model_register
from jiceng.dispatch.models import Correction
from jiceng.dispatch.predict import predict
from jiceng.dispatch.selectors import training_rows_from_cases
from tests.cases.helpers import KEYAN, report, unit

# Words of one toy topic only (教育文体 = category P03 of the 市民诉求 group).
SCHOOL = "学校乱收补课费，老师体罚学生，中考招生政策"


@pytest.fixture
def active_model(db, toy_model, tmp_path):
    path = ml.save(toy_model, tmp_path / "toy.joblib")
    return classifier_model_activate(record=classifier_model_register(path=path, model=toy_model))


def threshold_around(settings, text: str, above: bool) -> float:
    """Set the auto-dispatch threshold just below (or above) the model's confidence in text."""
    confidence = predict(text).confidence
    settings.JICENG_AUTO_DISPATCH_THRESHOLD = confidence + (0.001 if above else -0.001)
    return confidence


def public_report(text: str) -> Case:
    r = report(Client(), category=None, text=text, k=None)
    assert r.status_code == 201, r.content
    return Case.objects.get(code=r.json()["code"])


def api(client, code, step, body=None):
    return client.post(f"/api/v1/cases/{code}/{step}", body or {}, content_type="application/json")


def test_a_confident_report_is_dispatched_and_marked(active_model, settings, persona):
    threshold_around(settings, SCHOOL, above=False)
    case = public_report(SCHOOL)
    assert case.status == Status.DISPATCHED
    assert (case.category.code, case.category_source) == ("P03", "classifier")
    assert case.lead_unit.name == "柯桥区教育体育局"  # the county department of the sector
    assert case.prediction["model"] == active_model.pk
    page = persona("staff_a").get(f"/cases/{case.code}/").content.decode()
    assert 'id="auto-dispatched"' in page and "已按首选自动派遣" in page


def test_the_cases_smart_dispatch_sent_by_itself_can_be_listed_for_review(
    active_model, settings, persona
):
    threshold_around(settings, SCHOOL, above=False)
    auto = public_report(SCHOOL)
    settings.JICENG_AUTO_DISPATCH_THRESHOLD = 1.01  # the next one waits for the dispatcher
    waiting = public_report(SCHOOL + "，另外")
    desk = persona("staff_a")
    both = desk.get("/cases/", {"status": "open"}).content.decode()
    assert auto.code in both and waiting.code in both
    only = desk.get("/cases/", {"status": "open", "auto": "1"}).content.decode()
    assert (
        auto.code in only and waiting.code not in only and 'name="auto" value="1" checked' in only
    )
    listed = desk.get("/api/v1/cases", {"category_source": "classifier"}).json()
    assert [c["code"] for c in listed] == [auto.code]
    sheet = load_workbook(io.BytesIO(desk.get("/cases/export.xlsx").content))["案件"]
    marked = {row[0]: row[-1] for row in sheet.iter_rows(values_only=True)}
    assert marked["案件编号"] == "智能派单" and marked[auto.code] == "是"
    assert marked[waiting.code] == "否"
    assert persona("staff_b").get("/api/v1/cases", {"category_source": "classifier"}).json() == []


def test_an_unsure_report_waits_with_three_suggestions_and_their_drivers(
    active_model, settings, persona
):
    confidence = threshold_around(settings, SCHOOL, above=True)
    case = public_report(SCHOOL)
    assert case.status == Status.REPORTED and case.category is None
    top, *others = case.prediction["suggestions"]
    assert len(others) == 2 and case.prediction["confidence"] == round(confidence, 4)
    assert (top["label"], top["category"]) == ("教育文体", "P03")
    assert top["drivers"] and all(d in SCHOOL for d in top["drivers"])
    assert {s["category"] for s in others} == {"P01", "P04"}
    queue = persona("staff_a").get("/cases/queue/").content.decode()
    row = queue[queue.index(f'data-code="{case.code}"') :]
    row = row[: row.index("</tr>")]
    assert "教育文体" in row and f"<mark>{top['drivers'][0]}</mark>" in row
    assert row.count('name="category_code"') == 3  # one "采用" button per suggestion


def test_a_correction_is_recorded_and_feeds_the_next_training(active_model, settings, persona):
    threshold_around(settings, SCHOOL, above=True)
    case = public_report(SCHOOL)
    dispatcher = persona("staff_a")
    # The dispatcher adopts the second suggestion from the queue page instead of the first.
    second = case.prediction["suggestions"][1]["category"]
    r = dispatcher.post(
        f"/cases/{case.code}/act/category/", {"category_code": second, "next": "/cases/queue/"}
    )
    assert r.status_code == 302 and r["Location"] == "/cases/queue/"
    correction = Correction.objects.get(case=case)
    assert (correction.predicted_label, correction.chosen.code) == ("教育文体", second)
    assert not correction.agreed and correction.model == active_model
    assert correction.by.username == "dispatcher_ky"
    assert AuditEvent.objects.filter(verb="dispatch.correction", object_id=str(correction.pk))

    # Not a label while the case is open; the final category once it is closed.
    assert (SCHOOL, second) not in set(training_rows_from_cases())
    team = unit(KEYAN, "综合执法队")
    assert api(dispatcher, case.code, "register").status_code == 200
    assert api(dispatcher, case.code, "dispatch", {"unit_id": team.pk}).status_code == 200
    handler = persona("handler_a")
    assert api(handler, case.code, "accept").status_code == 200
    assert api(handler, case.code, "handle", {"result": "已答复"}).status_code == 200
    assert api(persona("grid_a"), case.code, "verify", {"ok": True}).status_code == 200
    assert api(dispatcher, case.code, "close").status_code == 200
    assert (SCHOOL, second) in set(training_rows_from_cases())


def test_agreeing_with_the_top_suggestion_is_recorded_as_agreement(active_model, settings, persona):
    threshold_around(settings, SCHOOL, above=True)
    case = public_report(SCHOOL)
    r = api(persona("staff_a"), case.code, "category", {"category_code": "P03"})
    assert r.status_code == 200, r.content
    assert Correction.objects.get(case=case).agreed


def test_no_record_without_a_prediction(db, persona):
    case = public_report("路边有人倾倒建筑垃圾")  # no active model: no guess to correct
    assert case.prediction == {}
    assert (
        api(persona("staff_a"), case.code, "category", {"category_code": "P01"}).status_code == 200
    )
    assert not Correction.objects.filter(case=case).exists()


def _queue_row(client, code: str) -> str:
    queue = client.get("/cases/queue/").content.decode()
    row = queue[queue.index(f'data-code="{code}"') :]
    return row[: row.index("</tr>")]


def test_a_report_the_classifier_cannot_read_says_why_in_the_queue(active_model, persona):
    case = public_report("Someone dumped rubbish by the river")
    assert case.status == Status.REPORTED and case.category is None
    assert "没有中文字符" in case.prediction["error"]
    row = _queue_row(persona("staff_a"), case.code)
    assert "智能派单未能分类，请人工分拣" in row and "没有中文字符" in row


def test_a_long_report_is_classified_on_its_start_and_says_so(db, tmp_path, settings, persona):
    from .conftest import train_toy

    short = train_toy(max_chars=30)
    path = ml.save(short, tmp_path / "short.joblib")
    classifier_model_activate(record=classifier_model_register(path=path, model=short))
    settings.JICENG_AUTO_DISPATCH_THRESHOLD = 1.01
    case = public_report(SCHOOL + "。" + "请尽快处理，谢谢。" * 10)
    assert "仅按前 30 个字符分类" in case.prediction["notice"]
    assert case.prediction["suggestions"][0]["category"] == "P03"
    assert "仅按前 30 个字符分类" in _queue_row(persona("staff_a"), case.code)


SUGGEST = "/cases/suggest/"


def test_the_hotline_operator_gets_categories_suggested_while_typing(active_model, persona):
    dispatcher = persona("staff_a")
    hotline = dispatcher.get("/cases/hotline/").content.decode()
    assert 'id="intake-suggest"' in hotline and 'value="P03"' in hotline  # 市民诉求 are listed
    events = AuditEvent.objects.count()
    page = dispatcher.post(SUGGEST, {"description": SCHOOL}).content.decode()
    codes = [c.split('"')[0] for c in page.split('data-code="')[1:]]
    assert codes[0] == "P03" and len(codes) == 3 and "<mark>" in page
    assert AuditEvent.objects.count() == events and not Case.objects.filter(description=SCHOOL)


def test_a_category_given_almost_no_chance_is_not_offered(active_model, persona, monkeypatch):
    from jiceng.cases import views

    page = persona("staff_a").post(SUGGEST, {"description": SCHOOL}).content.decode()
    shares = [int(p.split("%")[0]) for p in page.split('class="pct">')[1:]]
    assert len(shares) == 3 and 0 < shares[2] < 6  # the toy model gives the others about 5 %
    monkeypatch.setattr(views, "SUGGEST_MIN_SHARE", 0.06)
    page = persona("staff_a").post(SUGGEST, {"description": SCHOOL}).content.decode()
    assert [c.split('"')[0] for c in page.split('data-code="')[1:]] == ["P03"]


def test_too_little_text_or_an_unreadable_one_suggests_nothing_or_says_why(active_model, persona):
    dispatcher = persona("staff_a")
    assert "pick-category" not in dispatcher.post(SUGGEST, {"description": "学校"}).content.decode()
    page = dispatcher.post(SUGGEST, {"description": "the school charges fees"}).content.decode()
    assert "pick-category" not in page and "智能推荐暂不可用" in page and "中文" in page


def test_no_model_no_suggestion(db, persona):
    page = persona("staff_a").post(SUGGEST, {"description": SCHOOL}).content.decode()
    assert page.strip() == ""


def test_suggestions_are_for_intake_staff_only(active_model, persona):
    assert persona("staff_a").get(SUGGEST).status_code == 405
    assert Client().post(SUGGEST, {"description": SCHOOL}).status_code == 302  # to the login
    assert persona("resident").post(SUGGEST, {"description": SCHOOL}).status_code == 404


def test_a_suggestion_under_half_a_percent_reads_under_one_percent_not_zero():
    from django.template.loader import render_to_string

    case = {
        "code": "261125000001",
        "status": "reported",
        "prediction": {
            "confidence": 0.52,
            "suggestions": [
                {"label": "城乡建设", "p": 0.52, "drivers": [], "category": "P01"},
                {"label": "商贸旅游", "p": 0.475, "drivers": [], "category": "P05"},
                {"label": "教育文体", "p": 0.004, "drivers": [], "category": "P03"},
            ],
        },
    }
    html = render_to_string("cases/_suggestions.html", {"case": case})
    shares = [li.split('class="muted">')[1].split("</span>")[0] for li in html.split("<li")[1:]]
    assert shares == ["52%", "48%", "&lt;1%"]
