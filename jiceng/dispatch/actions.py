"""Writes for the dispatch app: register a model file, activate it (or roll back), retrain."""

import hashlib
import itertools
import logging
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from jiceng.core.audit import audit

from . import errors, ml
from .cv import compare_on_shared_labels
from .features import MIN_EXAMPLES
from .models import (
    RETRAIN_SKIPPED,
    RETRAINED,
    SHEET_TRAIN_FAILED,
    SHEET_TRAINED,
    ClassifierModel,
    Correction,
)
from .selectors import (
    active_model_record,
    category_codes_for_labels,
    hint_rows_from_categories,
    training_rows_from_cases,
)
from .textio import read_csv_rows, read_hint_rows

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


def classifier_train_from_cases(*, out: Path | None = None, n_jobs: int = 2, grid=None):
    """Train on closed cases (their final category) and save the file; returns (path, model).

    The new model also learns what the active model was first trained on (its `base`: e.g. the
    citizen messages, their labels turned into category codes), so a few weeks of cases add to
    that knowledge instead of replacing it. The category names are hints (see `ml.train`), as the
    label tree is for the CSV. A category with fewer than MIN_EXAMPLES rows is left out (and
    named in the metadata) rather than stopping the retraining.
    """
    cases = list(training_rows_from_cases())
    if not cases:
        raise errors.no_closed_cases()
    base = inherited_base()
    rows = [(t, a or t, y) for t, a, y in base["rows"]] + [(t, t, y) for t, y in cases]
    counts = Counter(y for _, _, y in rows)
    left_out = {y: n for y, n in sorted(counts.items()) if n < MIN_EXAMPLES}
    rows = [r for r in rows if r[2] not in left_out]
    model = ml.train(
        [t for t, _, _ in rows],
        [y for _, _, y in rows],
        alt_texts=[a for _, a, _ in rows] if base["rows"] else None,
        hints=base["hints"] + hint_rows_from_categories(),
        grid=grid,
        n_jobs=n_jobs,
        source={
            "kind": "cases",
            "n_cases": len(cases),
            "n_base": len(base["rows"]),
            "base_source": base.get("source", {}),
            "left_out": left_out,
        },
        base=base,
    )
    return _save(model, out, "cases"), model


def inherited_base() -> dict:
    """The active model's base data with its labels as category codes (rows of unknown labels go).

    Empty when no model is active or its file keeps no data.
    """
    from .predict import active_model

    try:
        model = active_model()
    except ml.ClassifierInputError as exc:  # the active file is gone: learn from cases alone
        log.warning("active model unreadable, retraining from cases alone: %s", exc)
        model = None
    base = model.base if model is not None else {}
    rows, hints = base.get("rows", []), base.get("hints", [])
    codes = category_codes_for_labels(sorted({r[-1] for r in rows} | {h[-1] for h in hints}))
    return {
        "rows": [(t, a, codes[y]) for t, a, y in rows if y in codes],
        "hints": [(t, codes[y]) for t, y in hints if y in codes],
        "source": (model.metadata.get("source", {}) if model is not None else {}),
    }


def classifier_train_from_csv(
    *,
    csv_path,
    text_columns: list[str] | None,
    label_column: str | None,
    hints_path=None,
    out=None,
    n_jobs: int = 2,
    grid=None,
):
    """Train on a CSV (text columns joined, the last also alone) and save; returns (path, model).

    text_columns / label_column None: told from the header (`textio.guess_columns`).
    hints_path: a label tree CSV (label, then words naming what it covers), see `ml.train`.
    """
    rows = read_csv_rows(csv_path, text_columns, label_column)
    hints = read_hint_rows(hints_path) if hints_path else None
    source = {
        "kind": "csv",
        **_file_source(csv_path),
        "text_columns": rows.text_columns,
        "label_column": rows.label_column,
        "skipped_rows": rows.skipped,
    }
    if hints_path:
        source["hints"] = _file_source(hints_path)
    model = ml.train(
        rows.texts,
        rows.labels,
        alt_texts=rows.alt_texts,
        hints=hints,
        grid=grid,
        n_jobs=n_jobs,
        source=source,
    )
    return _save(model, out, "model"), model


def sheet_keep(*, name: str, data: bytes) -> Path:
    """Keep a sheet an admin uploaded to train on, beside the models (`sheets/<time>-<name>`).

    The background job trains from this file, and the model's metadata names it with its hash.
    """
    folder = models_dir() / "sheets"
    folder.mkdir(parents=True, exist_ok=True)
    for n in itertools.count():
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f") + (f"-{n}" if n else "")
        path = folder / f"{stamp}-{_safe_name(name)}"
        try:
            with path.open("xb") as fh:  # never overwrite a sheet a model was trained on
                fh.write(data)
        except FileExistsError:
            continue
        return path
    raise AssertionError("unreachable")


def _safe_name(name: str) -> str:
    """The uploaded file's name as a file name here (its extension says how to read it)."""
    try:
        return get_valid_filename(Path(name).name)
    except SuspiciousFileOperation:  # e.g. "..": nothing usable is left
        return "sheet.csv"


