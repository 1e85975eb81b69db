"""Reads for the dispatch app: the active model row and the training rows from closed cases."""

from collections.abc import Iterator

from .errors import ClassifierInputError
from .models import RETRAIN_SKIPPED, RETRAINED, SHEET_TRAIN_FAILED, SHEET_TRAINED, ClassifierModel


def active_model_record() -> ClassifierModel | None:
    return ClassifierModel.objects.filter(active=True).first()


def last_retraining() -> dict | None:
    """The latest retraining from cases, from the audit log: when, by whom, what came of it."""
    return _last_outcome(RETRAINED, RETRAIN_SKIPPED)


def last_sheet_training() -> dict | None:
    """The latest training on an uploaded sheet: when, by whom, the model or why it failed."""
    return _last_outcome(SHEET_TRAINED, SHEET_TRAIN_FAILED)


def _last_outcome(done: str, skipped: str) -> dict | None:
    from jiceng.core.models import AuditEvent

    event = (
        AuditEvent.objects.filter(verb__in=[done, skipped])
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    if event is None:
        return None
    return {
        "at": event.at,
        "by": event.actor,
        "skipped": event.verb == skipped,
        **(event.after or {}),
    }


def training_rows_from_cases() -> Iterator[tuple[str, str]]:
    """(text, category code) for every closed or rated case, under its final category.

    The final category is Case.category after any dispatcher correction; the cases app owns
    that field, so this only reads it.
    """
    Case, closed = _case_model()
    rows = (
        Case.objects.filter(status__in=closed, category__isnull=False)
        .order_by("pk")
        .values_list("description", "category__code")
    )
    for text, code in rows.iterator():
        if text and text.strip():
            yield text, code


def hint_rows_from_categories() -> list[tuple[str, str]]:
    """(parent name + name, code) for every leaf category: what each label of a case model covers.

    ml.train keeps only the hints whose code some closed case has.
    """
    from jiceng.cases.models import Category, CategoryKind

    leaves = Category.objects.exclude(kind=CategoryKind.GROUP).select_related("parent")
    return [
        (f"{c.parent.name} {c.name}" if c.parent else c.name, c.code)
        for c in leaves.order_by("code")
    ]


def category_codes_for_labels(labels: list[str]) -> dict[str, str]:
    """The code of the category each label names (a code or a name); unknown labels are absent."""
    return {label: c.code for label, c in _categories(labels).items()}


def category_names_for_codes(labels: list[str]) -> dict[str, str]:
    """The category name of each label that is a category code (what a person calls P01)."""
    return {label: c.name for label, c in _categories(labels).items() if c.code == label}


def _categories(labels: list[str]) -> dict:
    if not labels:
        return {}
    from jiceng.cases.routing import categories_for_labels

    return categories_for_labels(labels)


def _case_model():
    """The cases app's Case model and closed statuses, imported late so dispatch stands alone."""
    try:
        from jiceng.cases.models import Case, Status
    except ImportError as exc:
        raise ClassifierInputError(
            "no_cases",
            f"案件模块尚未提供 Case 模型，无法从案件训练（{exc}）。",
            f"The cases app has no Case model yet, so there is nothing to train from ({exc}).",
        ) from None
    return Case, [Status.CLOSED, Status.RATED]
