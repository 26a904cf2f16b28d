"""A whole cycle's summary PDF and a workbook of several towns are made by background
jobs; a town's stay in the request. Who may ask is unchanged."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from assessments import compute
from assessments.file_jobs import _may_download_workbook
from assessments.models import Assessment, Cycle
from jobs.models import Job

pytestmark = pytest.mark.django_db


def flat_pdf(content: bytes) -> str:
    return "".join(
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )


def downloaded(client, job) -> bytes:
    return b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def computed(world):
    compute.cycle_compute(cycle=world.cycle, user=world.users["admin"])
    world.cycle.refresh_from_db()
    return world.cycle


def reviewing(world):
    cycle = world.cycle
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
    cycle.assessments.update(state=Assessment.State.SUBMITTED)
    return cycle


class TestWholeCycleSummary:
    def test_an_administrator_gets_a_job_whose_pdf_lists_every_unit(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = computed(world)
        client = client_for("admin")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("assessments:summary_pdf", args=[cycle.pk]))
        job = Job.objects.get()
        assert job.kind == "cycle_summary" and job.requested_by == world.users["admin"]
        assert response.status_code == 302
        assert response["Location"] == reverse("jobs:status", args=[job.pk])
        assert messages_of(response) == [
            f"正在生成「{cycle.title}」全部单位的结果汇总表，完成后可在本页下载。"
        ]
        assert job.state == Job.State.DONE, job.error
        assert job.summary.startswith(f"已生成「{cycle.title} · 结果汇总表（全部单位）」：1 份")
        text = flat_pdf(downloaded(client, job))
        assert "淹城社区" in text and "东陈村" in text and "汇总表" in text

    def test_following_the_link_asks_before_it_makes_anything(self, world, client_for):
        cycle = computed(world)
        url = reverse("assessments:summary_pdf", args=[cycle.pk])
        page = client_for("admin").get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert f"将生成「{cycle.title}」全部单位的结果汇总表（PDF）。" in text
        assert f'action="{url}"' in text and "开始生成" in text
        assert not Job.objects.exists()

    def test_a_towns_summary_stays_in_the_request(self, world, client_for):
        cycle = computed(world)
        response = client_for("reviewer_a").get(
            reverse("assessments:summary_pdf", args=[cycle.pk]) + "?town=湖塘镇"
        )
        assert response["Content-Type"] == "application/pdf"
        text = flat_pdf(response.content)
        assert "淹城社区" in text and "东陈村" not in text
        assert not Job.objects.exists()

    def test_a_reviewer_still_may_not_print_the_whole_cycle(self, world, client_for):
        cycle = computed(world)
        response = client_for("reviewer_a").get(reverse("assessments:summary_pdf", args=[cycle.pk]))
        assert response.status_code == 403
        assert not Job.objects.exists()

    def test_a_cycle_without_results_queues_nothing(self, world, client_for):
        Cycle.objects.filter(pk=world.cycle.pk).update(computed_at=None)
        response = client_for("admin").get(
            reverse("assessments:summary_pdf", args=[world.cycle.pk])
        )
        assert response["Location"] == reverse("assessments:cycle_detail", args=[world.cycle.pk])
        assert messages_of(response) == ["该考核周期还没有计算结果。"]
        assert not Job.objects.exists()


class TestWorkbookOfSeveralTowns:
    def test_an_administrators_workbook_of_two_towns_is_a_job(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = reviewing(world)
        client = client_for("admin")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("assessments:score_workbook", args=[cycle.pk]))
        job = Job.objects.get()
        assert job.kind == "score_workbook"
        assert response["Location"] == reverse("jobs:status", args=[job.pk])
        assert messages_of(response) == [
            f"正在生成「{cycle.title}」2 个镇（街道）的离线评分表，完成后可在本页下载。"
        ]
        assert job.state == Job.State.DONE, job.error
        assert job.summary == f"已生成「{cycle.title}」的离线评分表：2 个镇（街道），2 张考核表。"
        assert job.filename == f"scores-{cycle.pk}.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(downloaded(client, job)))["评分表"]
        assert sorted(r[1].value for r in sheet.iter_rows(min_row=4)) == ["东陈村", "淹城社区"]

    def test_following_the_link_asks_before_it_makes_anything(self, world, client_for):
        cycle = reviewing(world)
        page = client_for("admin").get(reverse("assessments:score_workbook", args=[cycle.pk]))
        assert page.status_code == 200
        assert "2 个镇（街道）的离线评分表（xlsx）" in page.content.decode()
        assert not Job.objects.exists()

    def test_a_reviewers_one_town_is_downloaded_at_once(self, world, client_for):
        cycle = reviewing(world)
        response = client_for("reviewer_a").get(
            reverse("assessments:score_workbook", args=[cycle.pk])
        )
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["评分表"]
        assert [r[1].value for r in sheet.iter_rows(min_row=4)] == ["淹城社区"]
        assert not Job.objects.exists()

    def test_a_coordinator_is_refused_and_nothing_is_queued(self, world, client_for):
        cycle = reviewing(world)
        response = client_for("coordinator_a").get(
            reverse("assessments:score_workbook", args=[cycle.pk])
        )
        assert response.status_code == 403
        assert not Job.objects.exists()
        assert not _may_download_workbook(world.users["coordinator_a"], {"cycle": cycle.pk})
        assert _may_download_workbook(world.users["admin"], {"cycle": cycle.pk})
