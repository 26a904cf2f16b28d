"""A confirmed offline score workbook of more than IMPORT_INLINE_ROWS values is saved by a
job: every sheet or none, and only if the file and the sheets are still as previewed."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from assessments.models import ItemScore
from jobs.models import Job
from kit.imports import STALE_MESSAGE
from tests.assessments.test_offline_and_exports import filled_workbook, reviewing

pytestmark = pytest.mark.django_db

ITEM_6 = "6 准确采集社区内离退休人员、失业人员信息。（得分）"


@pytest.fixture
def big(settings):
    settings.IMPORT_INLINE_ROWS = 1  # two values (item 6 of two sheets): a "big" workbook


def previewed(client, cycle, score=2):
    content = filled_workbook(cycle, lambda unit: {ITEM_6: score})
    url = reverse("assessments:score_import", args=[cycle.pk])
    preview = client.post(
        url, {"file": SimpleUploadedFile("scores.xlsx", content), "side": "review"}
    )
    assert "将修改 2 项" in preview.content.decode()
    return url, preview.context["token"]


def test_a_big_workbook_is_saved_by_a_job(
    world, client_for, big, django_capture_on_commit_callbacks
):
    cycle = reviewing(world)
    client = client_for("admin")
    url, token = previewed(client, cycle)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"token": token, "confirm": "1"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:status", args=[job.pk])
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert job.kind == "scores_import"
    assert job.summary == f"已导入「{cycle.title}」的 2 项评分。"
    assert job.link == reverse("assessments:cycle_detail", args=[cycle.pk])
    assert ItemScore.objects.filter(item__key="6", side="review").count() == 2


def test_a_sheet_saved_online_before_the_job_fails_it_and_nothing_is_saved(
    world, client_for, big, django_capture_on_commit_callbacks
):
    cycle = reviewing(world)
    client = client_for("admin")
    url, token = previewed(client, cycle)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url, {"token": token, "confirm": "1"})
    cycle.assessments.update(version=F("version") + 1)  # someone saved a sheet online
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.error == STALE_MESSAGE
    assert not ItemScore.objects.exists()


def test_a_file_changed_before_the_job_fails_it_and_nothing_is_saved(
    world, client_for, settings, big, django_capture_on_commit_callbacks
):
    cycle = reviewing(world)
    client = client_for("admin")
    url, token = previewed(client, cycle)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url, {"token": token, "confirm": "1"})
    stored = Path(settings.MEDIA_ROOT) / "imports" / token / "upload.bin"
    stored.write_bytes(filled_workbook(cycle, lambda unit: {ITEM_6: 1}))
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.error == STALE_MESSAGE
    assert not ItemScore.objects.exists()


def test_a_small_workbook_is_still_saved_in_the_request(world, client_for, settings):
    settings.IMPORT_INLINE_ROWS = 2
    cycle = reviewing(world)
    client = client_for("admin")
    url, token = previewed(client, cycle)
    done = client.post(url, {"token": token, "confirm": "1"})
    assert done.status_code == 302 and not Job.objects.exists()
    assert ItemScore.objects.filter(item__key="6").count() == 2
