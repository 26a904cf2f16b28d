"""The rubric pages (/rubrics/): authoring, checking, importing from the office's document,
versions. Administrators only (rubrics.policy)."""

from django.urls import path

from rubrics import check_views, editor_views, import_views, item_views, version_views

app_name = "rubrics"

urlpatterns = [
    # The editor: the list, a new rubric, the official-table page and its items.
    path("", editor_views.rubric_index, name="list"),
    path("new/", editor_views.rubric_create, name="create"),
    path("<int:pk>/", editor_views.rubric_edit, name="edit"),
    path("<int:pk>/items/<int:item_pk>/", item_views.item_edit, name="item_edit"),
    path("<int:pk>/sections/<int:section_pk>/items/new/", item_views.item_add, name="item_add"),
    path("<int:pk>/describe.json", item_views.item_describe, name="item_describe"),
    # Importing from the office's document: upload or paste, then review the suggestions.
    path("import/", import_views.rubric_import, name="import"),
    path("import/<str:token>/", import_views.rubric_import_review, name="import_review"),
    # Checks beside the rows, and 试算.
    path("<int:pk>/checks.json", check_views.checks, name="checks"),
    path("<int:pk>/trial/", check_views.trial, name="trial"),
    # Versions and export.
    path("compare/", version_views.rubric_compare, name="compare"),
    path("<int:pk>/copy/", version_views.rubric_copy, name="copy"),
    path("<int:pk>/export.<str:fmt>", version_views.rubric_export, name="export"),
]
