from django.contrib import admin

from printing.models import PrintJob


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "requested_by",
        "state",
        "progress_done",
        "progress_total",
        "created_at",
        "finished_at",
    )
    list_filter = ("state", "kind")
    search_fields = ("title", "kind", "requested_by__username")
    readonly_fields = [f.name for f in PrintJob._meta.fields]

    def has_add_permission(self, request):
        return False
