"""A roster export of more than EXPORT_INLINE_ROWS coordinators is written by a background
job, streamed, in the same columns; the lists of coordinators and leave stay paginated with
a fixed number of queries."""

import io
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from staff import rules, services
from staff.models import Coordinator, LeaveRequest
from staff.roster_file import _permitted

pytestmark = pytest.mark.django_db


def downloaded(client, job) -> bytes:
    return b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)


def export_job(client, capture, query=""):
    with override_settings(EXPORT_INLINE_ROWS=0), capture(execute=True):
        response = client.post(reverse("staff:roster_export") + query)
    return response, Job.objects.get()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


class TestLargeRosterExport:
    def test_following_the_link_asks_before_it_makes_anything(self, world, client_for, coord_a):
        with override_settings(EXPORT_INLINE_ROWS=0):
            page = client_for("admin").get(reverse("staff:roster_export"))
        assert page.status_code == 200 and "名协理员的花名册（xlsx）" in page.content.decode()
        assert not Job.objects.exists()

    def test_the_job_writes_the_same_sheet_and_it_round_trips(
        self, world, client_for, coord_a, coord_b, django_capture_on_commit_callbacks
    ):
        client = client_for("admin")
        inline = load_workbook(io.BytesIO(client.get(reverse("staff:roster_export")).content))
        response, job = export_job(client, django_capture_on_commit_callbacks)
        assert job.kind == "roster_export"
        assert response["Location"] == reverse("jobs:status", args=[job.pk])
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "正在导出 2 名协理员的花名册，完成后可在本页下载。"
        ]
        assert job.state == Job.State.DONE, job.error
        assert job.summary == "已导出协理员花名册：2 人。"
        assert job.filename.startswith("协理员花名册-") and job.filename.endswith(".xlsx")
        body = downloaded(client, job)
        streamed = load_workbook(io.BytesIO(body))
        rows = [[(c.value, c.number_format) for c in r] for r in streamed.active.iter_rows()]
        assert rows == [[(c.value, c.number_format) for c in r] for r in inline.active.iter_rows()]
        plan = services.roster_import(
            user=world.users["admin"], data=body, filename="花名册.xlsx", dry_run=True
        )
        assert plan.ok and plan.summary() == "新增 0 人，更新 0 人，无变化 2 人"

    def test_the_filters_and_the_scope_apply_to_the_job(
        self, world, client_for, coord_a, coord_b, django_capture_on_commit_callbacks
    ):
        _r, job = export_job(client_for("reviewer_b"), django_capture_on_commit_callbacks)
        sheet = load_workbook(io.BytesIO(downloaded(client_for("reviewer_b"), job))).active
        assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["许东"]
        Job.objects.all().delete()
        _r, job = export_job(client_for("admin"), django_capture_on_commit_callbacks, "?q=陈静")
        sheet = load_workbook(io.BytesIO(downloaded(client_for("admin"), job))).active
        assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["陈静"]

    def test_a_coordinator_still_may_not_export(self, world, client_for, coord_a):
        with override_settings(EXPORT_INLINE_ROWS=0):
            response = client_for("coordinator_a").get(reverse("staff:roster_export"))
        assert response.status_code == 403 and not Job.objects.exists()
        assert not _permitted(world.users["coordinator_a"], {})
        assert _permitted(world.users["reviewer_a"], {})


class TestListsStayPaginated:
    def test_coordinator_list_queries_do_not_grow(self, world, client_for, coord_a):
        client = client_for("admin")
        url = reverse("staff:coordinator_list")
        queries(client, url)
        few = queries(client, url)
        Coordinator.objects.bulk_create(
            Coordinator(name=f"协理员{i}", unit=world.unit_b if i % 2 else world.unit_a)
            for i in range(120)
        )
        assert queries(client, url) == few

    def test_leave_list_queries_do_not_grow(self, world, client_for, coord_a, coord_b):
        client = client_for("admin")
        year = date.today().year
        url = reverse("staff:leave_list") + f"?year={year}"

        def leave(person, day):
            start = date(year, 1 + day % 12, 1 + day % 28)
            return LeaveRequest(
                coordinator=person,
                kind=LeaveRequest.Kind.PERSONAL,
                start_date=start,
                end_date=start,
                days=rules.leave_days(start, start),
                state=LeaveRequest.State.APPROVED,
            )

        LeaveRequest.objects.bulk_create([leave(coord_a, 0)])
        queries(client, url)
        few = queries(client, url)
        LeaveRequest.objects.bulk_create(
            leave(coord_a if i % 2 else coord_b, i) for i in range(1, 120)
        )
        assert queries(client, url) == few
