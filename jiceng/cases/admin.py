"""Admin for categories (editable time limits and routing) and read-mostly case records."""

from django.contrib import admin

from .models import Assignment, Attachment, Case, CaseEvent, Category, MediationRecord


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "priority",
        "default_sector",
        "handle_limit",
        "handle_unit",
    ]
    list_filter = ["kind", "priority", "default_sector", "needs_site_check", "active"]
    filter_horizontal = ["powers"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "role", "state", "due_at", "accepted_at", "done_at", "escalated_at"]
    fields = readonly_fields


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["seq", "verb", "actor_label", "at", "from_status", "to_status", "note"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases change only through their actions; the admin shows them read-only."""

    list_display = ["code", "status", "category", "township", "source", "reported_at", "due_at"]
    list_filter = ["status", "source", "priority"]
    search_fields = ["code", "description", "address"]
    inlines = [AssignmentInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["case", "seq", "verb", "actor_label", "at", "to_status"]
    search_fields = ["case__code", "verb"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["case", "unit", "role", "state", "due_at", "escalated_at"]
    list_filter = ["role", "state"]
    raw_id_fields = ["case", "unit", "task"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["case", "name", "stage", "content_type", "size", "sha256", "captured_by"]
    raw_id_fields = ["case"]


@admin.register(MediationRecord)
class MediationRecordAdmin(admin.ModelAdmin):
    list_display = ["case", "at", "mediator", "outcome", "follow_up_at"]
    raw_id_fields = ["case"]
