"""Training a new model on a sheet an admin uploads: checked at once, trained in the background,
registered but not activated, the outcome shown on the model list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiceng.core.models import AuditEvent
from jiceng.core.tables import workbook_bytes
from jiceng.dispatch.actions import classifier_train_sheet
from jiceng.dispatch.models import SHEET_TRAIN_FAILED, SHEET_TRAINED, ClassifierModel

from .conftest import toy_rows

URL = "/admin/dispatch/classifiermodel/"
TRAIN = URL + "train/"
TREE = "level1,level2,level3\n教育文体,教育,招生考试\n卫生计生,医疗,医保\n民政,社会救助,低保\n"


@pytest.fixture
def models_dir(settings, tmp_path):
    settings.JICENG_CLASSIFIER_DIR = tmp_path / "models"
    return settings.JICENG_CLASSIFIER_DIR


def sheet(rows=None, header=("title", "body", "label1"), name="工单.xlsx"):
    rows = toy_rows() if rows is None else rows
    values = ([r["title"], r["body"], r["label1"]] for r in rows)
    return SimpleUploadedFile(name, workbook_bytes([("留言", [list(header), *values])]))


def post(client, upload, follow=False, **extra):
    fields = {"text": "title,body", "label": "label1", "file": upload, **extra}
    return client.post(TRAIN, fields, follow=follow)


def line(client) -> str:
    html = client.get(URL).content.decode()
    start = html.index('id="last-sheet-training"')
    return " ".join(html[start : html.index("</p>", start)].split())


def test_an_admin_trains_a_model_on_a_sheet_and_chooses_later(persona, models_dir):
    admin = persona("admin")
    assert 'id="train-sheet"' in admin.get(URL).content.decode()
    train_page = admin.get(TRAIN).content.decode()
    assert "类别说明表" in train_page and '/admin/dispatch/classifiermodel/template/"' in train_page
    hints = SimpleUploadedFile("labels_tree.csv", TREE.encode())
    response = post(admin, sheet(), hints=hints, follow=True)
    assert "已在后台开始训练：18 条留言，3 个类别" in response.content.decode()

    record = ClassifierModel.objects.get()  # huey runs inline in tests
    assert not record.active and record.created_by.username == "admin"
    meta = record.metadata
    assert meta["n_train"] == 18 and meta["n_hints"] == 2  # 民政 is not a label of the sheet
    assert meta["source"]["kind"] == "csv" and meta["source"]["file"].endswith("工单.xlsx")
    assert record.path.startswith(str(models_dir))
    kept = sorted(p.name.split("-")[-1] for p in (models_dir / "sheets").iterdir())
    assert kept == ["labels_tree.csv", "工单.xlsx"]
    event = AuditEvent.objects.get(verb=SHEET_TRAINED)
    assert event.actor.username == "admin" and event.after["model"] == record.pk
    shown = line(admin)
    assert (
        f"新模型 #{record.pk}，18 条留言" in shown
        and "未自动启用" in shown
        and "工单.xlsx" in shown
    )


def test_columns_left_blank_are_told_from_the_header_and_kept(persona, models_dir):
    upload = sheet(header=("留言主题", "留言详情", "一级标签"))
    response = post(persona("admin"), upload, follow=True, text="", label="")
    assert "文本列 留言主题、留言详情，类别列 一级标签" in response.content.decode()
    source = ClassifierModel.objects.get().metadata["source"]
    assert (
        source["text_columns"] == ["留言主题", "留言详情"] and source["label_column"] == "一级标签"
    )


@pytest.mark.parametrize(
    ("upload", "extra", "message"),
    [
        (lambda: sheet(header=("标题", "内容", "类别")), {}, "缺少列"),
        (lambda: sheet(header=("编号", "内容", "结果")), {"label": ""}, "无法从表头认出类别列"),
        (lambda: sheet(toy_rows()[:15]), {}, "少于 5 条"),  # 卫生计生 has 3 rows left
        (lambda: sheet([{**r, "label1": "城乡建设"} for r in toy_rows()]), {}, "至少需要 2 个"),
        (lambda: SimpleUploadedFile("x.xlsx", b"PK broken"), {}, "不是有效的 Excel"),
        (
            sheet,
            {"hints": SimpleUploadedFile("tree.csv", "level1\n城乡建设\n".encode())},
            "至少需要两列",
        ),
    ],
)
def test_a_bad_sheet_is_refused_at_once_and_nothing_is_queued(
    persona, models_dir, upload, extra, message
):
    events = AuditEvent.objects.count()
    response = post(persona("admin"), upload(), **extra)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ClassifierModel.objects.exists() and AuditEvent.objects.count() == events
    assert not (models_dir / "sheets").exists()


def test_a_failure_in_the_background_is_shown_not_lost(persona, models_dir):
    admin = persona("admin")
    result = classifier_train_sheet(
        path=models_dir / "sheets" / "gone.xlsx",
        name="gone.xlsx",
        text_columns=["title", "body"],
        label_column="label1",
        by=admin_user(),
    )
    assert result is None and not ClassifierModel.objects.exists()
    assert AuditEvent.objects.get(verb=SHEET_TRAIN_FAILED).after["code"] == "bad_file"
    shown = line(admin)
    assert "失败" in shown and "文件不存在" in shown and "gone.xlsx" in shown
    admin.post("/i18n/setlang/", {"language": "en", "next": URL})
    assert "Failed" in line(admin) and "file not found" in line(admin)


def test_township_staff_cannot_train(persona, models_dir):
    assert persona("staff_a").post(TRAIN, {"file": sheet()}).status_code in (302, 403)
    assert not ClassifierModel.objects.exists()


def admin_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def test_kept_sheets_are_named_safely_and_never_overwritten(models_dir):
    from jiceng.dispatch.actions import sheet_keep

    first = sheet_keep(name="../../工单 2024.xlsx", data=b"a")
    second = sheet_keep(name="../../工单 2024.xlsx", data=b"b")
    assert first.parent == second.parent == models_dir / "sheets" and first != second
    assert first.name.endswith("工单_2024.xlsx") and first.read_bytes() == b"a"
    assert sheet_keep(name="..", data=b"c").name.endswith("sheet.csv")
