"""Admin: a platform admin picks the active classifier model or rolls back to an earlier one,
evaluates any model on a labelled spreadsheet first, and reads every dispatcher correction of
the classifier's guesses."""

from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jiceng.core.admin import ReadOnlyAdmin
from jiceng.core.tables import workbook_bytes
from jiceng.core.views import xlsx_response

from . import ml
from .actions import classifier_model_activate, sheet_keep
from .errors import ClassifierInputError
from .evaluation import evaluate_rows, mistakes, report_sheets, shown, template_sheets
from .forms import EvaluateForm, TrainForm
from .models import ClassifierModel, Correction
from .selectors import (
    active_model_record,
    category_names_for_codes,
    last_retraining,
    last_sheet_training,
)
from .textio import read_uploaded_hints, read_uploaded_rows


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "file_name",
        "evaluate_link",
        "cv_macro_f1",
        "n_train",
        "created_at",
        "active",
        "agreement",
        "activated_by",
        "activated_at",
    )
    list_filter = ("active",)
    readonly_fields = ["summary", *(f.name for f in ClassifierModel._meta.fields)]
    actions = ["activate"]
    change_list_template = "admin/dispatch/classifiermodel/change_list.html"

    @admin.display(description=_("概要"))
    def summary(self, obj):
        """What the model was trained on and how well it did in CV, readable (the metadata
        below is the same as JSON)."""
        context = summary_context(obj.metadata or {})
        if obj.pk:
            context["evaluate_url"] = reverse(
                "admin:dispatch_classifiermodel_evaluate", args=[obj.pk]
            )
        return render_to_string("admin/dispatch/classifiermodel/_summary.html", context)

    @admin.display(description=_("模型文件"), ordering="path")
    def file_name(self, obj):
        return Path(obj.path).name  # the folder is the same for all: the settings say where

    @admin.display(description=_("训练样本数"))
    def n_train(self, obj):
        return obj.metadata.get("n_train")

    def get_queryset(self, request):
        agreed = Count("corrections", filter=Q(corrections__agreed=True))
        return (
            super().get_queryset(request).annotate(n_decided=Count("corrections"), n_agreed=agreed)
        )

    @admin.display(description=_("派遣员采纳 / 决定"))
    def agreement(self, obj):
        return f"{obj.n_agreed} / {obj.n_decided}" if obj.n_decided else "—"

    @admin.display(description=_("评估"))
    def evaluate_link(self, obj):
        url = reverse("admin:dispatch_classifiermodel_evaluate", args=[obj.pk])
        return format_html(
            '<a href="{}" style="white-space:nowrap">{}</a>', url, _("用标注表格评估")
        )

    def has_add_permission(self, request):
        return False  # models come from `jiceng classifier train`, not from a form

    def has_delete_permission(self, request, obj=None):
        return False  # keep every model so one can always roll back

    @admin.action(
        description=_("启用所选模型（回滚也用此操作）/ Activate (also rolls back)"),
        permissions=["change"],
    )
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("请只选择一个模型。/ Select exactly one model."), messages.ERROR
            )
            return
        record = queryset.get()
        try:
            classifier_model_activate(record=record, by=request.user)
        except ClassifierInputError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("已启用模型 / Activated: %s") % record, messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {
                **(extra_context or {}),
                "last_retraining": last_retraining(),
                "last_sheet_training": last_sheet_training(),
            },
        )

    def get_urls(self):
        retrain = self.admin_site.admin_view(self.retrain_view)
        evaluate = self.admin_site.admin_view(self.evaluate_view)
        train = self.admin_site.admin_view(self.train_view)
        template = self.admin_site.admin_view(self.template_view)
        return [
            path("retrain/", retrain, name="dispatch_classifiermodel_retrain"),
            path("train/", train, name="dispatch_classifiermodel_train"),
            path("template/", template, name="dispatch_classifiermodel_template"),
            path("<int:pk>/evaluate/", evaluate, name="dispatch_classifiermodel_evaluate"),
            *super().get_urls(),
        ]

    def train_view(self, request):
        """Train a new model on a labelled sheet in the background; it is registered, not
        activated. The sheet is checked here first, so a wrong column or a rare label is said at
        once and nothing is queued."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = TrainForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload, hints = form.cleaned_data["file"], form.cleaned_data["hints"]
            text, label = form.cleaned_data["text"], form.cleaned_data["label"]
            data, hints_data = upload.read(), hints.read() if hints else None
            try:
                rows = read_uploaded_rows(upload.name, data, text, label)
                ml.check_labels(rows.labels)
                if hints:
                    read_uploaded_hints(hints.name, hints_data)
            except ClassifierInputError as exc:
                form.add_error(None, _in_language(exc))
            else:
                self._queue_training(request, upload.name, data, hints, hints_data, rows)
                n_labels = len(set(rows.labels))
                self.message_user(
                    request,
                    _(
                        "已在后台开始训练：%(n)s 条留言，%(k)s 个类别（文本列 %(text)s，类别列 "
                        "%(label)s）。完成后新模型出现在本列表中，不会自动启用：请先用标注表格评估，"
                        "再决定是否启用。"
                    )
                    % {
                        "n": len(rows.texts),
                        "k": n_labels,
                        "text": "、".join(rows.text_columns),
                        "label": rows.label_column,
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:dispatch_classifiermodel_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("用表格训练新模型"),
            "form": form,
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/dispatch/classifiermodel/train.html", context, status=status
        )

    @staticmethod
    def _queue_training(request, name, data, hints, hints_data, rows) -> None:
        from .tasks import train_sheet

        path = sheet_keep(name=name, data=data)
        hints_path = sheet_keep(name=hints.name, data=hints_data) if hints else None
        train_sheet(
            str(path),
            name,
            rows.text_columns,
            rows.label_column,
            str(hints_path) if hints_path else None,
            request.user.pk,
        )

    def template_view(self, request):
        """An empty labelled sheet to fill in, with the labels of a model (?model=<pk>, by
        default the active one) and how to fill it in."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        pk = request.GET.get("model")
        record = (
            get_object_or_404(ClassifierModel, pk=pk)
            if pk and pk.isdigit()
            else active_model_record()
        )
        labels = (record.metadata or {}).get("labels", []) if record else []
        suffix = f"-模型{record.pk}" if record else ""
        return xlsx_response(workbook_bytes(template_sheets(labels)), f"标注表格模板{suffix}.xlsx")

    def evaluate_view(self, request, pk: int):
        """Score a model on a labelled spreadsheet before choosing it: figures on the page, or
        the same with every row's prediction as an Excel file ("export"). Changes nothing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        record = get_object_or_404(ClassifierModel, pk=pk)
        form = EvaluateForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("评估分类模型 #%(pk)s") % {"pk": record.pk},
            "record": record,
            "form": form,
        }
        status = 400 if request.method == "POST" else 200
        if request.method == "POST" and form.is_valid():
            upload, text = form.cleaned_data["file"], form.cleaned_data["text"]
            try:
                model = ml.load(record.path)
                rows = read_uploaded_rows(
                    upload.name, upload.read(), text, form.cleaned_data["label"]
                )
                report = evaluate_rows(model, rows)
            except ClassifierInputError as exc:
                form.add_error(None, _in_language(exc))
            else:
                if "export" in request.POST:
                    about = {"模型": str(record), "文件": upload.name}
                    data = workbook_bytes(report_sheets(report, rows, about))
                    return xlsx_response(
                        data, f"评估-模型{record.pk}-{Path(upload.name).stem}.xlsx"
                    )
                status = 200
                names = [shown(report, y) for y in report["confusion"]["labels"]]
                context.update(
                    report=report,
                    names=names,
                    per_label=[(shown(report, y), m) for y, m in report["per_label"].items()],
                    confusion=list(zip(names, report["confusion"]["matrix"], strict=True)),
                    mistakes=mistakes(report, rows),
                    file=upload.name,
                )
        return TemplateResponse(
            request, "admin/dispatch/classifiermodel/evaluate.html", context, status=status
        )

    def retrain_view(self, request):
        """POST: queue the retraining from closed cases now (the weekly job, same rule)."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        from .tasks import retrain_now

        retrain_now(request.user.pk)
        self.message_user(
            request,
            _(
                "已在后台开始从已办结案件重新训练：交叉验证 macro-F1 不低于当前模型时自动启用，"
                "结果见本列表上方的“上次重新训练”；不足 5 件的类别暂不参与。"
                " / Retraining from closed cases in the background: the new model is activated"
                " only if its cross-validated macro-F1 is not worse; see “Last retraining” above"
                " this list. Categories with fewer than 5 cases wait for more."
            ),
            messages.SUCCESS,
        )
        return redirect("admin:dispatch_classifiermodel_changelist")


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Read-only: what the classifier guessed and what the dispatcher chose instead."""

    list_display = (
        "at",
        "case",
        "predicted_label",
        "confidence",
        "chosen",
        "agreed",
        "by",
        "model",
    )
    list_filter = ("agreed", "model")
    list_select_related = ("case", "chosen", "by", "model")
    actions = ["export_xlsx"]
    search_fields = ("case__code", "predicted_label", "chosen__name")
    readonly_fields = [f.name for f in Correction._meta.fields]

    @admin.action(description=_("导出所选为 Excel / Export to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        """The chosen records with each case's text: what to read when reviewing the model."""
        rows = [
            [
                timezone.localtime(c.at).strftime("%Y-%m-%d %H:%M"),
                c.case.code,
                c.case.description,
                c.predicted_label,
                c.confidence,
                c.chosen.code,
                c.chosen.name,
                "是" if c.agreed else "否",
                c.by.username if c.by else "",
                c.model_id or "",
            ]
            for c in queryset.select_related("case", "chosen", "by").order_by("-at", "-pk")
        ]
        header = [
            "时间",
            "案件编号",
            "诉求内容",
            "预测类别",
            "置信度",
            "选择类别代码",
            "选择类别",
            "与预测一致",
            "派遣员",
            "模型",
        ]
        data = workbook_bytes([("派单纠正记录", [header, *rows])])
        return xlsx_response(data, f"派单纠正记录-{timezone.localdate().isoformat()}.xlsx")


