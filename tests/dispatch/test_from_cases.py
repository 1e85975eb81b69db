"""Training rows from closed cases: the final (corrected) category is the label."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiceng.cases.models import Case, Category, Status
from jiceng.dispatch.selectors import training_rows_from_cases
from jiceng.org.models import Level, Region

from .conftest import TOPICS, toy_rows


def make_case(n: int, text: str, category: Category, status: str) -> Case:
    township = Region.objects.filter(level=Level.TOWNSHIP).order_by("code").first()
    return Case.objects.create(
        code=f"T{n:08d}",
        secret_salt="x",
        source="citizen",
        description=text,
        region=township,
        township=township,
        category=category,
        status=status,
        occurred_at=timezone.now(),
    )


@pytest.fixture
def categories(db):
    leaves = Category.objects.exclude(kind="group").order_by("code")[:2]
    assert len(leaves) == 2
    return list(leaves)


def test_only_closed_cases_under_their_final_category(categories):
    roads, schools = categories
    make_case(1, "道路坑洼破损", roads, Status.CLOSED)
    make_case(2, "学校乱收补课费", schools, Status.RATED)
    make_case(3, "井盖丢失危险", roads, Status.DISPATCHED)  # still open: not a label yet
    corrected = make_case(4, "幼儿园学位紧张", roads, Status.DISPATCHED)
    corrected.category, corrected.status = schools, Status.CLOSED  # dispatcher's correction
    corrected.save()
    assert sorted(training_rows_from_cases()) == sorted(
        [
            ("道路坑洼破损", roads.code),
            ("学校乱收补课费", schools.code),
            ("幼儿园学位紧张", schools.code),
        ]
    )


def test_train_from_cases_uses_category_codes(categories, tmp_path):
    texts = {categories[0]: TOPICS["城乡建设"], categories[1]: TOPICS["教育文体"]}
    n = 0
    for category, phrases in texts.items():
        for i in range(6):
            n += 1
            text = phrases[i % 5] + "，" + phrases[(i + 1) % 5]
            make_case(n, text, category, Status.CLOSED)
    out = StringIO()
    call_command(
        "classifier",
        "train",
        "--from-cases",
        "--out",
        str(tmp_path / "c.joblib"),
        "--jobs",
        "1",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["labels"] == sorted(c.code for c in categories)
    assert result["n_train"] == 12
    assert result["n_hints"] == 2  # the names of the two categories cases were closed under


@pytest.fixture
def active_csv_model(db, toy_csv, settings, tmp_path):
    """The toy messages (labels 城乡建设, 教育文体, 卫生计生: names of 市民诉求 categories), active."""
    from jiceng.dispatch.actions import (
        classifier_model_activate,
        classifier_model_register,
        classifier_train_from_csv,
    )

    settings.JICENG_CLASSIFIER_DIR = tmp_path / "models"
    path, model = classifier_train_from_csv(
        csv_path=toy_csv, text_columns=["title", "body"], label_column="label1", n_jobs=1
    )
    assert len(model.base["rows"]) == 18 and model.base["rows"][0][2] == "城乡建设"
    return classifier_model_activate(record=classifier_model_register(path=path, model=model))


def close_six(category: Category, phrases: list[str], start: int) -> None:
    for i in range(6):
        make_case(start + i, phrases[i % 5] + "，" + phrases[(i + 1) % 5], category, Status.CLOSED)


def test_retraining_adds_cases_to_what_the_active_model_learned(active_csv_model):
    from jiceng.dispatch import ml
    from jiceng.dispatch.actions import classifier_model_activate, retrain_from_cases
    from jiceng.dispatch.models import ClassifierModel
    from jiceng.dispatch.predict import predict

    names = {c.name: c.code for c in Category.objects.filter(name__in=TOPICS)}
    assert len(names) == 3
    covers = Category.objects.exclude(kind="group").exclude(code__in=names.values())
    covers = covers.order_by("code").first()  # a grid component, say 供水井盖: no message has it
    close_six(covers, ["井盖破损松动", "井盖缺失", "井盖移位", "井盖下沉", "井盖异响"], 1)

    result = retrain_from_cases()
    model = ml.load(result["path"])
    meta = model.metadata
    assert meta["labels"] == sorted([*names.values(), covers.code])  # codes, not names
    assert meta["n_train"] == 18 + 6
    assert meta["source"]["n_base"] == 18 and meta["source"]["n_cases"] == 6
    assert meta["source"]["base_source"]["kind"] == "csv"
    classifier_model_activate(record=ClassifierModel.objects.get(pk=result["model"]))
    assert predict("医院看病排队，诊所无证行医").category == names["卫生计生"]
    assert predict("井盖缺失，井盖下沉").category == covers.code

    again = ml.load(retrain_from_cases()["path"])  # the base is inherited, not counted twice
    assert again.metadata["n_train"] == 24 and len(again.base["rows"]) == 18


def test_a_retrained_model_knows_its_cases_without_keeping_their_text(active_csv_model):
    """Evaluation must not score a case the model learned from as a new message, and the model
    file must not carry what residents wrote: the cases are kept as digests only."""
    from jiceng.dispatch import ml
    from jiceng.dispatch.actions import retrain_from_cases

    covers = Category.objects.exclude(kind="group").order_by("code").first()
    close_six(covers, ["井盖破损松动", "井盖缺失", "井盖移位", "井盖下沉", "井盖异响"], 1)
    learned = Case.objects.filter(status=Status.CLOSED).values_list("description", flat=True)
    open_case = make_case(99, "井盖破损松动，井盖缺失，还没有办结", covers, Status.DISPATCHED)

    model = ml.load(retrain_from_cases()["path"])
    texts = [*learned, open_case.description, toy_rows()[0]["body"], "从未见过的留言"]
    assert model.trained_on(texts) == [True] * 6 + [False, True, False]
    assert not any(text in (t, a) for text in learned for t, a, _ in model.base["rows"])
    assert len(model.seen) == len(set(learned)) == 5 and all(len(d) == 16 for d in model.seen)


def test_a_rare_category_is_left_out_not_a_stop(categories, tmp_path):
    from jiceng.dispatch.actions import classifier_train_from_cases

    roads, schools = categories
    close_six(roads, TOPICS["城乡建设"], 1)
    close_six(schools, TOPICS["教育文体"], 7)
    rare = Category.objects.exclude(kind="group").exclude(pk__in=[roads.pk, schools.pk]).first()
    make_case(13, "医院看病排队", rare, Status.CLOSED)  # one case: too few to learn from

    _, model = classifier_train_from_cases(out=tmp_path / "c.joblib", n_jobs=1)
    assert model.metadata["labels"] == sorted([roads.code, schools.code])
    assert model.metadata["source"]["left_out"] == {rare.code: 1}


def test_a_model_file_from_before_base_loads_with_no_base(toy_model, tmp_path):
    import copy

    import joblib

    from jiceng.dispatch import ml

    old = copy.copy(toy_model)
    del old.__dict__["base"], old.__dict__["seen"]
    joblib.dump(old, tmp_path / "old.joblib")
    loaded = ml.load(tmp_path / "old.joblib")
    assert loaded.base == {"rows": [], "hints": []} and loaded.seen == set()
    assert loaded.trained_on(["医院看病排队"]) == [False]
    assert loaded.predict("医院看病排队")[0] == "卫生计生"


def _set_active_cv(record, f1: float, whole: float) -> None:
    """Overwrite the active record's CV figures: every label at f1, the whole score at whole."""
    cv = record.metadata["cv"]
    for view in ("full", "alt"):
        cv[view]["f1_by_label"] = dict.fromkeys(cv[view]["f1_by_label"], f1)
    record.cv_macro_f1 = whole
    record.save()


