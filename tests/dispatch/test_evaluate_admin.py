"""Evaluating a model on a labelled spreadsheet in the admin, before choosing it; and the
command's evaluate matching labels the same way."""

import io
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from jiceng.core.models import AuditEvent
from jiceng.core.tables import workbook_bytes
from jiceng.dispatch import forms as dispatch_forms
from jiceng.dispatch import ml
from jiceng.dispatch.actions import classifier_model_register
from jiceng.dispatch.models import ClassifierModel

from .conftest import TOPICS, toy_rows

CODES = {"城乡建设": "P01", "教育文体": "P03", "卫生计生": "P04"}


@pytest.fixture
def record(db, toy_model, tmp_path):
    return classifier_model_register(
        path=ml.save(toy_model, tmp_path / "m.joblib"), model=toy_model
    )


def sheet(rows=None, header=("title", "body", "label1"), name="holdout.xlsx"):
    rows = toy_rows() if rows is None else rows
    values = ([r["title"], r["body"], r["label1"]] for r in rows)
    data = workbook_bytes([("留言", [list(header), *values])])
    return SimpleUploadedFile(name, data)


def one_mislabelled():
    """The toy messages with the first 城乡建设 one labelled 教育文体: one mistake in 18."""
    rows = toy_rows()
    rows[0] = {**rows[0], "label1": "教育文体"}
    return rows


def post(client, record, upload, **extra):
    url = f"/admin/dispatch/classifiermodel/{record.pk}/evaluate/"
    fields = {"text": "title,body", "label": "label1", "file": upload, **extra}
    return client.post(url, fields)


def test_the_page_shows_the_figures_and_the_mistakes(persona, record):
    admin = persona("admin")
    url = f"/admin/dispatch/classifiermodel/{record.pk}/evaluate/"
    assert "标注表格" in admin.get(url).content.decode()
    before = (ClassifierModel.objects.filter(active=True).count(), AuditEvent.objects.count())
    response = post(admin, record, sheet(one_mislabelled()))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<td id="eval-n">18</td>' in page
    assert '<td id="eval-accuracy">0.9444</td>' in page
    mistakes = page[page.index('id="eval-mistakes"') :]
    assert toy_rows()[0]["title"] in mistakes and mistakes.count("<tr>") == 2  # header + one
    assert (
        ClassifierModel.objects.filter(active=True).count(),
        AuditEvent.objects.count(),
    ) == before


def test_columns_left_blank_are_told_from_a_chinese_header(persona, record):
    """The message board's own export heads its columns 留言主题 / 留言详情 / 一级标签."""
    header = ("留言编号", "留言主题", "留言详情", "一级标签")
    values = ([str(i), r["title"], r["body"], r["label1"]] for i, r in enumerate(toy_rows()))
    upload = SimpleUploadedFile("board.xlsx", workbook_bytes([("s", [list(header), *values])]))
    admin = persona("admin")
    response = post(admin, record, upload, text="", label="")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<td id="eval-text-columns">留言主题、留言详情</td>' in page
    assert '<td id="eval-label-column">一级标签</td>' in page
    assert '<td id="eval-accuracy">1.0</td>' in page
    upload.seek(0)
    exported = post(admin, record, upload, text="", label="", export="1")
    wb = load_workbook(io.BytesIO(exported.content), read_only=True)
    summary = {r[0]: r[1] for r in wb["概要"].iter_rows(values_only=True)}
    assert summary["文本列"] == "留言主题、留言详情" and summary["类别列"] == "一级标签"
    assert next(wb["逐条预测"].iter_rows(values_only=True))[:3] == (
        "留言主题",
        "留言详情",
        "标注类别",
    )


def test_messages_the_model_was_trained_on_are_counted_apart(persona, record):
    """The toy model was trained on the toy messages; three new ones are scored on their own."""
    new = [
        {
            "title": f"东湖街道{phrases[0]}",
            "body": f"东湖街道{phrases[1]}，{phrases[2]}。",
            "label1": y,
        }
        for y, phrases in TOPICS.items()
    ]
    admin = persona("admin")
    page = post(admin, record, sheet(toy_rows() + new)).content.decode()
    seen = page[page.index('id="eval-seen"') :]
    assert "表格中有 18 条（共 21 条）留言在这个模型的训练数据中" in seen
    exported = post(admin, record, sheet(toy_rows() + new), export="1")
    wb = load_workbook(io.BytesIO(exported.content), read_only=True)
    rows = list(wb["逐条预测"].iter_rows(values_only=True))[1:]
    unseen = [r for r in rows if r[-1] == "否"]
    assert [r[0] for r in unseen] == [r["title"] for r in new]
    right = sum(r[-2] == "是" for r in unseen) / 3
    summary = {r[0]: r[1] for r in wb["概要"].iter_rows(values_only=True)}
    assert summary["未参与训练的留言"] == 3 and summary["未参与训练的留言：准确率"] == round(
        right, 4
    )
    assert f"只看未参与训练的 3 条：准确率 {round(right, 4)}" in seen

    fresh = post(admin, record, sheet(new)).content.decode()  # none seen: no warning
    assert 'id="eval-seen"' not in fresh and '<td id="eval-n">3</td>' in fresh


