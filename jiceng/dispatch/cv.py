"""Stratified k-fold grid search that trains on both views of a message and scores each view."""

import itertools

import numpy as np
from joblib import Parallel, delayed
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from .features import best_labels, build_classifier, build_vectorizer, vectorizer_params
from .metrics import by_threshold


def expand_grid(params: dict, grid: dict) -> list[dict]:
    """Every combination of the grid's values laid over the base parameters."""
    keys = sorted(grid)
    return [
        {**params, **dict(zip(keys, vals, strict=True))}
        for vals in itertools.product(*(grid[k] for k in keys))
    ]


def augment(
    texts: list[str], alts: list[str] | None, labels: list[str], hints=()
) -> tuple[list, list]:
    """Training rows: each message as given, its alternative view when it differs, then hints."""
    extra = (
        [(a, y) for t, a, y in zip(texts, alts, labels, strict=True) if a and a != t]
        if alts
        else []
    )
    extra += list(hints)
    return list(texts) + [a for a, _ in extra], list(labels) + [y for _, y in extra]


def _fold(texts, alts, labels, hints, train_idx, test_idx, combos) -> list[dict]:
    """Predictions on one held-out fold for every parameter combination.

    hints (text, label) are always on the training side and never scored.
    """
    out, pick = [], lambda seq, idx: [seq[i] for i in idx]
    x_train, y_train = augment(
        pick(texts, train_idx), alts and pick(alts, train_idx), pick(labels, train_idx), hints
    )
    for _, group in itertools.groupby(combos, key=vectorizer_params):
        group = list(group)
        vec = build_vectorizer(group[0])
        xt = vec.fit_transform(x_train)
        views = {"full": vec.transform(pick(texts, test_idx))}
        if alts is not None:
            views["alt"] = vec.transform(pick(alts, test_idx))
        for params in group:
            clf = build_classifier(params).fit(xt, y_train)
            out.append({name: best_labels(clf, x) for name, x in views.items()})
    return out


def grid_search(texts, labels, alts, combos, *, hints=(), folds=5, seed=0, n_jobs=2) -> list[dict]:
    """Cross-validated accuracy and macro-F1 per combination, per view (full text, alternative)."""
    combos = sorted(combos, key=vectorizer_params)
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(skf.split(np.zeros(len(labels)), labels))
    per_fold = Parallel(n_jobs=n_jobs)(
        delayed(_fold)(texts, alts, labels, hints, tr, te, combos) for tr, te in splits
    )
    y = np.asarray(labels, dtype=object)
    return [_score(params, y, splits, [f[i] for f in per_fold]) for i, params in enumerate(combos)]


def _score(params, y, splits, fold_preds) -> dict:
    row: dict = {"params": params}
    labels = sorted(set(y))
    for view in fold_preds[0]:
        pred, conf = np.empty(len(y), dtype=object), np.zeros(len(y))
        for (_, te), fp in zip(splits, fold_preds, strict=True):
            pred[te], conf[te] = fp[view]
        per_label = f1_score(y, pred, labels=labels, average=None)
        row[view] = {
            "accuracy": round(float(accuracy_score(y, pred)), 4),
            "macro_f1": round(float(np.mean(per_label)), 4),
            "f1_by_label": {k: round(float(v), 4) for k, v in zip(labels, per_label, strict=True)},
            "by_threshold": by_threshold(list(y), list(zip(pred, conf.tolist(), strict=True))),
        }
    row["score"] = round(float(np.mean([row[v]["macro_f1"] for v in fold_preds[0]])), 4)
    return row


def compare_on_shared_labels(new_cv: dict, old_cv: dict, same: dict[str, str]) -> dict | None:
    """Both models' CV macro-F1 over the labels they share, averaged over their common views.

    same maps an old model's label to the new model's name for it (e.g. 城乡建设 → P01). None when
    they share no label or view, or a model's CV has no per-label scores (files before them).
    """
    views = [v for v in ("full", "alt") if v in new_cv and v in old_cv]
    by_label = {
        v: (new_cv[v].get("f1_by_label") or {}, old_cv[v].get("f1_by_label") or {}) for v in views
    }
    shared = sorted(
        (old, new)
        for old, new in same.items()
        if views and all(new in by_label[v][0] and old in by_label[v][1] for v in views)
    )
    if not shared:
        return None

    def mean(side: int, k: int) -> float:
        return float(np.mean([np.mean([by_label[v][side][p[k]] for p in shared]) for v in views]))

    return {"new": round(mean(0, 1), 4), "old": round(mean(1, 0), 4), "labels": shared}
