"""The real 1,473 labelled messages: 5-fold CV through the training command's own code path.

Runs in about 20-40 s on 2 cores, so it is a normal test (skipped when the data is absent).
"""

import os
from pathlib import Path

import pytest

from jiceng.dispatch import ml
from jiceng.dispatch.textio import read_csv_rows

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("JICENG_SHARED_DATA", REPO.parent / "shared" / "data"))
CSV = DATA / "messages" / "messages_train.csv"


@pytest.mark.skipif(not CSV.exists(), reason="shared data not present")
def test_cross_validated_quality_on_real_messages():
    rows = read_csv_rows(CSV, ["title", "body"], "label1")
    model = ml.train(rows.texts, rows.labels, alt_texts=rows.alt_texts, n_jobs=2)
    cv = model.metadata["cv"]
    assert cv["macro_f1"] >= 0.85  # mean of title+body and body-only
    assert cv["full"]["macro_f1"] >= 0.85
    assert cv["alt"]["macro_f1"] >= 0.83
    assert model.metadata["training_seconds"] < 60
    assert model.explain("小区楼下烧烤店油烟噪音扰民，晚上无法休息").category in model.labels
