"""Admin for assessment (read-only: every change goes through actions, guarded and audited)."""

from django.contrib import admin

from jiceng.core.admin import ReadOnlyAdmin

from .models import (
    Appeal,
    AssessmentItem,
    Evaluation,
    EvaluationRound,
    Inspection,
    InspectionCap,
    Notice,
    VetoAuthorization,
)


@admin.register(AssessmentItem)
class AssessmentItemAdmin(ReadOnlyAdmin):
    list_display = ("name", "year", "issuer", "target", "status", "one_vote_veto")
    list_filter = ("status", "target", "year", "one_vote_veto")
    search_fields = ("name", "issuer__name", "approval_document")
    list_select_related = ("issuer",)


@admin.register(VetoAuthorization)
class VetoAuthorizationAdmin(ReadOnlyAdmin):
    list_display = ("matter", "authority", "document", "effective_from", "effective_to")


@admin.register(InspectionCap)
class InspectionCapAdmin(ReadOnlyAdmin):
    list_display = ("region", "year", "target", "limit", "document")
    list_filter = ("year", "target")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("item", "unit", "kind", "on_date", "by")
    list_filter = ("kind", "year")
    list_select_related = ("item", "unit", "by")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("inspection", "status", "by", "created_at", "due_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("inspection__item", "inspection__unit", "by")
    search_fields = ("inspection__unit__name", "inspection__item__name", "reasons")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("document", "item", "issued_on", "issued_by")
    list_select_related = ("item", "issued_by")
    search_fields = ("document", "item__name")


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ("county", "year", "direction", "status", "opened_by")
    list_filter = ("direction", "status", "year")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("round", "rater", "ratee", "score", "submitted_at")
    list_select_related = ("round", "rater", "ratee")