def _in_language(exc: ClassifierInputError) -> str:
    return exc.en if get_language() == "en" else exc.zh


VIEW_NAMES = {"full": _("标题+正文"), "alt": _("仅正文")}


def summary_context(meta: dict) -> dict:
    """The model's metadata laid out for _summary.html: per label its count and CV F1 per view,
    per threshold the share dispatched and its accuracy per view."""
    cv = meta.get("cv", {})
    views = [v for v in ("full", "alt") if v in cv]
    counts = meta.get("label_counts", {})
    source = meta.get("source", {})
    names = category_names_for_codes(meta.get("labels", []))
    thresholds = {}
    for i, v in enumerate(views):
        for row in cv[v].get("by_threshold", []):
            thresholds.setdefault(row["threshold"], [None] * len(views))[i] = row
    return {
        "meta": meta,
        "source": source,
        "left_out": source.get("left_out", {}),
        "versions": meta.get("versions", {}).get("scikit-learn"),
        "views": [
            {
                "name": VIEW_NAMES[v],
                "accuracy": cv[v].get("accuracy"),
                "macro_f1": cv[v].get("macro_f1"),
            }
            for v in views
        ],
        "labels": [
            {
                "label": f"{label} {names[label]}" if label in names else label,
                "count": counts.get(label),
                "f1": [cv[v].get("f1_by_label", {}).get(label) for v in views],
            }
            for label in meta.get("labels", [])
        ],
        "thresholds": [{"threshold": t, "cells": cells} for t, cells in sorted(thresholds.items())],
    }
