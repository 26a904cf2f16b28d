"""The rubric pages (/rubrics/): authoring, checking, importing from the office's document,
versions. Administrators only (rubrics.policy)."""

from django.urls import path

from rubrics import check_views

app_name = "rubrics"

urlpatterns: list = []

# Each part of the rubric pages adds its own paths below.

urlpatterns += [
    path("<int:pk>/checks.json", check_views.checks, name="checks"),
    path("<int:pk>/trial/", check_views.trial, name="trial"),
]
