from django.urls import path

from targets import target_views, views

app_name = "targets"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("targets/", target_views.target_index, name="target_index"),
    path("targets/<int:year>/export.<str:fmt>", target_views.target_export, name="target_export"),
    path("targets/import/", target_views.target_import, name="target_import"),
    path(
        "targets/import/<str:token>/",
        target_views.target_import_preview,
        name="target_import_preview",
    ),
    path("targets/history/", target_views.import_history, name="import_history"),
    path("targets/history/<int:pk>/", target_views.import_batch, name="import_batch"),
    path("targets/indicators/<int:pk>/", target_views.completion, name="completion"),
    path(
        "targets/indicators/<int:pk>/actuals/<int:town_pk>/",
        target_views.actual_entry,
        name="actual_entry",
    ),
]