def classifier_train_sheet(
    *, path, name: str, text_columns: list[str], label_column: str, hints_path=None, by=None
) -> dict | None:
    """Train on a sheet an admin uploaded (kept at `path`, first called `name`) and register the
    model, not active: the admin evaluates it and chooses. The outcome is audited either way and
    shown on the admin's model list; a failure is recorded with its reason, never lost."""
    try:
        out, model = classifier_train_from_csv(
            csv_path=path,
            text_columns=text_columns,
            label_column=label_column,
            hints_path=hints_path,
        )
    except ml.ClassifierInputError as exc:
        _sheet_train_failed(name, exc.code, exc.zh, exc.en, by)
        return None
    except Exception as exc:  # a background job: the admin must still learn it failed
        log.exception("training on %s failed", path)
        _sheet_train_failed(name, "error", f"训练出错：{exc}", f"Training failed: {exc}", by)
        return None
    record = classifier_model_register(path=out, model=model, by=by)
    cv = model.metadata["cv"]
    result = {
        "model": record.pk,
        "file": name,
        "n_train": model.metadata["n_train"],
        "labels": model.labels,
        "cv_macro_f1": cv["macro_f1"],
        **{f"cv_{view}": cv[view]["macro_f1"] for view in ("full", "alt") if view in cv},
    }
    with transaction.atomic():
        audit(actor=by, verb=SHEET_TRAINED, obj=record, after=result)
    return result


def _sheet_train_failed(name: str, code: str, zh: str, en: str, by) -> None:
    log.warning("training on the sheet %s failed: %s", name, zh)
    with transaction.atomic():
        audit(
            actor=by,
            verb=SHEET_TRAIN_FAILED,
            object_type="dispatch.classifiermodel",
            after={"file": name, "code": code, "zh": zh, "en": en},
        )


def _file_source(path) -> dict:
    path = Path(path)
    return {"file": path.name, "file_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _save(model: ml.TextClassifier, out, prefix: str) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return ml.save(model, out or models_dir() / f"{prefix}-{stamp}.joblib")


def retrain_from_cases(by=None) -> dict:
    """Weekly job: retrain from cases; activate only if CV macro-F1 is not worse than the active.

    The two are compared on the categories the active model knows (its labels turned into
    codes): a category the new model adds, with its first few cases, cannot hold it back. Models
    without per-label scores are compared on their whole macro-F1.
    """
    path, model = classifier_train_from_cases()
    record = classifier_model_register(path=path, model=model, by=by)
    current = active_model_record()
    result = {
        "model": record.pk,
        "path": str(path),
        "cv_macro_f1": record.cv_macro_f1 or 0.0,
        "active_cv_macro_f1": current.cv_macro_f1 if current else None,
        "left_out": sorted(model.metadata["source"].get("left_out", {})),
    }
    shared = None
    if current is not None:
        old_labels, new_labels = current.metadata.get("labels", []), set(model.labels)
        codes = category_codes_for_labels(old_labels)
        same = {k: codes[k] if codes.get(k) in new_labels else k for k in old_labels}
        shared = compare_on_shared_labels(
            record.metadata.get("cv", {}), current.metadata.get("cv", {}), same
        )
    if shared:
        new_f1, old_f1 = shared["new"], shared["old"]
        result["compared_on"] = sorted(new for _, new in shared["labels"])
    else:
        new_f1, old_f1 = result["cv_macro_f1"], result["active_cv_macro_f1"]
    result.update(compared_f1=new_f1, active_compared_f1=old_f1)
    result["activated"] = old_f1 is None or new_f1 >= old_f1
    if result["activated"]:
        classifier_model_activate(record=record, by=by)
    with transaction.atomic():
        audit(actor=by, verb=RETRAINED, obj=record, after=result)
    log.info("retrained classifier %s: macro-F1 %.4f vs %s", path, new_f1, old_f1)
    return result


def retrain_skipped(*, error: ml.ClassifierInputError, by=None) -> None:
    """Record that a retraining found nothing to learn from (shown on the admin's model list)."""
    log.warning("retraining skipped: %s", error)
    with transaction.atomic():
        audit(
            actor=by,
            verb=RETRAIN_SKIPPED,
            object_type="dispatch.classifiermodel",
            after={"code": error.code, "zh": error.zh, "en": error.en},
        )


def correction_record(*, case, chosen, by=None) -> Correction | None:
    """Record the dispatcher's category for a case the classifier had a guess for (else None).

    Called inside the dispatcher's category transaction, so the record and the change land
    together; the audit log gets both.
    """
    pred = case.prediction or {}
    if not pred.get("label"):
        return None
    top = (pred.get("suggestions") or [{}])[0]
    predicted_code = top.get("category", "")
    model_id = pred.get("model")
    correction = Correction.objects.create(
        case=case,
        model=ClassifierModel.objects.filter(pk=model_id).first() if model_id else None,
        predicted_label=str(pred["label"])[:100],
        predicted_category=predicted_code[:20],
        confidence=float(pred.get("confidence") or 0.0),
        chosen=chosen,
        agreed=chosen.code == predicted_code or chosen.name == pred["label"],
        by=by,
    )
    audit(
        actor=by,
        verb="dispatch.correction",
        obj=correction,
        before={"label": correction.predicted_label, "confidence": correction.confidence},
        after={"category": chosen.code, "agreed": correction.agreed},
    )
    return correction
