"""Asking for a results export the way the results page does, and reading the file back."""

from django.urls import reverse

from jobs.models import Job


def exported(client, cycle, fmt: str = "xlsx", *, capture) -> tuple[Job, bytes]:
    """POST the export button, run the job it enqueues (``capture`` is pytest-django's
    ``django_capture_on_commit_callbacks``), follow to the job page; the job and its file."""
    url = reverse("assessments:results_export", args=[cycle.pk])
    with capture(execute=True):
        response = client.post(url, {"format": fmt})
    assert response.status_code == 302, response.status_code
    job = Job.objects.latest("pk")
    assert response["Location"] == reverse("jobs:status", args=[job.pk])
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)
