"""The message classifier on the 1,473 labelled messages, against a majority-class baseline.

python -m bench.classifier [--rows N] [--jobs 2]

Training uses --jobs cores; prediction runs pinned to one core with BLAS threads at 1.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: E402

from bench._common import arg, emit  # noqa: E402
from jiceng.dispatch import ml  # noqa: E402
from jiceng.dispatch.textio import read_csv_rows, read_hint_rows  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("JICENG_SHARED_DATA", REPO.parent / "shared" / "data"))


def load_rows(n: int):
    rows = read_csv_rows(
        data_dir() / "messages" / "messages_train.csv", ["title", "body"], "label1"
    )
    return rows.texts[:n], rows.labels[:n], rows.alt_texts[:n]


def majority_cv_f1(labels) -> float:
    skf = StratifiedKFold(5, shuffle=True, random_state=0)
    x = np.zeros((len(labels), 1))
    pred = cross_val_predict(DummyClassifier(strategy="most_frequent"), x, labels, cv=skf)
    return float(f1_score(labels, pred, average="macro"))


def single_latencies(predict_one, texts) -> np.ndarray:
    out = []
    for text in texts:
        t0 = time.perf_counter()
        predict_one(text)
        out.append(time.perf_counter() - t0)
    return np.array(out) * 1000


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main() -> None:
    texts, labels, bodies = load_rows(arg("rows", 100_000))
    t0 = time.perf_counter()
    hints = read_hint_rows(data_dir() / "messages" / "labels_tree.csv")
    model = ml.train(texts, labels, alt_texts=bodies, hints=hints, n_jobs=arg("jobs", 2))
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    dummy = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(labels), 1)), labels)
    dummy_s = time.perf_counter() - t0
    emit(
        "classifier.train_seconds",
        train_s,
        "s",
        dummy_s,
        rows=len(texts),
        loadavg=round(os.getloadavg()[0], 2),
    )
    pin_one_core()
    report = ml.evaluate(model, bodies, labels)
    t0 = time.perf_counter()
    dummy.predict(np.zeros((len(bodies), 1)))
    dummy_rate = len(bodies) / (time.perf_counter() - t0)
    emit("classifier.predict_per_second", report["predictions_per_second"], "msg/s", dummy_rate)
    ours = single_latencies(model.explain, bodies)
    base = single_latencies(lambda t: dummy.predict(np.zeros((1, 1))), bodies)
    emit(
        "classifier.p99_ms",
        float(np.percentile(ours, 99)),
        "ms",
        float(np.percentile(base, 99)),
        median_ms=round(float(np.median(ours)), 3),
    )
    with tempfile.TemporaryDirectory() as tmp:
        size = ml.save(model, Path(tmp) / "m.joblib").stat().st_size / 2**20
        joblib.dump(dummy, Path(tmp) / "d.joblib")
        dummy_size = (Path(tmp) / "d.joblib").stat().st_size / 2**20
    emit("classifier.model_mb", size, "MB", dummy_size)
    cv, base_f1 = model.metadata["cv"], majority_cv_f1(labels)
    emit(
        "classifier.cv_macro_f1",
        cv["full"]["macro_f1"],
        "macro-F1",
        base_f1,
        view="title+body",
        accuracy=cv["full"]["accuracy"],
    )
    emit(
        "classifier.cv_macro_f1_body",
        cv["alt"]["macro_f1"],
        "macro-F1",
        base_f1,
        view="body",
        accuracy=cv["alt"]["accuracy"],
    )


if __name__ == "__main__":
    main()