@pytest.mark.parametrize(
    ("f1", "whole", "activated"),
    [
        (0.5, 1.01, True),  # the shared categories decide, not the whole score
        (1.01, 0.0, False),  # worse on what the active model already knew: kept out
    ],
)
def test_activation_compares_on_the_categories_the_active_model_knows(
    active_csv_model, f1, whole, activated
):
    from jiceng.dispatch.actions import retrain_from_cases

    names = {c.name: c.code for c in Category.objects.filter(name__in=TOPICS)}
    covers = Category.objects.exclude(kind="group").exclude(code__in=names.values())
    close_six(
        covers.order_by("code").first(),
        ["井盖破损", "井盖缺失", "井盖移位", "井盖下沉", "井盖异响"],
        1,
    )
    _set_active_cv(active_csv_model, f1, whole)

    result = retrain_from_cases()
    assert result["compared_on"] == sorted(names.values())
    assert result["active_compared_f1"] == f1 and result["activated"] is activated
    cv = ml_metadata(result["path"])["cv"]
    mine = [cv[v]["f1_by_label"][code] for v in ("full", "alt") for code in names.values()]
    assert result["compared_f1"] == pytest.approx(sum(mine) / len(mine), abs=1e-4)


def ml_metadata(path) -> dict:
    from jiceng.dispatch import ml

    return ml.load(path).metadata


def test_shared_label_comparison():
    from jiceng.dispatch.cv import compare_on_shared_labels

    def cv(**by_label):
        return {v: {"f1_by_label": by_label} for v in ("full", "alt")}

    same = {"城乡建设": "P01", "教育文体": "P03", "政法": "政法"}
    new = cv(P01=0.9, P03=0.8, C01001=0.1)  # a new category, poorly learnt yet
    old = cv(城乡建设=0.85, 教育文体=0.85, 政法=0.7)  # 政法: the new model has no such label
    assert compare_on_shared_labels(new, old, same) == {
        "new": 0.85,
        "old": 0.85,
        "labels": [("城乡建设", "P01"), ("教育文体", "P03")],
    }
    assert compare_on_shared_labels(new, {"full": {"macro_f1": 0.9}}, same) is None
    assert compare_on_shared_labels(new, cv(其他=1.0), {"其他": "P09"}) is None
