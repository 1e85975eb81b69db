"""Admin for inbox tasks (read-mostly: tasks change through actions)."""

from django.contrib import admin

from .models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "state", "assignee_unit", "assignee_person", "due_at")
    list_filter = ("kind", "state")
    search_fields = ("subject",)
    raw_id_fields = ("assignee_person", "assignee_unit", "from_unit", "region")
