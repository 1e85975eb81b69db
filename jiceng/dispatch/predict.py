"""predict(text) with the active model, cached per process and reloaded when the active row changes."""

import threading

from . import ml
from .ml import Prediction, Suggestion
from .models import ClassifierModel

__all__ = ["Prediction", "Suggestion", "predict", "active_model"]

_lock = threading.Lock()
_cache: dict = {"key": None, "model": None}


def active_model() -> ml.TextClassifier | None:
    """The loaded active model, or None; one small query per call checks it is still current."""
    return _active()[1]


def _active() -> tuple[int | None, ml.TextClassifier | None]:
    row = (
        ClassifierModel.objects.filter(active=True)
        .values_list("pk", "path", "activated_at")
        .first()
    )
    if row is None:
        return None, None
    with _lock:
        if _cache["key"] != row:
            _cache["model"], _cache["key"] = ml.load(row[1]), row
        return row[0], _cache["model"]


def predict(text: str, k: int = 3) -> Prediction | None:
    """The category, its confidence, the top-k suggestions with their drivers; None if no model.

    Raises ml.ClassifierInputError (a ValueError) for empty, non-Chinese or unknown text.
    """
    model_id, model = _active()
    if model is None:
        return None
    result = model.explain(text, k=k)
    result.model_id = model_id
    return result
