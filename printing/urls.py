from django.urls import path

from printing import views

app_name = "printing"

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/status.json", views.job_status_json, name="job_status_json"),
    path("jobs/<int:pk>/download", views.job_download, name="job_download"),
]
