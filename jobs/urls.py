from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_status, name="status"),
    path("<int:pk>/status.json", views.job_status_json, name="status_json"),
    path("<int:pk>/download", views.job_download, name="download"),
    path("<int:pk>/resubmit", views.job_resubmit, name="resubmit"),
]
