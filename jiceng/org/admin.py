"""Admin for regions, units and people (Chinese labels come from the models)."""

from django.contrib import admin

from .models import Person, PersonRole, Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "synthetic")
    list_filter = ("level", "synthetic")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "sector", "region", "parent")
    list_filter = ("kind", "sector")
    search_fields = ("name",)
    raw_id_fields = ("region", "parent")


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "region", "home_unit", "managing_unit")
    search_fields = ("name", "user__username")
    raw_id_fields = ("user", "region", "home_unit", "managing_unit")
    inlines = [PersonRoleInline]
