"""Admin for the power and responsibility lists (read-mostly: writes go through actions)."""

from django.contrib import admin

from jiceng.core.admin import ReadOnlyAdmin

from .models import Delegation, ItemVersion, PowerItem, Readiness, ResponsibilityItem


@admin.register(PowerItem)
class PowerItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "power_type", "default_level", "default_sector", "status")
    list_filter = ("power_type", "default_level", "status", "demo")
    search_fields = ("code", "name")


@admin.register(ResponsibilityItem)
class ResponsibilityItemAdmin(ReadOnlyAdmin):
    list_display = ("name", "level", "region", "status", "version")
    list_filter = ("level", "status")
    search_fields = ("name",)


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ("power", "target", "mode", "effective_from", "effective_to", "document")
    list_filter = ("mode", "demo")
    search_fields = ("power__code", "power__name", "document", "target__code")
    list_select_related = ("power", "target")


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin):
    list_display = ("kind", "item_id", "version", "changed_by", "changed_at", "reason")
    list_filter = ("kind",)


@admin.register(Readiness)
class ReadinessAdmin(ReadOnlyAdmin):
    list_display = ("region", "power", "status", "trained_staff", "certified_officers")
    list_filter = ("status",)
    list_select_related = ("region", "power")
