from django.contrib import admin

from jobs.models import Job, ScheduledRun


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
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
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at", "last_outcome")
    readonly_fields = ("name", "last_run_at", "last_outcome")

    def has_add_permission(self, request):
        return False


# The task engine's own rows are the workers' business, shown in English by its admin;
# people follow their work as jobs (above), so its admin page is not offered.
try:
    from django_tasks_db.models import DBTaskResult

    admin.site.unregister(DBTaskResult)
except (ImportError, admin.sites.NotRegistered):
    pass
