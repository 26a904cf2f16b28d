from django.contrib import admin

from staff.models import (
    AttendanceEntry,
    AttendanceMonth,
    Coordinator,
    DepartureEvent,
    DepartureReport,
    LeaveEvent,
    LeaveRequest,
    WindowStaffing,
)


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "state", "is_fulltime", "certificate_no", "phone")
    list_filter = ("state", "is_fulltime", "unit__parent")
    search_fields = ("name", "phone", "unit__name")
    list_select_related = ("unit", "unit__parent")
    raw_id_fields = ("user",)
    autocomplete_fields = ("unit",)


@admin.register(WindowStaffing)
class WindowStaffingAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "windows", "window_staff", "village_coordinators")
    list_filter = ("year",)


@admin.register(AttendanceEntry)
class AttendanceEntryAdmin(admin.ModelAdmin):
    list_display = ("coordinator", "date", "status", "days")
    list_filter = ("status",)
    date_hierarchy = "date"
    raw_id_fields = ("coordinator", "recorded_by")


@admin.register(AttendanceMonth)
class AttendanceMonthAdmin(admin.ModelAdmin):
    list_display = ("coordinator", "month", "absent_days", "off_post_days")
    raw_id_fields = ("coordinator", "recorded_by")


class LeaveEventInline(admin.TabularInline):
    model = LeaveEvent
    extra = 0
    readonly_fields = (
        "action",
        "step",
        "actor",
        "actor_name",
        "signer_name",
        "at",
        "note",
        "state_after",
    )
    can_delete = False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):
    """Read-mostly: decisions go through the pages so that the history stays whole."""

    list_display = ("coordinator", "kind", "start_date", "end_date", "days", "state")
    list_filter = ("state", "kind")
    raw_id_fields = ("coordinator", "extends", "filed_by")
    inlines = [LeaveEventInline]


class DepartureEventInline(LeaveEventInline):
    model = DepartureEvent


@admin.register(DepartureReport)
class DepartureReportAdmin(admin.ModelAdmin):
    list_display = ("coordinator", "kind", "departure_date", "state")
    list_filter = ("state", "kind")
    raw_id_fields = ("coordinator", "filed_by")
    inlines = [DepartureEventInline]
