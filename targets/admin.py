from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from targets.models import (
    Achievement,
    ImportBatch,
    ImportChange,
    Indicator,
    TargetAllocation,
)
from targets.resources import TargetAllocationResource


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "measure", "sub_label", "sort_order")
    search_fields = ("name",)


@admin.register(TargetAllocation)
class TargetAllocationAdmin(ImportExportModelAdmin):
    resource_classes = [TargetAllocationResource]
    list_display = ("year", "unit", "indicator", "target", "sub_target")
    list_filter = ("year", "indicator")
    search_fields = ("unit__name", "indicator__name")
    list_select_related = ("unit", "indicator")
    autocomplete_fields = ("unit",)


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("year", "unit", "indicator", "actual", "sub_actual", "as_of", "source")
    list_filter = ("year", "indicator")
    search_fields = ("unit__name", "indicator__name")
    list_select_related = ("unit", "indicator")
    autocomplete_fields = ("unit",)


class ImportChangeInline(admin.TabularInline):
    model = ImportChange
    extra = 0
    can_delete = False
    fields = ("unit", "indicator", "action", "old_value", "old_sub", "new_value", "new_sub")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "year",
        "source",
        "created_by",
        "new_count",
        "changed_count",
    )
    list_filter = ("kind", "year")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
    inlines = [ImportChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
