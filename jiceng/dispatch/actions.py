"""Writes for the dispatch app: register a model file, activate it (or roll back), retrain."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit

from . import ml
from .models import ClassifierModel
from .selectors import active_model_record, training_rows_from_cases

log = logging.getLogger(__name__)


def models_dir() -> Path:
    return Path(getattr(settings, "JICENG_CLASSIFIER_DIR", settings.VAR_DIR / "models"))


def classifier_model_register(*, path, model: ml.TextClassifier | None = None, by=None):
    """A row for a model file (loaded to read its metadata when not given)."""
    model = model or ml.load(path)
    with transaction.atomic():
        record = ClassifierModel.objects.create(
            path=str(path),
            metadata=model.metadata,
            cv_macro_f1=model.metadata.get("cv", {}).get("macro_f1"),
            created_by=by,
        )
        audit(actor=by, verb="dispatch.model.register", obj=record, after={"path": str(path)})
    return record


def classifier_model_activate(*, record: ClassifierModel, by=None) -> ClassifierModel:
    """Make this the only active model; activating an older row is how one rolls back."""
    ml.load(record.path)  # refuse a missing or broken file before switching
    with transaction.atomic():
        previous = ClassifierModel.objects.select_for_update().filter(active=True).first()
        ClassifierModel.objects.filter(active=True).exclude(pk=record.pk).update(active=False)
        record.active, record.activated_by, record.activated_at = True, by, timezone.now()
        record.save(update_fields=["active", "activated_by", "activated_at"])
        audit(
            actor=by,
            verb="dispatch.model.activate",
            obj=record,
            before={"active": previous.pk if previous else None},
            after={"active": record.pk},
        )
    return record


def classifier_train_from_cases(*, out: Path | None = None, n_jobs: int = 2):
    """Train on closed cases and save the file; returns (path, model)."""
    rows = list(training_rows_from_cases())
    model = ml.train(
        [t for t, _ in rows], [c for _, c in rows], n_jobs=n_jobs, source={"kind": "cases"}
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    path = ml.save(model, out or models_dir() / f"cases-{stamp}.joblib")
    return path, model


def retrain_from_cases(by=None) -> dict:
    """Weekly job: retrain from cases; activate only if CV macro-F1 is not worse than the active."""
    path, model = classifier_train_from_cases()
    record = classifier_model_register(path=path, model=model, by=by)
    current = active_model_record()
    new_f1 = record.cv_macro_f1 or 0.0
    old_f1 = current.cv_macro_f1 if current and current.cv_macro_f1 is not None else None
    activate = old_f1 is None or new_f1 >= old_f1
    if activate:
        classifier_model_activate(record=record, by=by)
    log.info("retrained classifier %s: macro-F1 %.4f vs %s", path, new_f1, old_f1)
    return {
        "model": record.pk,
        "path": str(path),
        "cv_macro_f1": new_f1,
        "active_cv_macro_f1": old_f1,
        "activated": activate,
    }
