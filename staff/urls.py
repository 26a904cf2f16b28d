from django.urls import path

from staff import views

app_name = "staff"

# One view serves both kinds of request (staff/approvals.py KINDS).
LEAVE = {"kind": "leave"}
DEPARTURE = {"kind": "departure"}

urlpatterns = [
    path("", views.coordinator_list, name="coordinator_list"),
    path("new/", views.coordinator_create, name="coordinator_create"),
    path("<int:pk>/", views.coordinator_detail, name="coordinator_detail"),
    path("<int:pk>/edit/", views.coordinator_edit, name="coordinator_edit"),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/import/confirm/", views.roster_import_confirm, name="roster_import_confirm"),
    path("towns/<int:pk>/", views.town_staffing, name="town_staffing"),
    path("towns/<int:pk>/windows/", views.window_staff_edit, name="window_staff_edit"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/add/", views.attendance_add, name="attendance_add"),
    path("<int:pk>/attendance/month/", views.attendance_month, name="attendance_month"),
    path("attendance/<int:pk>/delete/", views.attendance_delete, name="attendance_delete"),
    path(
        "attendance/month/<int:pk>/delete/",
        views.attendance_delete,
        {"monthly": True},
        name="attendance_month_delete",
    ),
    path("approvals/", views.approvals, name="approvals"),
    path("leave/", views.leave_list, name="leave_list"),
    path("<int:pk>/leave/new/", views.leave_create, name="leave_create"),
    path("leave/<int:pk>/", views.request_detail, LEAVE, name="leave_detail"),
    path("leave/<int:pk>/decide/", views.request_decide, LEAVE, name="leave_decide"),
    path("leave/<int:pk>/return/", views.leave_return, name="leave_return"),
    path("leave/<int:pk>/extend/", views.leave_extend, name="leave_extend"),
    path("leave/<int:pk>/withdraw/", views.request_withdraw, LEAVE, name="leave_withdraw"),
    path("leave/<int:pk>/slip.pdf", views.leave_slip, name="leave_slip"),
    path("<int:pk>/departure/new/", views.departure_create, name="departure_create"),
    path("departures/<int:pk>/", views.request_detail, DEPARTURE, name="departure_detail"),
    path("departures/<int:pk>/decide/", views.request_decide, DEPARTURE, name="departure_decide"),
    path(
        "departures/<int:pk>/withdraw/",
        views.request_withdraw,
        DEPARTURE,
        name="departure_withdraw",
    ),
    path("departures/<int:pk>/report.pdf", views.departure_report, name="departure_report"),
]
