"""A confirmed target import of more than IMPORT_INLINE_ROWS values commits in a job: the job
checks the stored file and the plan again and writes all of it or nothing; a small import
still commits in the request."""

from pathlib import Path

import pytest
from django.urls import reverse

from jobs.models import Job
from kit.imports import STALE_MESSAGE
from org.models import Unit
from targets.models import ImportBatch, Indicator, TargetAllocation
from tests.targets.helpers import D, allocations, xlsx
from tests.targets.test_pages import GOOD, HEADER, upload


@pytest.fixture
def units(world, settings):
    settings.IMPORT_INLINE_ROWS = 3  # GOOD plans 4 values: a "big" import
    Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    return world


def previewed(client):
    """Upload GOOD and look at its preview, as a person does before confirming."""
    preview_url = upload(client, GOOD)["Location"]
    assert client.get(preview_url).status_code == 200
    return preview_url


def stored_file(settings, preview_url) -> Path:
    token = preview_url.rstrip("/").split("/")[-1]
    return Path(settings.MEDIA_ROOT) / "imports" / token / "upload.bin"


class TestABigImportCommitsInAJob:
    def test_the_confirmed_preview_is_written_by_the_job_and_says_what_it_wrote(
        self, units, client_for, settings, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        preview_url = previewed(client)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(preview_url)
        job = Job.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("jobs:status", args=[job.pk])
        job.refresh_from_db()
        assert job.state == Job.State.DONE, job.error
        assert job.kind == "target_import" and job.requested_by.username == "admin"
        batch = ImportBatch.objects.get()
        assert job.summary == "已导入 2 个单位的 4 个目标值（新增 4，修改 0）。"
        assert job.link == reverse("targets:import_batch", args=[batch.pk])
        assert batch.new_count == 4 and batch.created_by.username == "admin"
        assert allocations(2024) == {
            ("淹城社区", "社保扩面人数"): (D(40), None),
            ("淹城社区", "公积金扩面人数"): (D(50), None),
            ("何留社区", "社保扩面人数"): (D(5), None),
            ("何留社区", "公积金扩面人数"): (D(5), None),
        }
        assert not stored_file(settings, preview_url).exists()
        page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "已导入 2 个单位的 4 个目标值" in page and job.link in page
        assert client.post(preview_url).status_code == 404  # the upload is gone

    def test_a_file_changed_after_the_confirm_fails_the_job_and_writes_nothing(
        self, units, client_for, settings, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        preview_url = previewed(client)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(preview_url)
        # Between the confirm and the job the stored file is replaced.
        stored_file(settings, preview_url).write_bytes(
            xlsx(HEADER + [[1, "淹城社区", 41, 50], [2, "何留社区", 5, 5]])
        )
        for callback in callbacks:
            callback()
        job = Job.objects.get()
        assert job.state == Job.State.FAILED and job.error == STALE_MESSAGE
        assert not TargetAllocation.objects.exists() and not ImportBatch.objects.exists()
        assert not Indicator.objects.exists()
        page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "未导入任何内容" in page

    def test_a_file_changed_after_the_preview_fails_the_job_and_writes_nothing(
        self, units, client_for, settings, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        preview_url = previewed(client)
        stored_file(settings, preview_url).write_bytes(
            xlsx(HEADER + [[1, "淹城社区", 41, 50], [2, "何留社区", 5, 5]])
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(preview_url)
        job = Job.objects.get()
        assert job.state == Job.State.FAILED and job.error == STALE_MESSAGE
        assert not TargetAllocation.objects.exists() and not ImportBatch.objects.exists()

    def test_a_database_changed_before_the_job_fails_it_and_writes_nothing(
        self, units, client_for, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        preview_url = previewed(client)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(preview_url)
        # Someone else sets a target the preview showed as new.
        indicator = Indicator.objects.create(name="社保扩面人数")
        TargetAllocation.objects.create(
            year=2024, unit=Unit.objects.get(name="淹城社区"), indicator=indicator, target=7
        )
        for callback in callbacks:
            callback()
        job = Job.objects.get()
        assert job.state == Job.State.FAILED and job.error == STALE_MESSAGE
        assert not ImportBatch.objects.exists()
        assert allocations(2024) == {("淹城社区", "社保扩面人数"): (D(7), None)}
        # The upload is kept: its preview page shows the new plan, which can be confirmed.
        text = client.get(preview_url).content.decode()
        assert "修改 <strong>1</strong>" in text

    def test_a_job_for_an_upload_already_imported_fails_with_a_message(
        self, units, client_for, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        preview_url = previewed(client)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(preview_url)
            client.post(preview_url)  # confirmed twice before the first job ran
        for callback in callbacks:
            callback()
        first, second = Job.objects.order_by("pk")
        assert first.state == Job.State.DONE
        assert second.state == Job.State.FAILED and "未导入任何内容" in second.error
        assert ImportBatch.objects.count() == 1 and TargetAllocation.objects.count() == 4


class TestASmallImport:
    def test_still_commits_in_the_request(self, units, client_for, settings):
        settings.IMPORT_INLINE_ROWS = 4
        client = client_for("admin")
        preview_url = previewed(client)
        response = client.post(preview_url)
        batch = ImportBatch.objects.get()
        assert response["Location"] == reverse("targets:import_batch", args=[batch.pk])
        assert not Job.objects.exists()
        assert TargetAllocation.objects.count() == 4
