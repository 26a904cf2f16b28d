from django.urls import path

from assessments import closing_views, offline_views, print_views, sheet_views, views
from assessments.sides import SIDES

app_name = "assessments"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/action/", views.cycle_action, name="cycle_action"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/close/<str:action>/", closing_views.cycle_close, name="cycle_close"),
    path(
        "<int:pk>/results/decisions/",
        closing_views.quota_decisions_page,
        name="quota_decisions",
    ),
    path(
        "<int:pk>/results/<int:result_pk>/override/",
        closing_views.grade_override_page,
        name="grade_override",
    ),
    path("<int:pk>/results/history/", views.results_history, name="results_history"),
    path("<int:pk>/results/<int:result_pk>/history/", views.result_history, name="result_history"),
    path("<int:pk>/items/<int:item_pk>/", sheet_views.item_grid, name="item_grid"),
    path("<int:pk>/results/export/", views.results_export, name="results_export"),
    path("<int:pk>/workbook/", offline_views.score_workbook, name="score_workbook"),
    path("<int:pk>/workbook/import/", offline_views.score_import, name="score_import"),
    path("<int:pk>/print/", print_views.cycle_print, name="cycle_print"),
    path("<int:pk>/summary.pdf", print_views.summary_pdf, name="summary_pdf"),
    path(
        "<int:pk>/results/<int:result_pk>/registration.pdf",
        print_views.registration_pdf,
        name="registration_pdf",
    ),
    path(
        "<int:pk>/towns/<int:town_pk>/coordinators.pdf",
        print_views.town_summary_pdf,
        name="town_summary_pdf",
    ),
    path("sheets/<int:pk>/sheet.pdf", print_views.sheet_pdf, name="sheet_pdf"),
    path("sheets/<int:pk>/", sheet_views.sheet_detail, name="sheet_detail"),
    *(
        # one page per score side: sheets/<pk>/self/ (sheet_self), …/review/ (sheet_review)
        path(
            f"sheets/<int:pk>/{side}/", sheet_views.sheet_edit, {"side": side}, name=f"sheet_{side}"
        )
        for side in SIDES
    ),
    path("sheets/<int:pk>/action/", sheet_views.sheet_action, name="sheet_action"),
    path("sheets/<int:pk>/history/", sheet_views.sheet_history, name="sheet_history"),
    path("sheets/<int:pk>/evidence/", sheet_views.evidence_upload, name="evidence_upload"),
    path(
        "sheets/<int:pk>/evidence/<int:evidence_pk>/",
        sheet_views.evidence_download,
        name="evidence_download",
    ),
]
