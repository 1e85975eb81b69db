"""Evaluate a fitted classifier on labelled texts: one JSON-ready dict."""

import time

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.metrics import precision_recall_fscore_support as prfs

# Confidence thresholds the evaluation reports on: what a setting of
# JICENG_AUTO_DISPATCH_THRESHOLD would dispatch automatically, and how well.
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def evaluate(
    model, texts: list[str], labels: list[str], *, keep_rows: bool = False, thresholds=THRESHOLDS
) -> dict:
    """n, accuracy, macro_f1, per-label precision/recall/F1, confusion matrix, predictions/s,
    and `by_threshold` (see by_threshold).

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
        **scores(labels, pred),
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
        "by_threshold": by_threshold(labels, ranked, thresholds),
    }
    if keep_rows:
        report["predictions"] = [[label, p] for label, p in ranked]
    return report


def scores(labels: list[str], pred: list[str]) -> dict:
    """n, accuracy and macro-F1 (over the labels that occur in `labels`)."""
    if not labels:
        return {"n": 0, "accuracy": 0.0, "macro_f1": 0.0}
    f1 = f1_score(labels, pred, labels=sorted(set(labels)), average="macro")
    return {
        "n": len(labels),
        "accuracy": round(float(accuracy_score(labels, pred)), 4),
        "macro_f1": round(float(f1), 4),
    }


def by_threshold(labels: list[str], ranked: list[tuple[str, float]], thresholds=THRESHOLDS) -> list:
    """For each confidence threshold: how many texts the classifier would dispatch by itself (its
    confidence at or above it), their share, and how many of those it gets right. The rest wait
    in the dispatcher's queue."""
    out = []
    for t in thresholds:
        sure = [y == label for y, (label, p) in zip(labels, ranked, strict=True) if p >= t]
        out.append(
            {
                "threshold": t,
                "n_auto": len(sure),
                "auto_share": round(len(sure) / len(labels), 4) if labels else 0.0,
                "auto_accuracy": round(sum(sure) / len(sure), 4) if sure else None,
            }
        )
    return out
