"""Train, save, load and explain the message classifier (pure Python: no Django imports)."""

import datetime as dt
import hashlib
import json
import platform
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import joblib
import numpy as np
import scipy
import sklearn

from . import errors
from .cv import augment, expand_grid, grid_search
from .errors import ClassifierInputError
from .features import (
    DEFAULT_GRID,
    DEFAULT_PARAMS,
    MAX_CHARS,
    MIN_EXAMPLES,
    best_labels,
    build_classifier,
    build_vectorizer,
    clip,
    compose,
    has_chinese,
)
from .metrics import evaluate

__all__ = [
    "ClassifierInputError",
    "Prediction",
    "Suggestion",
    "TextClassifier",
    "compose",
    "evaluate",
    "load",
    "save",
    "train",
]
FORMAT_VERSION = 3  # 2: the model keeps its base rows (TextClassifier.base); 3: and `seen`


class Suggestion(NamedTuple):
    """One candidate label, its probability and the n-grams that pushed the model towards it."""

    label: str
    probability: float
    drivers: list[str]


@dataclass
class Prediction:
    category: str
    confidence: float
    suggestions: list[Suggestion] = field(default_factory=list)
    truncated: bool = False
    notice: str = ""
    model_id: int | None = None  # the registered model that answered (set by predict.predict)


class TextClassifier:
    """A fitted vectorizer and calibrated linear model, with the metadata of its training.

    base: the labelled data a retraining from cases starts from, {"rows": [(text, alt, label)],
    "hints": [(text, label)]}: what it was trained on, or for a model retrained from cases, the
    base it inherited (so cases are never counted twice). Empty in files from before it existed.
    seen: a digest (`text_digest`) of every other text the model was trained on (the cases of a
    retraining), so `trained_on` knows them without the file keeping what residents wrote.
    """

    def __init__(
        self,
        vectorizer,
        calibrated,
        metadata: dict,
        base: dict | None = None,
        seen: set[bytes] | None = None,
    ):
        self.vectorizer = vectorizer
        self.calibrated = calibrated
        self.metadata = metadata
        self.base = base or {"rows": [], "hints": []}
        self.seen = seen or set()
        self.labels = [str(c) for c in calibrated.classes_]
        self._coef = _class_coefficients(calibrated)
        self._names = None

    def __getstate__(self):
        return {**self.__dict__, "_names": None}

    def __setstate__(self, state):
        # files written before `base` (format 1) or `seen` (format 2)
        self.__dict__.update({"base": {"rows": [], "hints": []}, "seen": set(), **state})

    @property
    def max_chars(self) -> int:
        return int(self.metadata.get("max_chars", MAX_CHARS))

    def predict(self, text: str) -> tuple[str, float]:
        """(label, confidence) for one message; raises ClassifierInputError on unusable text."""
        result = self.explain(text, k=1, n_drivers=0)
        return result.category, result.confidence

    def explain(self, text: str, k: int = 3, n_drivers: int = 5) -> Prediction:
        """The best label, the top-k suggestions with their driving n-grams, and any notice."""
        clipped, truncated = self._clean(text)
        x = self.vectorizer.transform([clipped])
        if x.nnz == 0:
            raise errors.unknown_text()
        proba = self.calibrated.predict_proba(x)[0]
        order = np.argsort(-proba)[:k]
        suggestions = [
            Suggestion(self.labels[i], round(float(proba[i]), 4), self._drivers(x, i, n_drivers))
            for i in order
        ]
        notice = _truncation_notice(self.max_chars) if truncated else ""
        top = suggestions[0]
        return Prediction(top.label, top.probability, suggestions, truncated, notice)

    def predict_many(self, texts: list[str]) -> list[str]:
        """Labels for many messages at once; unusable texts get a label too (no validation)."""
        return [label for label, _ in self.rank_many(texts)]

    def rank_many(self, texts: list[str]) -> list[tuple[str, float]]:
        """(label, confidence) of the best label for many messages at once (no validation)."""
        if not texts:
            return []
        x = self.vectorizer.transform([clip(t, self.max_chars)[0] for t in texts])
        labels, probs = best_labels(self.calibrated, x)
        return [(str(y), round(float(p), 4)) for y, p in zip(labels, probs, strict=True)]

    def trained_on(self, *views: list[str]) -> list[bool]:
        """For each message, given as one or more views (e.g. title + body, body alone): whether
        the model was trained on it, whole or as its body view (the rows of `base`, and the cases
        of a retraining by their digests in `seen`)."""
        known = {t for row in self.base["rows"] for t in row[:2] if t}

        def seen(text: str) -> bool:
            clipped = clip(text, self.max_chars)[0]
            return clipped in known or text_digest(clipped) in self.seen

        return [any(seen(t) for t in texts) for texts in zip(*views, strict=True)]

    def _clean(self, text: str) -> tuple[str, bool]:
        clipped, truncated = clip(text, self.max_chars)
        if not clipped:
            raise errors.empty_text()
        if not has_chinese(clipped):
            raise errors.no_chinese()
        return clipped, truncated

    def _drivers(self, x, label_index: int, n: int) -> list[str]:
        if n <= 0:
            return []
        row = x.tocsr()
        weights = row.data * self._coef[label_index, row.indices]
        names = self._feature_names()
        out: list[str] = []
        for j in np.argsort(-weights):
            if weights[j] <= 0 or len(out) == n:
                break
            # punctuation and spaces explain nothing to a dispatcher: "子，" is shown as "子"
            name = _bare(str(names[row.indices[j]]))
            if name and name not in out:
                out.append(name)
        return out

    def _feature_names(self):
        if self._names is None:
            self._names = self.vectorizer.get_feature_names_out()
        return self._names


_EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation and spaces at either end


def _bare(ngram: str) -> str:
    """An n-gram without the punctuation or spaces at its ends ("" if nothing else is left)."""
    return _EDGES.sub("", ngram)


def _class_coefficients(calibrated) -> np.ndarray:
    """One row of linear weights per class (a binary SVM stores one row: class 1 vs class 0)."""
    coef = np.asarray(calibrated.calibrated_classifiers_[0].estimator.coef_, dtype=np.float32)
    return np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef


def _truncation_notice(max_chars: int) -> str:
    return (
        f"文本过长，仅按前 {max_chars} 个字符分类。"
        f" / The text was long; only its first {max_chars} characters were classified."
    )


def train(
    texts: list[str],
    labels: list[str],
    *,
    alt_texts: list[str] | None = None,
    hints: list[tuple[str, str]] | None = None,
    params: dict | None = None,
    grid: dict | None = None,
    folds: int = 5,
    seed: int = 0,
    n_jobs: int = 2,
    max_chars: int = MAX_CHARS,
    source: dict | None = None,
    base: dict | None = None,
) -> TextClassifier:
    """Pick the grid point with the best CV macro-F1, then fit it on every row (both views).

    alt_texts: an alternative view of each message (e.g. body without title); the model trains on
    both views and CV scores both, so it works with and without the title.
    hints: short (text, label) rows naming what a label covers (e.g. the organiser's label tree);
    they are on the training side of every fold and never scored. Hints for labels absent from
    the messages are dropped.
    base: the data a later retraining from cases starts from (see TextClassifier); by default
    the rows and hints trained on here.
    """
    started = time.perf_counter()
    texts, labels, alts = _prepare(texts, labels, alt_texts, max_chars)
    hints = _known_hints(hints or [], set(labels), max_chars)
    combos = expand_grid(
        {**DEFAULT_PARAMS, **(params or {})}, DEFAULT_GRID if grid is None else grid
    )
    table = grid_search(
        texts, labels, alts, combos, hints=hints, folds=folds, seed=seed, n_jobs=n_jobs
    )
    best = max(table, key=lambda row: row["score"])
    x_rows, y_rows = augment(texts, alts, labels, hints)
    vectorizer = build_vectorizer(best["params"])
    calibrated = build_classifier(best["params"]).fit(vectorizer.fit_transform(x_rows), y_rows)
    meta = _metadata(texts, labels, alts, hints, table, best, folds, seed, max_chars, source)
    meta["training_seconds"] = round(time.perf_counter() - started, 2)
    meta["n_features"] = len(vectorizer.vocabulary_)
    if base is None:
        rows = zip(texts, alts or [None] * len(texts), labels, strict=True)
        base = {"rows": list(rows), "hints": hints}
    in_base = {t for row in base["rows"] for t in row[:2] if t}
    seen = {text_digest(t) for t in [*texts, *(alts or [])] if t and t not in in_base}
    return TextClassifier(vectorizer, calibrated, meta, base, seen)


