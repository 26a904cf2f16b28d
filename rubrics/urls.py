"""The rubric pages (/rubrics/): authoring, checking, importing from the office's document,
versions. Administrators only (rubrics.policy)."""

from django.urls import path

from rubrics import editor_views, item_views

app_name = "rubrics"

urlpatterns: list = []

# Each part of the rubric pages adds its own paths below.

# The editor: the list, a new rubric, the official-table page and its items.
urlpatterns += [
    path("", editor_views.rubric_index, name="list"),
    path("new/", editor_views.rubric_create, name="create"),
    path("<int:pk>/", editor_views.rubric_edit, name="edit"),
    path("<int:pk>/items/<int:item_pk>/", item_views.item_edit, name="item_edit"),
    path("<int:pk>/sections/<int:section_pk>/items/new/", item_views.item_add, name="item_add"),
    path("<int:pk>/describe.json", item_views.item_describe, name="item_describe"),
]