def test_the_export_is_a_workbook_with_every_row(persona, record):
    response = post(persona("admin"), record, sheet(one_mislabelled()), export="1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames == ["概要", "各类别", "混淆矩阵", "自动派单阈值", "逐条预测"]
    summary = {r[0]: r[1] for r in wb["概要"].iter_rows(values_only=True)}
    assert (
        summary["样本数"] == 18
        and summary["准确率"] == 0.9444
        and summary["文件"] == "holdout.xlsx"
    )
    assert summary["在模型训练数据中的留言"] == 18  # the toy model was trained on these
    rows = list(wb["逐条预测"].iter_rows(values_only=True))
    assert rows[0] == (
        "title",
        "body",
        "标注类别",
        "预测类别",
        "置信度",
        "是否一致",
        "在训练数据中",
    )
    assert len(rows) == 19 and [r[-2] for r in rows[1:]].count("否") == 1
    assert {r[-1] for r in rows[1:]} == {"是"}
    assert rows[1][:4] == (toy_rows()[0]["title"], toy_rows()[0]["body"], "教育文体", "城乡建设")
    thresholds = list(wb["自动派单阈值"].iter_rows(values_only=True))
    assert thresholds[0][0] == "置信度阈值" and all(r[1] <= 18 for r in thresholds[1:])
    confusion = list(wb["混淆矩阵"].iter_rows(values_only=True))
    assert confusion[0][0] == "标注＼预测" and sum(sum(r[1:]) for r in confusion[1:]) == 18


def test_category_codes_in_the_sheet_are_matched_to_the_model_labels(persona, record):
    rows = [{**r, "label1": CODES[r["label1"]]} for r in toy_rows()]
    page = post(persona("admin"), record, sheet(rows)).content.decode()
    assert '<td id="eval-accuracy">1.0</td>' in page
    assert "P01 → 城乡建设" in page


@pytest.mark.parametrize(
    ("upload", "extra", "message"),
    [
        (lambda: sheet(header=("标题", "内容", "类别")), {}, "缺少列"),
        (lambda: SimpleUploadedFile("x.xlsx", b"not a zip"), {}, "不是有效的 Excel"),
        (lambda: sheet([{**r, "label1": "民政"} for r in toy_rows()]), {}, "一个也不认识"),
        (lambda: sheet([{**r, "label1": ""} for r in toy_rows()]), {}, "没有文本和类别都已填写"),
        (
            lambda: sheet(header=("编号", "备注", "办理结果")),
            {"text": " , ", "label": ""},
            "无法从表头认出文本列、类别列",
        ),
        (lambda: sheet(header=("留言主题", "留言详情", "结果")), {"label": ""}, "认出类别列"),
    ],
)
def test_bad_sheets_get_a_clear_message_and_change_nothing(persona, record, upload, extra, message):
    count = AuditEvent.objects.count()
    response = post(persona("admin"), record, upload(), **extra)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="evaluation-report"' not in page
    assert AuditEvent.objects.count() == count


def test_a_file_over_the_limit_is_refused(persona, record, monkeypatch):
    monkeypatch.setattr(dispatch_forms, "MAX_UPLOAD_MB", 0)
    response = post(persona("admin"), record, sheet())
    assert response.status_code == 400 and "请拆分后再上传" in response.content.decode()


def test_a_missing_model_file_is_said(persona, record):
    record.path = "/nonexistent/model.joblib"
    record.save()
    response = post(persona("admin"), record, sheet())
    assert response.status_code == 400 and "文件不存在" in response.content.decode()


def test_the_message_is_in_english_for_an_english_admin(persona, record):
    admin = persona("admin")
    admin.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    page = post(admin, record, sheet(header=("标题", "内容", "类别"))).content.decode()
    assert "has no column(s) title, body, label1" in page
    page = post(admin, record, sheet(one_mislabelled())).content.decode()
    assert "Messages predicted otherwise than labelled (first 1)" in page
    assert "Auto-dispatch threshold" in page and "(current setting)" in page


def test_township_staff_cannot_evaluate(persona, record):
    response = post(persona("staff_a"), record, sheet())
    assert response.status_code in (302, 403, 404)


def test_the_model_list_links_to_the_evaluation(persona, record):
    page = persona("admin").get("/admin/dispatch/classifiermodel/").content.decode()
    assert f"/admin/dispatch/classifiermodel/{record.pk}/evaluate/" in page


@pytest.mark.django_db
def test_the_command_matches_codes_to_the_model_labels_too(toy_model, tmp_path):
    model = ml.save(toy_model, tmp_path / "m.joblib")
    path = tmp_path / "codes.xlsx"
    rows = [{**r, "label1": CODES[r["label1"]]} for r in toy_rows()]
    path.write_bytes(sheet(rows).read())
    out = StringIO()
    call_command("classifier", "evaluate", "--model", str(model), "--csv", str(path), stdout=out)
    report = json.loads(out.getvalue())
    assert report["accuracy"] == 1.0 and report["label_map"]["P03"] == "教育文体"
    assert "predictions" not in report and "in_training" not in report
    assert report["seen_in_training"] == 18 and report["unseen"] is None
    assert [r["threshold"] for r in report["by_threshold"]][-2:] == [0.9, 0.95]
    assert report["threshold"] == 0.8 and report["by_threshold"][3]["threshold"] == 0.8


def test_the_page_says_what_each_threshold_would_dispatch(persona, record, settings):
    settings.JICENG_AUTO_DISPATCH_THRESHOLD = 0.85  # not one of the usual rows: added
    page = post(persona("admin"), record, sheet(one_mislabelled())).content.decode()
    table = page[
        page.index('id="eval-thresholds"') : page.index(
            "</table>", page.index('id="eval-thresholds"')
        )
    ]
    assert table.count("<tr") == 1 + 7  # header, the six usual thresholds and the setting
    current = table[table.index('id="eval-threshold-current"') :]
    assert current.split("</tr>")[0].count("0.85") == 1 and "（当前设置）" in current


def test_by_threshold_counts_what_would_be_dispatched_and_how_well():
    from jiceng.dispatch.metrics import by_threshold

    labels = ["a", "a", "b", "b"]
    ranked = [("a", 0.95), ("b", 0.85), ("b", 0.6), ("a", 0.4)]
    rows = {r["threshold"]: r for r in by_threshold(labels, ranked, (0.5, 0.9, 0.99))}
    assert rows[0.5] == {"threshold": 0.5, "n_auto": 3, "auto_share": 0.75, "auto_accuracy": 0.6667}
    assert rows[0.9] == {"threshold": 0.9, "n_auto": 1, "auto_share": 0.25, "auto_accuracy": 1.0}
    assert rows[0.99]["n_auto"] == 0 and rows[0.99]["auto_accuracy"] is None


def test_a_model_of_category_codes_is_read_with_the_category_names(persona, tmp_path):
    rows = toy_rows()
    model = ml.train(
        [r["title"] + "\n" + r["body"] for r in rows],
        [CODES[r["label1"]] for r in rows],
        grid={},
        n_jobs=1,
    )
    record = classifier_model_register(path=ml.save(model, tmp_path / "codes.joblib"), model=model)
    response = post(persona("admin"), record, sheet(one_mislabelled()))
    page = response.content.decode()
    per_label = page[page.index('id="eval-per-label"') : page.index('id="eval-confusion"')]
    assert "<td>P03 教育文体</td>" in per_label and "<td>教育文体</td>" not in per_label
    assert "<th>P01 城乡建设</th>" in page and "教育文体 → P03" in page
    mistakes = page[page.index('id="eval-mistakes"') :]
    assert "<td>教育文体</td><td>P01 城乡建设</td>" in mistakes
    export = post(persona("admin"), record, sheet(one_mislabelled()), export="1")
    each = list(load_workbook(io.BytesIO(export.content))["逐条预测"].iter_rows(values_only=True))
    assert each[1][2:4] == ("教育文体", "P01 城乡建设") and each[1][-1] == "否"


def test_the_sheet_template_lists_the_model_labels_and_reads_back_as_filled(persona, record):
    admin = persona("admin")
    page = admin.get(f"/admin/dispatch/classifiermodel/{record.pk}/evaluate/").content.decode()
    assert f'/admin/dispatch/classifiermodel/template/?model={record.pk}"' in page
    response = admin.get(f"/admin/dispatch/classifiermodel/template/?model={record.pk}")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["留言", "类别", "填写说明"]
    labels = list(wb["类别"].iter_rows(values_only=True))[1:]
    assert ("教育文体", "P03", "教育文体") in labels and len(labels) == 3

    filled = wb["留言"]  # filled in as a township would, then uploaded with columns left blank
    for r in toy_rows():
        filled.append([r["title"], r["body"], r["label1"]])
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("填好的模板.xlsx", out.getvalue())
    page = post(admin, record, upload, text="", label="").content.decode()
    assert '<td id="eval-text-columns">标题、正文</td>' in page
    assert '<td id="eval-n">18</td>' in page and '<td id="eval-accuracy">1.0</td>' in page


def test_without_an_active_model_the_template_says_what_labels_may_be(persona):
    response = persona("admin").get("/admin/dispatch/classifiermodel/template/")
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(wb["类别"].iter_rows(values_only=True))
    assert len(rows) == 2 and "尚无模型类别" in rows[1][0]
    assert persona("staff_a").get("/admin/dispatch/classifiermodel/template/").status_code in (
        302,
        403,
    )
