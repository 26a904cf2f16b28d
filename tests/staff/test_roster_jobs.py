"""A confirmed roster import of more than IMPORT_INLINE_ROWS rows is written by a job, all of
it or nothing, and only if the file and the roster are still as previewed."""

from pathlib import Path

import pytest
from django.urls import reverse

from jobs.models import Job
from kit.imports import STALE_MESSAGE
from staff.models import Coordinator
from tests.staff.test_roster import ROW_DONGCHEN, ROW_YANCHENG, upload, xlsx


@pytest.fixture
def big(settings):
    settings.IMPORT_INLINE_ROWS = 1  # two rows: a "big" roster


def confirm(client, token):
    return client.post(reverse("staff:roster_import_confirm"), {"token": token})


@pytest.mark.django_db
class TestABigRosterCommitsInAJob:
    def test_the_job_writes_every_row_and_says_what_it_did(
        self, world, client_for, big, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        token = upload(client, xlsx(ROW_YANCHENG, ROW_DONGCHEN)).context["token"]
        with django_capture_on_commit_callbacks(execute=True):
            response = confirm(client, token)
        job = Job.objects.get()
        assert response["Location"] == reverse("jobs:status", args=[job.pk])
        job.refresh_from_db()
        assert job.state == Job.State.DONE, job.error
        assert job.kind == "roster_import"
        assert job.summary == "花名册「花名册.xlsx」已导入：新增 2 人，更新 0 人，无变化 0 人。"
        assert job.link == reverse("staff:coordinator_list")
        assert set(Coordinator.objects.values_list("name", flat=True)) == {"陈静", "许东"}

    def test_a_roster_changed_before_the_job_fails_it_and_writes_nothing(
        self, world, client_for, big, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        token = upload(client, xlsx(ROW_YANCHENG, ROW_DONGCHEN)).context["token"]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            confirm(client, token)
        Coordinator.objects.create(name="陈静", unit=world.unit_a)  # someone was quicker
        for callback in callbacks:
            callback()
        job = Job.objects.get()
        assert job.state == Job.State.FAILED and job.error == STALE_MESSAGE
        assert list(Coordinator.objects.values_list("name", flat=True)) == ["陈静"]

    def test_a_file_changed_before_the_job_fails_it_and_writes_nothing(
        self, world, client_for, settings, big, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        token = upload(client, xlsx(ROW_YANCHENG, ROW_DONGCHEN)).context["token"]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            confirm(client, token)
        stored = Path(settings.MEDIA_ROOT) / "imports" / token / "upload.bin"
        stored.write_bytes(xlsx(ROW_DONGCHEN, ROW_YANCHENG))
        for callback in callbacks:
            callback()
        job = Job.objects.get()
        assert job.state == Job.State.FAILED and job.error == STALE_MESSAGE
        assert not Coordinator.objects.exists()

    def test_a_small_roster_still_commits_in_the_request(self, world, client_for, settings):
        settings.IMPORT_INLINE_ROWS = 2
        client = client_for("admin")
        token = upload(client, xlsx(ROW_YANCHENG, ROW_DONGCHEN)).context["token"]
        response = confirm(client, token)
        assert response["Location"] == reverse("staff:coordinator_list")
        assert Coordinator.objects.count() == 2 and not Job.objects.exists()
