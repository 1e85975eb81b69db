"""Trained classifier files registered on the platform; at most one is active at a time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Audit verbs of a retraining from cases and of a training on a sheet an admin uploaded (their
# outcomes are read back for the admin's model list).
RETRAINED, RETRAIN_SKIPPED = "dispatch.model.retrain", "dispatch.model.retrain_skipped"
SHEET_TRAINED, SHEET_TRAIN_FAILED = (
    "dispatch.model.train_sheet",
    "dispatch.model.train_sheet_failed",
)


class ClassifierModel(models.Model):
    """One model file under var/models/ with the metadata it was trained with."""

    path = models.CharField(_("模型文件"), max_length=500)
    metadata = models.JSONField(_("训练元数据"), default=dict, blank=True)
    cv_macro_f1 = models.FloatField(_("交叉验证 macro-F1"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    active = models.BooleanField(_("启用"), default=False)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("启用人"),
    )
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="dispatch_one_active_model"
            )
        ]

    def __str__(self) -> str:
        f1 = f"{self.cv_macro_f1:.3f}" if self.cv_macro_f1 is not None else "?"
        return f"#{self.pk} {self.path} (macro-F1 {f1})"


class Correction(models.Model):
    """A dispatcher's category decision on a case the classifier had a guess for.

    `agreed` is False when the dispatcher chose another category than the top suggestion: that is
    a correction, and the next `train --from-cases` learns from the case's final category.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="corrections", verbose_name=_("案件")
    )
    model = models.ForeignKey(
        ClassifierModel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        verbose_name=_("分类模型"),
    )
    predicted_label = models.CharField(_("预测类别"), max_length=100)
    predicted_category = models.CharField(_("预测类别代码"), max_length=20, blank=True)
    confidence = models.FloatField(_("置信度"))
    chosen = models.ForeignKey(
        "cases.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("改为类别")
    )
    agreed = models.BooleanField(_("与预测一致"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("派遣员"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("派单纠正记录")
        verbose_name_plural = _("派单纠正记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["agreed", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.predicted_label} → {self.chosen_id}"
