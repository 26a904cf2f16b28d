"""The rubric pages (/rubrics/): authoring, checking, importing from the office's document,
versions. Administrators only (rubrics.policy)."""

from django.urls import path

app_name = "rubrics"

urlpatterns: list = []

# Each part of the rubric pages adds its own paths below.

from rubrics import import_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.rubric_import, name="import"),
    path("import/<str:token>/", import_views.rubric_import_review, name="import_review"),
]
