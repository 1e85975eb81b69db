"""Evaluating a model on a labelled spreadsheet: its labels matched to the model's, a report,
and the same report as an Excel workbook (with every row's prediction).

Used by `jiceng classifier evaluate` and by the admin's 评估 page, so both score alike.
"""

from itertools import islice

from django.conf import settings

from . import errors
from .metrics import THRESHOLDS, evaluate, scores
from .selectors import category_codes_for_labels, category_names_for_codes
from .textio import Rows


def evaluate_rows(model, rows: Rows) -> dict:
    """ml.evaluate on the rows, plus:
    - `text_columns`, `label_column`: the columns read, as named or as told from the header;
    - `skipped_rows`; `label_map` (below); `label_names`: the category name of each label that
      is a category code; `threshold`: the current JICENG_AUTO_DISPATCH_THRESHOLD, always among
      the `by_threshold` rows;
    - `in_training` (each row: was the model trained on this message?), `seen_in_training` (how
      many were) and `unseen` (n, accuracy, macro-F1 of the others; None when there are none).
      A model scores near 1 on messages it was trained on, which says nothing of new ones.

    A sheet may name categories otherwise than the model does: department names for a model
    trained from cases (category codes), or codes for a model trained on the messages. Those
    labels are matched through the category tree (`label_map`: sheet label → model label).
    Refuses a sheet without rows or whose labels the model knows none of.
    """
    if not rows.texts:
        raise errors.no_rows(rows.skipped)
    label_map = match_labels(rows.labels, model.labels)
    labels = [label_map.get(y, y) for y in rows.labels]
    if not set(labels) & set(model.labels):
        raise errors.no_known_labels(sorted(set(rows.labels)), model.labels)
    current = settings.JICENG_AUTO_DISPATCH_THRESHOLD
    thresholds = sorted({*THRESHOLDS, current})
    report = evaluate(model, rows.texts, labels, keep_rows=True, thresholds=thresholds)
    seen = model.trained_on(rows.texts, *([rows.alt_texts] if rows.alt_texts else []))
    pred = [p for p, _ in report["predictions"]]
    new = [i for i, known in enumerate(seen) if not known]
    return {
        **report,
        "in_training": seen,
        "seen_in_training": sum(seen),
        "unseen": scores([labels[i] for i in new], [pred[i] for i in new]) if new else None,
        "text_columns": rows.text_columns,
        "label_column": rows.label_column,
        "skipped_rows": rows.skipped,
        "label_map": label_map,
        "label_names": category_names_for_codes(report["confusion"]["labels"]),
        "threshold": current,
    }


def shown(report: dict, label: str) -> str:
    """A label as a person reads it: a category code with its name ("P01 城乡建设")."""
    name = report.get("label_names", {}).get(label)
    return f"{label} {name}" if name else label


def match_labels(sheet_labels: list[str], model_labels: list[str]) -> dict[str, str]:
    """For each sheet label the model does not know, the model label naming the same category."""
    unknown = sorted(set(sheet_labels) - set(model_labels))
    if not unknown:
        return {}
    codes = category_codes_for_labels(unknown + list(model_labels))
    by_code = {codes[m]: m for m in model_labels if m in codes}
    return {y: by_code[codes[y]] for y in unknown if codes.get(y) in by_code}


