"""`jiceng classifier train|evaluate` through call_command."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> dict:
    out = StringIO()
    call_command("classifier", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_train_then_evaluate(toy_csv, tmp_path):
    model = tmp_path / "toy.joblib"
    trained = run("train", "--csv", str(toy_csv), "--out", str(model), "--jobs", "1")
    assert model.exists() and trained["path"] == str(model)
    assert trained["n_train"] == 18 and len(trained["labels"]) == 3
    assert {"full", "alt", "macro_f1"} <= set(trained["cv"])
    report = run("evaluate", "--model", str(model), "--csv", str(toy_csv), "--text", "body")
    assert report["accuracy"] == 1.0 and report["n"] == 18
    assert {"n", "accuracy", "macro_f1", "per_label", "confusion", "predictions_per_second"} <= set(
        report
    )


@pytest.mark.django_db
def test_an_excel_file_trains_and_evaluates_like_a_csv(tmp_path):
    from openpyxl import Workbook

    from .conftest import toy_rows

    wb = Workbook()
    wb.active.append(["title", "body", "label1"])
    for row in toy_rows():
        wb.active.append([row["title"], row["body"], row["label1"]])
    sheet, model = tmp_path / "toy.xlsx", tmp_path / "x.joblib"
    wb.save(sheet)
    trained = run("train", "--csv", str(sheet), "--out", str(model), "--jobs", "1")
    assert trained["n_train"] == 18
    report = run("evaluate", "--model", str(model), "--csv", str(sheet), "--text", "body")
    assert report["accuracy"] == 1.0


@pytest.mark.django_db
def test_train_with_activate_registers_the_model(toy_csv, tmp_path):
    from jiceng.dispatch.models import ClassifierModel

    out = run(
        "train",
        "--csv",
        str(toy_csv),
        "--out",
        str(tmp_path / "m.joblib"),
        "--jobs",
        "1",
        "--activate",
    )
    record = ClassifierModel.objects.get(pk=out["record"])
    assert record.active and record.metadata["source"]["kind"] == "csv"
    assert len(record.metadata["source"]["file_sha256"]) == 64


@pytest.mark.django_db
def test_train_with_a_label_tree(toy_csv, tmp_path):
    tree = tmp_path / "tree.csv"
    tree.write_text("level1,level2,level3\n教育文体,文体,体育场馆\n教育文体,文体,场馆开放\n")
    model = tmp_path / "m.joblib"
    out = run("train", "--csv", str(toy_csv), "--hints", str(tree), "--out", str(model))
    assert out["n_hints"] == 2 and out["n_train"] == 18
    report = run("evaluate", "--model", str(model), "--csv", str(toy_csv))
    assert report["accuracy"] == 1.0
    from jiceng.dispatch import ml

    meta = ml.load(model).metadata
    assert meta["source"]["hints"]["file"] == "tree.csv"
    assert ml.load(model).predict("体育场馆开放")[0] == "教育文体"


@pytest.mark.django_db
def test_a_missing_hint_file_is_a_clear_error(toy_csv, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("train", "--csv", str(toy_csv), "--hints", str(tmp_path / "no.csv"), "--out", "x")


@pytest.mark.django_db
def test_missing_column_is_a_clear_error(toy_csv, tmp_path):
    with pytest.raises(CommandError, match="缺少列.*content"):
        run("train", "--csv", str(toy_csv), "--text", "content", "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


@pytest.mark.django_db
def test_evaluate_with_a_missing_model(toy_csv, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("evaluate", "--model", str(tmp_path / "none.joblib"), "--csv", str(toy_csv))


@pytest.mark.django_db
def test_from_cases_without_closed_cases_says_so(tmp_path):
    with pytest.raises(CommandError, match="还没有已办结的案件"):
        run("train", "--from-cases", "--out", str(tmp_path / "c.joblib"))


@pytest.mark.django_db
def test_the_command_takes_columns_typed_with_a_chinese_comma(toy_csv, tmp_path):
    model = tmp_path / "toy.joblib"
    run("train", "--csv", str(toy_csv), "--text", "title，body", "--out", str(model), "--jobs", "1")
    report = run("evaluate", "--model", str(model), "--csv", str(toy_csv), "--text", "title，body")
    assert report["n"] == 18 and report["accuracy"] == 1.0


@pytest.mark.django_db
def test_columns_not_named_are_told_from_a_chinese_header(tmp_path):
    from .conftest import toy_rows

    lines = ["留言主题,留言详情,一级标签"] + [
        f"{r['title']},{r['body']},{r['label1']}" for r in toy_rows()
    ]
    sheet, model = tmp_path / "board.csv", tmp_path / "b.joblib"
    sheet.write_text("\n".join(lines), encoding="gb18030")
    trained = run("train", "--csv", str(sheet), "--out", str(model), "--jobs", "1")
    assert trained["n_train"] == 18
    report = run("evaluate", "--model", str(model), "--csv", str(sheet))
    assert (
        report["text_columns"] == ["留言主题", "留言详情"] and report["label_column"] == "一级标签"
    )
    assert report["accuracy"] == 1.0
    sheet.write_text("编号,结果\n1,城乡建设\n", encoding="utf-8")
    with pytest.raises(CommandError, match="无法从表头认出文本列、类别列"):
        run("evaluate", "--model", str(model), "--csv", str(sheet))


def test_evaluate_on_a_database_never_migrated_says_what_to_do(toy_model, toy_csv, tmp_path):
    """A fresh checkout before `make run`: no tables yet. The command says so, without a trace."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from jiceng.dispatch import ml

    model = ml.save(toy_model, tmp_path / "m.joblib")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    env["JICENG_VAR_DIR"] = str(tmp_path)
    args = ["classifier", "evaluate", "--model", str(model), "--csv", str(toy_csv)]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "请先运行 make run 或 jiceng migrate" in done.stderr
