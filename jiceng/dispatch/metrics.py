"""Evaluate a fitted classifier on labelled texts: one JSON-ready dict."""

import time

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.metrics import precision_recall_fscore_support as prfs


def evaluate(model, texts: list[str], labels: list[str], *, keep_rows: bool = False) -> dict:
    """n, accuracy, macro_f1, per-label precision/recall/F1, confusion matrix, predictions/s.

    keep_rows: also `predictions`, the (label, confidence) of each text, in order.
    """
    texts, labels = list(texts), [str(y) for y in labels]
    started = time.perf_counter()
    ranked = model.rank_many(texts)
    seconds = time.perf_counter() - started
    pred = [label for label, _ in ranked]
    names = sorted(set(labels) | set(model.labels))
    p, r, f, s = prfs(labels, pred, labels=names, zero_division=0)
    report = {
        "n": len(texts),
        "accuracy": round(float(accuracy_score(labels, pred)), 4) if texts else 0.0,
        "macro_f1": _macro_f1(labels, pred),
        "per_label": {
            name: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, name in enumerate(names)
        },
        "confusion": {
            "labels": names,
            "matrix": confusion_matrix(labels, pred, labels=names).tolist() if texts else [],
        },
        "predictions_per_second": round(len(texts) / seconds, 1) if seconds > 0 else None,
    }
    if keep_rows:
        report["predictions"] = [[label, p] for label, p in ranked]
    return report


def _macro_f1(labels, pred) -> float:
    """Macro-F1 over the labels that occur in the evaluation set."""
    if not labels:
        return 0.0
    return round(float(f1_score(labels, pred, labels=sorted(set(labels)), average="macro")), 4)
