"""`jiceng classifier train|evaluate`: train the message classifier and evaluate it on a CSV."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from jiceng.dispatch import ml
from jiceng.dispatch.actions import (
    classifier_model_activate,
    classifier_model_register,
    classifier_train_from_cases,
    classifier_train_from_csv,
)
from jiceng.dispatch.evaluation import evaluate_rows
from jiceng.dispatch.textio import read_csv_rows, split_columns


class Command(BaseCommand):
    help = "训练与评估留言分类器 / Train and evaluate the message classifier."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train a model and save it")
        source = train.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--csv", help="CSV (UTF-8 or GB18030) or Excel .xlsx with text and label columns"
        )
        source.add_argument("--from-cases", action="store_true", help="closed cases")
        _columns(train)
        train.add_argument(
            "--hints", help="label tree CSV: label, then words naming what it covers (with --csv)"
        )
        train.add_argument("--out", help="model file (default var/models/<time>.joblib)")
        train.add_argument("--jobs", type=int, default=2, help="CPU cores for CV")
        train.add_argument("--grid-c", help="SVM C values to choose from by CV, e.g. 1,3,10")
        train.add_argument("--register", action="store_true", help="add it to the admin list")
        train.add_argument("--activate", action="store_true", help="register and activate it")
        evaluate = sub.add_parser("evaluate", help="print one JSON object of metrics")
        evaluate.add_argument("--model", required=True)
        evaluate.add_argument("--csv", required=True, help="CSV or .xlsx, as for train")
        _columns(evaluate)

    def handle(self, *args, **opts):
        try:
            result = self._train(opts) if opts["action"] == "train" else self._evaluate(opts)
        except ml.ClassifierInputError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:  # e.g. a fresh checkout whose database was never migrated
            raise CommandError(
                f"数据库不可用（{exc}）：请先运行 make run 或 jiceng migrate / "
                f"database not ready ({exc}): run make run or jiceng migrate first"
            ) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _train(self, opts) -> dict:
        grid = {"C": _floats(opts["grid_c"])} if opts["grid_c"] else None
        if opts["from_cases"]:
            path, model = classifier_train_from_cases(
                out=opts["out"], n_jobs=opts["jobs"], grid=grid
            )
        else:
            path, model = classifier_train_from_csv(
                csv_path=opts["csv"],
                text_columns=_split(opts["text"]),
                label_column=opts["label"],
                hints_path=opts["hints"],
                out=opts["out"],
                n_jobs=opts["jobs"],
                grid=grid,
            )
        result = {"path": str(path), "model_mb": round(path.stat().st_size / 2**20, 2)}
        if opts["register"] or opts["activate"]:
            record = classifier_model_register(path=path.resolve(), model=model)
            if opts["activate"]:
                classifier_model_activate(record=record)
            result["record"] = record.pk
        meta = model.metadata
        return {
            **result,
            **{k: meta[k] for k in ("n_train", "n_hints", "labels", "params", "cv")},
            "training_seconds": meta["training_seconds"],
        }

    def _evaluate(self, opts) -> dict:
        model = ml.load(opts["model"])
        rows = read_csv_rows(opts["csv"], _split(opts["text"]), opts["label"])
        report = evaluate_rows(model, rows)
        for per_row in ("predictions", "in_training"):  # figures only; the admin's export has rows
            del report[per_row]
        return report


def _columns(parser) -> None:
    parser.add_argument(
        "--text",
        help="text columns, joined, e.g. title,body (default: told from the header: "
        "title/标题/留言主题…, then body/内容/留言详情…)",
    )
    parser.add_argument(
        "--label", help="label column (default: told from the header: label1/类别/一级标签…)"
    )


def _split(columns: str | None) -> list[str] | None:
    if columns is None:
        return None
    names = split_columns(columns)
    if not names:
        raise CommandError("--text 至少需要一列 / --text needs at least one column")
    return names


def _floats(values: str) -> list[float]:
    try:
        return [float(v) for v in values.split(",") if v.strip()]
    except ValueError:
        raise CommandError(f"--grid-c 需要数字列表 / --grid-c needs numbers: {values}") from None
