"""Admin for the registries, rules, runs and imports (labels come from the models).

ID numbers are never stored raw; the admin shows only the masked form.
"""

from django.contrib import admin

from .models import Business, Certificate, Employment, ImportJob, Resident, Rule, ScreeningRun


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ("id", "id_masked", "gender", "community", "grid", "synthetic")
    list_filter = ("synthetic", "gender")
    search_fields = ("id_masked",)
    raw_id_fields = ("community", "grid")
    exclude = ("name", "phone", "address", "id_hash")
    readonly_fields = ("id_masked", "birth_date")


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "community", "synthetic")
    list_filter = ("industry", "synthetic")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("community", "grid")


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = ("id", "resident", "business", "role", "start_date", "end_date")
    raw_id_fields = ("resident", "business")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("kind", "number", "holder_resident", "holder_business", "expires")
    list_filter = ("kind",)
    search_fields = ("number",)
    raw_id_fields = ("holder_resident", "holder_business")


class RunInline(admin.TabularInline):
    model = ScreeningRun
    extra = 0
    readonly_fields = ("started_at", "matched", "opened", "closed", "unassigned", "duration_ms")
    fields = readonly_fields
    can_delete = False


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("name", "subject", "region", "active")
    list_filter = ("subject", "active")
    raw_id_fields = ("region", "from_unit", "created_by")
    readonly_fields = ("test_results", "active")
    inlines = [RunInline]


@admin.register(ScreeningRun)
class ScreeningRunAdmin(admin.ModelAdmin):
    list_display = ("rule", "started_at", "matched", "opened", "closed", "duration_ms", "trigger")
    readonly_fields = [f.name for f in ScreeningRun._meta.fields]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "filename", "state", "total", "created", "updated", "created_at")
    readonly_fields = [f.name for f in ImportJob._meta.fields]
