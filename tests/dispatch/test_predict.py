"""predict() with the active model; the weekly retraining's activation rule."""

import pytest

from jiceng.dispatch import actions, ml
from jiceng.dispatch.actions import classifier_model_activate, classifier_model_register
from jiceng.dispatch.predict import active_model, predict

from .conftest import toy_rows


@pytest.fixture
def registered(db, toy_model, tmp_path):
    return classifier_model_register(
        path=ml.save(toy_model, tmp_path / "m.joblib"), model=toy_model
    )


def test_no_active_model_gives_none(db):
    assert predict("道路坑洼破损") is None


def test_active_model_predicts_with_suggestions(registered):
    classifier_model_activate(record=registered)
    result = predict("幼儿园学位紧张，中考招生政策")
    assert result.category == "教育文体" and len(result.suggestions) == 3
    label, prob, drivers = result.suggestions[0]
    assert label == "教育文体" and prob == result.confidence and drivers
    with pytest.raises(ml.ClassifierInputError):
        predict("")


def test_switching_the_active_row_reloads(registered, tmp_path):
    classifier_model_activate(record=registered)
    assert predict("医院看病排队").category == "卫生计生"
    first = active_model()
    rows = [r for r in toy_rows() if r["label1"] != "卫生计生"]
    other = ml.train([r["body"] for r in rows], [r["label1"] for r in rows], grid={}, n_jobs=1)
    record = classifier_model_register(path=ml.save(other, tmp_path / "o.joblib"), model=other)
    classifier_model_activate(record=record)
    assert active_model() is not first and "卫生计生" not in active_model().labels
    assert predict("医院看病排队，道路坑洼").category == "城乡建设"


@pytest.fixture
def cases_rows(monkeypatch, tmp_path):
    rows = [(r["title"] + r["body"], r["label1"]) for r in toy_rows()]
    monkeypatch.setattr(actions, "training_rows_from_cases", lambda: iter(rows))
    monkeypatch.setattr(actions, "models_dir", lambda: tmp_path / "models")
    monkeypatch.setattr(actions.ml, "train", _one_core(actions.ml.train))
    return rows


def _one_core(train):
    return lambda *a, **k: train(*a, **{**k, "n_jobs": 1, "grid": {}})


def test_retrain_activates_when_not_worse(db, cases_rows):
    first = actions.retrain_from_cases()
    assert first["activated"] and first["active_cv_macro_f1"] is None
    second = actions.retrain_from_cases()
    assert second["activated"]  # same data, same CV score: not worse
    assert predict("道路坑洼破损").category == "城乡建设"


def test_retrain_keeps_a_better_active_model(registered, cases_rows):
    registered.cv_macro_f1 = 1.01
    registered.save()
    classifier_model_activate(record=registered)
    result = actions.retrain_from_cases()
    assert not result["activated"]
    registered.refresh_from_db()
    assert registered.active
