"""The demo classifier of `load_demo`: trained once per version of the data, then reused."""

import csv

import pytest

from jiceng.dispatch.demo import load
from jiceng.dispatch.models import ClassifierModel
from jiceng.org.demo import DemoContext

from .conftest import toy_rows


def write_messages(path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["title", "body", "label1"])
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def shared(settings, tmp_path):
    messages = tmp_path / "data" / "messages"
    messages.mkdir(parents=True)
    write_messages(messages / "messages_train.csv", toy_rows())
    (messages / "labels_tree.csv").write_text(
        "level1,level2,level3\n教育文体,文体,篮球\n教育文体,文体,足球 篮球\n", encoding="utf-8"
    )
    settings.SHARED_DATA = tmp_path / "data"
    settings.JICENG_CLASSIFIER_DIR = tmp_path / "models"
    return messages


@pytest.mark.django_db
def test_trained_once_then_reused_and_retrained_when_the_data_changes(shared, tmp_path):
    ctx = DemoContext(with_classifier=True)
    load(ctx)
    first = ClassifierModel.objects.get(active=True)
    assert first.metadata["n_hints"] == 2 and "启用分类模型" in ctx.log[-1]
    load(ctx)
    assert "沿用" in ctx.log[-1] and ClassifierModel.objects.count() == 1

    ClassifierModel.objects.update(active=False)
    load(ctx)  # same data: the file is reused, not retrained
    assert ClassifierModel.objects.count() == 1 and len(list((tmp_path / "models").iterdir())) == 1

    ClassifierModel.objects.update(active=False)
    write_messages(shared / "messages_train.csv", toy_rows() + toy_rows()[:3])
    load(ctx)
    second = ClassifierModel.objects.get(active=True)
    assert second.pk != first.pk and second.path != first.path
    assert second.metadata["n_train"] == 21


@pytest.mark.django_db
def test_without_the_data_no_model_and_a_message(settings, tmp_path):
    settings.SHARED_DATA = tmp_path
    ctx = DemoContext(with_classifier=True)
    load(ctx)
    assert "未找到训练数据" in ctx.log[-1] and not ClassifierModel.objects.exists()


@pytest.mark.django_db
def test_tests_and_plain_demo_loads_do_not_train(shared):
    load(DemoContext())
    assert not ClassifierModel.objects.exists()


def test_a_new_model_format_trains_a_new_demo_file(shared, monkeypatch):
    from jiceng.dispatch import ml
    from jiceng.dispatch.demo import demo_model_name

    sources = (shared / "messages_train.csv", shared / "labels_tree.csv")
    now = demo_model_name(*sources)
    assert demo_model_name(*sources) == now  # same data, same format: same file
    monkeypatch.setattr(ml, "FORMAT_VERSION", ml.FORMAT_VERSION + 1)
    assert demo_model_name(*sources) != now