def text_digest(text: str) -> bytes:
    """A 16-byte BLAKE2b digest of a (clipped) training text: enough to recognise it, not to read it."""
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _prepare(texts, labels, alts, max_chars):
    texts, labels = list(texts), [str(y).strip() for y in labels]
    if len(texts) != len(labels) or (alts is not None and len(alts) != len(texts)):
        raise errors.length_mismatch(len(texts), len(labels))
    clipped = [clip(t, max_chars)[0] for t in texts]
    keep = [i for i, t in enumerate(clipped) if t and labels[i]]
    texts, labels = [clipped[i] for i in keep], [labels[i] for i in keep]
    if alts is not None:
        alts = [clip(alts[i], max_chars)[0] or texts[n] for n, i in enumerate(keep)]
    check_labels(labels)
    return texts, labels, alts


def _known_hints(hints, labels: set[str], max_chars: int) -> list[tuple[str, str]]:
    cleaned = [(clip(t, max_chars)[0], str(y).strip()) for t, y in hints]
    return [(t, y) for t, y in cleaned if t and y in labels]


def check_labels(labels: list[str]) -> None:
    """Refuse fewer than 2 labels, or any label with fewer than MIN_EXAMPLES rows (naming them)."""
    counts = Counter(labels)
    if len(counts) < 2:
        raise errors.too_few_labels(len(counts))
    rare = {label: n for label, n in counts.items() if n < MIN_EXAMPLES}
    if rare:
        raise errors.rare_labels(rare, MIN_EXAMPLES)


def data_sha256(
    texts: list[str], labels: list[str], alts: list[str] | None = None, hints=None
) -> str:
    """A fingerprint of the exact training rows (after normalisation), in order."""
    rows = [texts, labels, alts] + ([[list(h) for h in hints]] if hints else [])
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _metadata(texts, labels, alts, hints, table, best, folds, seed, max_chars, source) -> dict:
    return {
        "format": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "training_sha256": data_sha256(texts, labels, alts, hints),
        "source": source or {},
        "n_train": len(texts),
        "n_hints": len(hints),
        "views": ["full", "alt"] if alts is not None else ["full"],
        "labels": sorted(set(labels)),
        "label_counts": dict(sorted(Counter(labels).items())),
        "max_chars": max_chars,
        "params": best["params"],
        "cv": {
            "folds": folds,
            "seed": seed,
            "macro_f1": best["score"],
            **{v: best[v] for v in ("full", "alt") if v in best},
        },
        "grid": table,
        "versions": _versions(),
    }


def _versions() -> dict:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
    }


def save(model: TextClassifier, path: str | Path) -> Path:
    """Write the model (with its metadata) to path, creating parent directories."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path, compress=3)
    return path


def load(path: str | Path) -> TextClassifier:
    """Read a model written by save(); only load files from var/models (joblib runs pickle)."""
    try:
        model = joblib.load(Path(path))
    except FileNotFoundError:
        raise errors.bad_file(str(path), "文件不存在", "file not found") from None
    except Exception as exc:  # a corrupt or foreign file: say so instead of a traceback
        raise errors.bad_file(
            str(path), f"不是有效的模型文件（{exc}）", f"not a model file ({exc})"
        ) from None
    if not isinstance(model, TextClassifier):
        raise errors.bad_file(str(path), "不是分类器模型", "not a classifier model")
    return model
