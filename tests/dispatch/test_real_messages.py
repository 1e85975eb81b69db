"""The real 1,473 labelled messages: 5-fold CV through the training command's own code path.

Runs in about 20-40 s on 2 cores, so it is a normal test (skipped when the data is absent).
"""

import os
from pathlib import Path

import pytest

from jiceng.dispatch import ml
from jiceng.dispatch.textio import read_csv_rows, read_hint_rows

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("JICENG_SHARED_DATA", REPO.parent / "shared" / "data"))
CSV = DATA / "messages" / "messages_train.csv"
TREE = DATA / "messages" / "labels_tree.csv"


@pytest.mark.skipif(not CSV.exists(), reason="shared data not present")
def test_cross_validated_quality_on_real_messages():
    rows = read_csv_rows(CSV, ["title", "body"], "label1")
    hints = read_hint_rows(TREE)
    model = ml.train(rows.texts, rows.labels, alt_texts=rows.alt_texts, hints=hints, n_jobs=2)
    cv = model.metadata["cv"]
    # seed-0 figures are 0.893 / 0.858 (docs/dispatch.md); a drop of 0.01 fails here
    assert cv["full"]["macro_f1"] >= 0.883
    assert cv["alt"]["macro_f1"] >= 0.848
    # 250 of the 517 label-tree rows name the 7 labels; rows of other labels (政法 …) are dropped
    assert model.metadata["n_hints"] == 250
    assert model.explain("小区楼下烧烤店油烟噪音扰民，晚上无法休息").category in model.labels
