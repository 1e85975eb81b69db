"""Choosing the active model in the admin, rolling back, and the one-active constraint."""

import pytest
from django.db import IntegrityError, transaction

from jiceng.core.models import AuditEvent
from jiceng.dispatch import ml
from jiceng.dispatch.actions import classifier_model_register
from jiceng.dispatch.models import ClassifierModel

URL = "/admin/dispatch/classifiermodel/"


@pytest.fixture
def two_models(db, toy_model, tmp_path):
    paths = [ml.save(toy_model, tmp_path / f"m{i}.joblib") for i in (1, 2)]
    return [classifier_model_register(path=p, model=toy_model) for p in paths]


def activate(client, record):
    return client.post(URL, {"action": "activate", "_selected_action": [record.pk]}, follow=True)


def test_activate_then_roll_back_keeps_one_active(persona, two_models):
    admin = persona("admin")
    first, second = two_models
    assert admin.get(URL).status_code == 200
    activate(admin, first)
    activate(admin, second)
    assert list(ClassifierModel.objects.filter(active=True)) == [second]
    activate(admin, first)  # roll back
    assert list(ClassifierModel.objects.filter(active=True)) == [first]
    first.refresh_from_db()
    assert first.activated_by.username == "admin" and first.activated_at


def test_selecting_two_is_refused(persona, two_models):
    response = activate(persona("admin"), two_models[0]) and persona("admin").post(
        URL, {"action": "activate", "_selected_action": [m.pk for m in two_models]}, follow=True
    )
    assert "只选择一个" in response.content.decode()


def test_a_missing_file_is_not_activated(persona, two_models):
    broken = two_models[1]
    broken.path = "/nonexistent/model.joblib"
    broken.save()
    response = activate(persona("admin"), broken)
    assert "文件不存在" in response.content.decode()
    assert not ClassifierModel.objects.filter(active=True).exists()


