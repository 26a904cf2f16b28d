from django.contrib import admin

from org.models import Unit, UnitAlias


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "active", "sort_order")
    list_filter = ("kind", "active")
    search_fields = ("name", "aliases__name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = [UnitAliasInline]
