"""The rubric pages (/rubrics/): authoring, checking, importing from the office's document,
versions. Administrators only (rubrics.policy)."""

from django.urls import path

app_name = "rubrics"

urlpatterns: list = []

# Each part of the rubric pages adds its own paths below.