def report_sheets(report: dict, rows: Rows, about: dict) -> list:
    """The report as (sheet title, rows) for core.tables.workbook_bytes: 概要, 各类别, 混淆矩阵,
    自动派单阈值, 逐条预测 (each row's text columns, label, prediction, confidence, whether they
    agree).

    about: what was evaluated, e.g. {"模型": "#3 …", "文件": "holdout.xlsx"}; listed first.
    """
    summary = [
        ["项目", "值"],
        *([k, v] for k, v in about.items()),
        ["文本列", "、".join(report["text_columns"])],
        ["类别列", report["label_column"]],
        ["样本数", report["n"]],
        ["准确率", report["accuracy"]],
        ["macro-F1", report["macro_f1"]],
        ["跳过的行（文本或类别为空）", report["skipped_rows"]],
        ["每秒预测条数", report["predictions_per_second"]],
        ["在模型训练数据中的留言", report["seen_in_training"]],
        *_unseen_rows(report),
        *([f"类别对应：{k}", v] for k, v in report["label_map"].items()),
    ]
    per_label = [["类别", "精确率", "召回率", "F1", "样本数"]] + [
        [shown(report, name), m["precision"], m["recall"], m["f1"], m["support"]]
        for name, m in report["per_label"].items()
    ]
    names = [shown(report, name) for name in report["confusion"]["labels"]]
    confusion = [["标注＼预测", *names]] + [
        [name, *counts] for name, counts in zip(names, report["confusion"]["matrix"], strict=True)
    ]
    each = [[*rows.text_columns, "标注类别", "预测类别", "置信度", "是否一致", "在训练数据中"]] + [
        [*parts, label, shown(report, predicted), p, _yes(agreed), _yes(seen)]
        for parts, label, predicted, p, agreed, seen in _each_row(report, rows)
    ]
    thresholds = [["置信度阈值", "自动派单条数", "自动派单比例", "自动派单准确率"]] + [
        [t["threshold"], t["n_auto"], t["auto_share"], t["auto_accuracy"]]
        for t in report["by_threshold"]
    ]
    return [
        ("概要", summary),
        ("各类别", per_label),
        ("混淆矩阵", confusion),
        ("自动派单阈值", thresholds),
        ("逐条预测", each),
    ]


TEMPLATE_HEADER = ["标题", "正文", "类别"]


def template_sheets(model_labels: list[str]) -> list:
    """An empty labelled sheet to fill in (留言: 标题, 正文, 类别, the header the pages read by
    themselves), the labels a model knows with their codes and names (类别), and how to fill it
    in (填写说明); for core.tables.workbook_bytes."""
    codes = category_codes_for_labels(model_labels)
    names = category_names_for_codes(model_labels)
    labels = [["类别（填入“类别”列）", "类别代码", "类别名称"]] + [
        [y, codes.get(y, ""), names.get(y, y)] for y in model_labels
    ]
    howto = [
        ["填写说明"],
        [
            "每行一条留言或工单：标题可空，正文必填，类别填“类别”表第一列的值（也可填类别代码或名称）。"
        ],
        ["训练新模型时，每个类别至少 5 条，至少 2 个类别；评估时宜用模型未训练过的留言。"],
        ["列名保持第一行不变；也可用自己的列名，在页面上填写文本列和类别列。"],
        ["可另存为 CSV（UTF-8 或 GB18030）上传。"],
    ]
    if not model_labels:
        labels.append(["（尚无模型类别：可填平台事项类别的名称或代码）", "", ""])
    return [("留言", [TEMPLATE_HEADER]), ("类别", labels), ("填写说明", howto)]


def _unseen_rows(report: dict) -> list:
    """The figures on the messages the model was not trained on, when some others were."""
    unseen = report["unseen"]
    if not (unseen and report["seen_in_training"]):
        return []
    return [
        ["未参与训练的留言", unseen["n"]],
        ["未参与训练的留言：准确率", unseen["accuracy"]],
        ["未参与训练的留言：macro-F1", unseen["macro_f1"]],
    ]


def _yes(value: bool) -> str:
    return "是" if value else "否"


def mistakes(report: dict, rows: Rows, limit: int = 50) -> list[dict]:
    """The first `limit` rows whose prediction differs from their label, for the page."""
    wrong = (
        {
            "text": " / ".join(x for x in parts if x),
            "label": label,
            "predicted": shown(report, pred),
            "p": p,
            "seen": seen,
        }
        for parts, label, pred, p, agreed, seen in _each_row(report, rows)
        if not agreed
    )
    return list(islice(wrong, limit))


def _each_row(report: dict, rows: Rows):
    """(text columns, label, predicted label, confidence, agreed, in the training data) for every
    evaluated row."""
    label_map = report["label_map"]
    for parts, label, (predicted, p), seen in zip(
        rows.parts, rows.labels, report["predictions"], report["in_training"], strict=True
    ):
        yield parts, label, predicted, p, label_map.get(label, label) == predicted, seen
