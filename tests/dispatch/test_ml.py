"""The pure classifier module: train → save → load → evaluate, explanations, metadata."""

import json

import pytest

from jiceng.dispatch import ml

from .conftest import TOPICS, toy_rows


def test_round_trip_on_separable_toy_set(toy_model, tmp_path):
    path = ml.save(toy_model, tmp_path / "models" / "toy.joblib")
    model = ml.load(path)
    rows = toy_rows()
    report = ml.evaluate(model, [r["body"] for r in rows], [r["label1"] for r in rows])
    assert report["n"] == len(rows)
    assert report["accuracy"] == 1.0
    assert report["macro_f1"] == 1.0
    assert set(report["per_label"]) == {"城乡建设", "教育文体", "卫生计生"}
    assert report["per_label"]["教育文体"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "support": 6,
    }
    assert report["confusion"]["labels"] == sorted(report["per_label"])
    assert sum(map(sum, report["confusion"]["matrix"])) == len(rows)
    assert report["predictions_per_second"] > 0
    json.dumps(report, ensure_ascii=False)


def test_metadata(toy_model):
    meta = toy_model.metadata
    assert meta["n_train"] == 18
    assert meta["labels"] == sorted(TOPICS)
    assert len(meta["training_sha256"]) == 64
    assert meta["views"] == ["full", "alt"]
    assert {"macro_f1", "full", "alt", "folds"} <= set(meta["cv"])
    assert 0.0 <= meta["cv"]["full"]["macro_f1"] <= 1.0
    for view in ("full", "alt"):  # out-of-fold: what each auto-dispatch threshold would send on
        rows = meta["cv"][view]["by_threshold"]
        assert [r["threshold"] for r in rows] == [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
        autos = [r["n_auto"] for r in rows]
        assert autos == sorted(autos, reverse=True) and 0 < autos[0] <= 18
        assert all(r["auto_share"] == round(r["n_auto"] / 18, 4) for r in rows)
    assert {"scikit-learn", "numpy", "scipy", "joblib", "python"} <= set(meta["versions"])
    assert meta["created_at"]


def test_same_rows_same_hash():
    assert ml.data_sha256(["甲"], ["a"]) == ml.data_sha256(["甲"], ["a"])
    assert ml.data_sha256(["甲"], ["a"]) != ml.data_sha256(["甲"], ["b"])


def test_explain_gives_top_three_with_drivers(toy_model):
    result = toy_model.explain("学校乱收补课费，老师体罚学生")
    assert result.category == "教育文体"
    assert len(result.suggestions) == 3
    assert [s.label for s in result.suggestions][0] == result.category
    assert result.suggestions[0].drivers
    assert all(d in "学校乱收补课费，老师体罚学生" for d in result.suggestions[0].drivers)
    probs = [s.probability for s in result.suggestions]
    assert probs == sorted(probs, reverse=True) and sum(probs) <= 1.0001
    assert result.truncated is False and result.notice == ""
    label, confidence = toy_model.predict("医院看病排队太久")
    assert label == "卫生计生" and 0 < confidence <= 1


def test_drivers_are_words_not_punctuation(toy_model):
    text = "，，，学校乱收补课费！！！老师体罚学生。。。"
    drivers = [d for s in toy_model.explain(text, n_drivers=50).suggestions for d in s.drivers]
    assert drivers and all(any(ch.isalnum() for ch in d) for d in drivers)
    # an n-gram that ends or starts with punctuation ("费！") is shown without it, once
    assert all(d[0].isalnum() and d[-1].isalnum() for d in drivers)
    per_label = [s.drivers for s in toy_model.explain(text, n_drivers=50).suggestions]
    assert all(len(set(d)) == len(d) for d in per_label)


def test_long_text_is_truncated_with_notice(toy_model):
    result = toy_model.explain("道路坑洼破损" * 1000)
    assert result.truncated is True
    assert "2000" in result.notice and "过长" in result.notice
    assert result.category == "城乡建设"


@pytest.mark.parametrize(
    "text,code",
    [
        ("", "empty_text"),
        ("   \n ", "empty_text"),
        (None, "empty_text"),
        ("The street light is broken", "no_chinese"),
        ("Уличный фонарь", "no_chinese"),
        ("😀😀😀", "no_chinese"),
        ("鑫龘", "unknown_text"),
    ],
)
def test_unusable_text_gives_clear_error(toy_model, text, code):
    with pytest.raises(ml.ClassifierInputError) as exc:
        toy_model.explain(text)
    assert exc.value.code == code
    assert isinstance(exc.value, ValueError)
    assert " / " in str(exc.value)  # Chinese first, then English


def test_batch_prediction_never_raises(toy_model):
    assert len(toy_model.predict_many(["", "hello", "道路坑洼"])) == 3


def test_rare_labels_are_refused():
    texts = ["道路坑洼"] * 6 + ["学校收费"] * 3
    with pytest.raises(ml.ClassifierInputError) as exc:
        ml.train(texts, ["a"] * 6 + ["b"] * 3, grid={}, n_jobs=1)
    assert exc.value.code == "rare_labels"
    assert "b（3）" in str(exc.value) and "fewer than 5" in str(exc.value)


def test_one_label_is_refused():
    with pytest.raises(ml.ClassifierInputError) as exc:
        ml.train(["道路坑洼"] * 6, ["a"] * 6, grid={}, n_jobs=1)
    assert exc.value.code == "too_few_labels"


def test_mismatched_lengths_are_refused():
    with pytest.raises(ml.ClassifierInputError):
        ml.train(["道路"], ["a", "b"])


def test_loading_a_non_model_file_is_refused(tmp_path):
    bad = tmp_path / "bad.joblib"
    bad.write_text("not a model")
    for path in (bad, tmp_path / "missing.joblib"):
        with pytest.raises(ml.ClassifierInputError) as exc:
            ml.load(path)
        assert exc.value.code == "bad_file"


def test_hints_teach_words_the_messages_lack():
    rows = toy_rows()
    args = ([r["title"] + "\n" + r["body"] for r in rows], [r["label1"] for r in rows])
    hints = [("篮球", "教育文体"), ("足球 篮球", "教育文体"), ("外星飞船", "天文")]
    hinted = ml.train(*args, hints=hints, grid={}, n_jobs=1)
    assert hinted.predict("篮球")[0] == "教育文体"
    assert hinted.metadata["n_hints"] == 2  # the label no message has is dropped
    assert hinted.metadata["n_train"] == 18  # hints are trained on, never scored
    plain = ml.train(*args, grid={}, n_jobs=1)
    assert plain.metadata["training_sha256"] != hinted.metadata["training_sha256"]
    with pytest.raises(ml.ClassifierInputError):
        plain.predict("篮球")  # without hints the model knows none of these characters
