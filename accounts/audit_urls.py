from django.urls import path

from accounts import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.log_list, name="log"),
    path("export/<str:fmt>/", audit_views.log_export, name="export"),
]
