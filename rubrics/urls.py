"""The rubric pages (/rubrics/): authoring, checking, importing from the office's document,
versions. Administrators only (rubrics.policy)."""

from django.urls import path

from rubrics import check_views, version_views

app_name = "rubrics"

urlpatterns: list = []

# Each part of the rubric pages adds its own paths below.

urlpatterns += [
    path("compare/", version_views.rubric_compare, name="compare"),
    path("<int:pk>/copy/", version_views.rubric_copy, name="copy"),
    path("<int:pk>/export.<str:fmt>", version_views.rubric_export, name="export"),
    path("<int:pk>/checks.json", check_views.checks, name="checks"),
    path("<int:pk>/trial/", check_views.trial, name="trial"),
]
