"""Demo data of the dispatch app: a classifier trained on the real citizen messages, active.

The seven labels of ../shared/data/messages are the names of the 市民诉求 categories (P01–P07),
so a confident guess dispatches a demo report to the county department that answers it.
"""

import hashlib
from pathlib import Path

from django.conf import settings

from . import ml
from .actions import (
    classifier_model_activate,
    classifier_model_register,
    classifier_train_from_csv,
    models_dir,
)
from .models import ClassifierModel


def demo_model_name(*sources: Path) -> str:
    """One file per version of the training data and model format: a change trains a new file."""
    digest = hashlib.sha256(f"format {ml.FORMAT_VERSION}".encode())
    for source in sources:
        digest.update(source.read_bytes() if source.exists() else b"")
    return f"demo-messages-{digest.hexdigest()[:12]}.joblib"


def load(ctx) -> None:
    """Train (once, about 30 s) and activate the demo model; only `load_demo` asks for it."""
    if not ctx.with_classifier:
        return
    if ClassifierModel.objects.filter(active=True).exists():
        ctx.say("智能派单：沿用已启用的分类模型")
        return
    data = settings.SHARED_DATA / "messages"
    csv_path, tree = data / "messages_train.csv", data / "labels_tree.csv"
    if not csv_path.exists():
        ctx.say(f"智能派单：未找到训练数据 {csv_path}，未启用分类模型")
        return
    path = models_dir() / demo_model_name(csv_path, tree)
    if not path.exists():
        classifier_train_from_csv(
            csv_path=csv_path,
            text_columns=["title", "body"],
            label_column="label1",
            hints_path=tree if tree.exists() else None,
            out=path,
        )
    record = ClassifierModel.objects.filter(path=str(path)).first()
    record = record or classifier_model_register(path=path)
    classifier_model_activate(record=record)
    cv = record.metadata.get("cv", {})
    f1 = [cv.get(view, {}).get("macro_f1") for view in ("full", "alt")]
    ctx.say(
        f"智能派单：启用分类模型 #{record.pk}（市民留言 7 类；5 折交叉验证 macro-F1："
        f"标题+正文 {f1[0]}，仅正文 {f1[1]}）"
    )
