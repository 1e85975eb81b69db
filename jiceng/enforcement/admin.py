"""Admin for penalty cases, their step history, evidence and amount thresholds: read-only (changes
go through actions)."""

from django.contrib import admin

from jiceng.core.admin import ReadOnlyAdmin

from .models import AmountThreshold, Evidence, PenaltyCase, PenaltyStep


@admin.register(PenaltyCase)
class PenaltyCaseAdmin(ReadOnlyAdmin):
    list_display = ("code", "party_name", "power", "township", "act_date", "state")
    list_filter = ("state", "approval_required")
    search_fields = ("code", "party_name", "party_address")


@admin.register(PenaltyStep)
class PenaltyStepAdmin(ReadOnlyAdmin):
    list_display = ("penalty_case", "seq", "step", "actor_name", "at")
    list_filter = ("step",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("name", "penalty_case", "captured_by", "captured_at", "device", "sha256")
    search_fields = ("name", "sha256")


@admin.register(AmountThreshold)
class AmountThresholdAdmin(ReadOnlyAdmin):
    """Rows change only through actions.threshold_add / threshold_end (/enforcement/thresholds/)."""

    list_display = (
        "name",
        "party_kind",
        "amount",
        "region_code",
        "effective_from",
        "effective_to",
        "basis",
    )
    list_filter = ("name", "party_kind")
    search_fields = ("region_code", "basis")
