from django.urls import path

from assessments import (
    calibration_views,
    closing_views,
    deadline_views,
    offline_views,
    opening_views,
    print_views,
    publicity_views,
    sheet_views,
    views,
    years_views,
)
from assessments.sides import SIDES

app_name = "assessments"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/action/", views.cycle_action, name="cycle_action"),
    path("<int:pk>/deadlines/", deadline_views.cycle_deadlines, name="cycle_deadlines"),
    path("<int:pk>/overdue/", deadline_views.overdue_list, name="overdue"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/calibration/", calibration_views.calibration, name="calibration"),
    path("<int:pk>/publish/", publicity_views.publish, name="publish"),
    path("<int:pk>/publicity/", publicity_views.publicity_list, name="publicity"),
    path("<int:pk>/publicity.pdf", publicity_views.publicity_pdf, name="publicity_pdf"),
    path(
        "<int:pk>/results/<int:result_pk>/objection/",
        publicity_views.objection_file,
        name="objection_file",
    ),
    path("objections/<int:pk>/", publicity_views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/answer/", publicity_views.objection_answer, name="objection_answer"),
    path(
        "objections/<int:pk>/evidence/",
        publicity_views.objection_evidence,
        name="objection_evidence",
    ),
    path("<int:pk>/open/", opening_views.cycle_open, name="cycle_open"),
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
    path("<int:pk>/results/compare/", years_views.results_compare, name="results_compare"),
    path("units/<int:pk>/years/", years_views.unit_years, name="unit_years"),
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
    *(
        # 采纳自评 for a whole sheet: the sides that wait for another (sheets/<pk>/review/adopt/)
        path(
            f"sheets/<int:pk>/{side}/adopt/",
            sheet_views.sheet_adopt,
            {"side": side},
            name=f"sheet_adopt_{side}",
        )
        for side, info in SIDES.items()
        if info.waits_for
    ),
    path("sheets/<int:pk>/submit/", sheet_views.sheet_submit, name="sheet_submit"),
    path("sheets/<int:pk>/action/", sheet_views.sheet_action, name="sheet_action"),
    path("sheets/<int:pk>/history/", sheet_views.sheet_history, name="sheet_history"),
    path("sheets/<int:pk>/extend/", deadline_views.deadline_extend, name="deadline_extend"),
    path("sheets/<int:pk>/evidence/", sheet_views.evidence_upload, name="evidence_upload"),
    path(
        "sheets/<int:pk>/evidence/<int:evidence_pk>/",
        sheet_views.evidence_download,
        name="evidence_download",
    ),
    path(
        "sheets/<int:pk>/evidence/<int:evidence_pk>/remove/",
        sheet_views.evidence_remove,
        name="evidence_remove",
    ),
    path(
        "sheets/<int:pk>/evidence/<int:evidence_pk>/replace/",
        sheet_views.evidence_replace,
        name="evidence_replace",
    ),
]