def test_database_allows_only_one_active_row(db):
    ClassifierModel.objects.create(path="a", active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassifierModel.objects.create(path="b", active=True)


def test_township_staff_cannot_open_the_page(persona, two_models):
    assert persona("staff_a").get(URL).status_code in (302, 403, 404)


RETRAIN = URL + "retrain/"


def close_toy_cases(categories) -> None:
    from jiceng.cases.models import Status

    from .conftest import TOPICS
    from .test_from_cases import make_case

    n = 0
    for category, phrases in zip(categories, [TOPICS["城乡建设"], TOPICS["教育文体"]], strict=True):
        for i in range(6):
            n += 1
            make_case(n, phrases[i % 5] + "，" + phrases[(i + 1) % 5], category, Status.CLOSED)


def test_admin_retrains_from_cases_now(persona, settings, tmp_path):
    from jiceng.cases.models import Category

    settings.JICENG_CLASSIFIER_DIR = tmp_path
    categories = list(Category.objects.exclude(kind="group").order_by("code")[:2])
    close_toy_cases(categories)
    admin = persona("admin")
    assert 'id="retrain"' in admin.get(URL).content.decode()
    response = admin.post(RETRAIN, follow=True)
    assert "已在后台开始" in response.content.decode()
    record = ClassifierModel.objects.get()  # huey runs inline in tests
    assert record.active and record.created_by.username == "admin"
    assert record.metadata["source"]["kind"] == "cases"
    assert record.metadata["labels"] == sorted(c.code for c in categories)
    assert record.path.startswith(str(tmp_path))
    line = _last_retraining(admin)
    assert f"新模型 #{record.pk}" in line and "已启用" in line and "admin" in line


def test_retraining_without_cases_makes_no_model(persona, settings, tmp_path):
    settings.JICENG_CLASSIFIER_DIR = tmp_path
    admin = persona("admin")
    response = admin.post(RETRAIN, follow=True)
    assert response.status_code == 200 and not ClassifierModel.objects.exists()
    line = _last_retraining(admin)  # the admin sees why nothing came of it
    assert "未训练" in line and "还没有已办结的案件" in line
    event = AuditEvent.objects.get(verb="dispatch.model.retrain_skipped")
    assert event.actor.username == "admin" and event.after["code"] == "no_closed_cases"
    admin.post("/i18n/setlang/", {"language": "en", "next": URL})
    line = _last_retraining(admin)
    assert "Not trained" in line and "no closed cases to learn from" in line


def _last_retraining(client) -> str:
    html = client.get(URL).content.decode()
    start = html.index('id="last-retraining"')
    return " ".join(html[start : html.index("</p>", start)].split())


def test_retrain_is_post_only_and_admin_only(persona, db):
    assert persona("admin").get(RETRAIN).status_code == 403
    assert persona("staff_a").post(RETRAIN).status_code in (302, 403)
    assert not ClassifierModel.objects.exists()


def test_the_list_shows_each_models_agreement_in_a_fixed_number_of_queries(
    persona, two_models, toy_model, tmp_path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = persona("admin")
    corrections(two_models[0], [True, False])
    with CaptureQueriesContext(connection) as two:
        page = admin.get(URL).content.decode()
    assert "1 / 2" in page  # one of the dispatcher's two decisions agreed with the model
    for i in (3, 4):
        classifier_model_register(
            path=ml.save(toy_model, tmp_path / f"m{i}.joblib"), model=toy_model
        )
    with CaptureQueriesContext(connection) as four:
        admin.get(URL)
    assert len(four.captured_queries) == len(two.captured_queries)


def test_corrections_export_to_excel_with_the_case_text(persona, two_models):
    import io

    from openpyxl import load_workbook

    made = corrections(two_models[0], [True, False], text="学校乱收补课费")
    chosen = made[0].chosen
    url = "/admin/dispatch/correction/"
    response = persona("admin").post(
        url, {"action": "export_xlsx", "_selected_action": [made[1].pk]}
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "案件编号", "诉求内容") and len(rows) == 2
    assert rows[1][2] == "学校乱收补课费2" and rows[1][3] == "教育文体"
    assert rows[1][5:8] == (chosen.code, chosen.name, "否")
    refused = persona("staff_a").post(
        url, {"action": "export_xlsx", "_selected_action": [made[1].pk]}
    )
    assert refused.status_code in (302, 403)


def corrections(model, agreed: list[bool], text: str = "学校乱收补课费") -> list:
    """One closed case per entry (texts `text`1, `text`2 …) with a correction by `model`."""
    from jiceng.cases.models import Category, Status
    from jiceng.dispatch.models import Correction

    from .test_from_cases import make_case

    chosen = Category.objects.exclude(kind="group").order_by("code").first()
    return [
        Correction.objects.create(
            case=make_case(n, f"{text}{n}", chosen, Status.CLOSED),
            model=model,
            predicted_label="教育文体",
            confidence=0.5,
            chosen=chosen,
            agreed=a,
        )
        for n, a in enumerate(agreed, start=1)
    ]


def test_the_model_page_reads_its_metadata_out(persona, two_models, toy_model):
    record = two_models[0]
    page = persona("admin").get(f"{URL}{record.pk}/change/").content.decode()
    summary = page[page.index('id="model-summary"') :]
    labels = summary[summary.index('id="summary-labels"') : summary.index("</table>")]
    for label in toy_model.labels:
        assert f"<td>{label}</td><td>6</td>" in labels
    cv = toy_model.metadata["cv"]
    assert f"macro-F1 {cv['full']['macro_f1']}" in labels and "仅正文" in labels
    thresholds = summary[summary.index('id="summary-thresholds"') :]
    assert thresholds.split("</table>")[0].count("<tr>") == 1 + 6
    assert f"/admin/dispatch/classifiermodel/{record.pk}/evaluate/" in summary


def test_the_model_page_of_an_old_file_without_cv_still_opens(persona, db):
    meta = {"labels": ["P01", "甲"]}
    record = ClassifierModel.objects.create(path="/old/model.joblib", metadata=meta)
    page = persona("admin").get(f"{URL}{record.pk}/change/").content.decode()
    assert 'id="model-summary"' in page and "<td>甲</td>" in page
    assert "<td>P01 城乡建设</td>" in page  # a category code is read with its name
    assert 'id="summary-thresholds"' not in page
