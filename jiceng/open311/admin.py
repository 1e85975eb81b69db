"""Admin of the Open311 door: client keys (the raw key shown once), services, endpoints."""

from django.contrib import admin, messages

from . import actions
from .models import (
    ApiClient,
    InboundRequest,
    Open311Endpoint,
    OutboundRequest,
    RequestUpdate,
    ServiceAttribute,
    ServiceSetting,
)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "active", "revoked_at", "rate_per_minute", "last_used_at"]
    readonly_fields = ["key_prefix", "revoked_at", "created_at", "last_used_at"]
    fields = ["name", "contact", "rate_per_minute", *readonly_fields]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:  # name, contact and limit only; keys change through the actions
            return super().save_model(request, obj, form, change)
        client, raw = actions.client_issue(
            name=obj.name,
            by=request.user,
            rate_per_minute=obj.rate_per_minute,
            contact=obj.contact,
        )
        obj.pk = client.pk
        obj.refresh_from_db()
        messages.warning(request, f"api_key（只显示这一次，请立即保存）/ shown once: {raw}")

    @admin.action(description="吊销所选应用的 api_key")
    def revoke(self, request, queryset):
        for client in queryset:
            actions.client_revoke(client=client, by=request.user)


class AttributeInline(admin.TabularInline):
    model = ServiceAttribute
    extra = 0


@admin.register(ServiceSetting)
class ServiceSettingAdmin(admin.ModelAdmin):
    list_display = ["category", "public", "keywords"]
    autocomplete_fields = ["category"]


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ["category", "code", "datatype", "required", "order"]
    list_filter = ["datatype"]


@admin.register(InboundRequest)
class InboundRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "client", "token", "created_at"]
    list_select_related = ["case", "client"]
    readonly_fields = [f.name for f in InboundRequest._meta.fields]


@admin.register(RequestUpdate)
class RequestUpdateAdmin(admin.ModelAdmin):
    list_display = ["update_id", "client", "case", "status", "updated_at"]
    readonly_fields = [f.name for f in RequestUpdate._meta.fields]


@admin.register(Open311Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["unit", "base_url", "jurisdiction_id", "active", "drives_case"]
    autocomplete_fields = ["unit"]


@admin.register(OutboundRequest)
class OutboundRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "endpoint", "state", "attempts", "remote_id", "remote_status"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in OutboundRequest._meta.fields]
