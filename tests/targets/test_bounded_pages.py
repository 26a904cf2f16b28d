"""Pages and exports whose size grows with the units: paginated in SQL with a fixed number
of queries, or, for a large export, written to a file by a background job."""

import csv
import io
import json

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Job
from org.models import Unit
from targets.importing import CHANGED, NEW
from targets.models import Achievement, ImportBatch, ImportChange, Indicator, TargetAllocation
from tests.targets.test_pages import seed

pytestmark = pytest.mark.django_db


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def communities(town, n, prefix="社区"):
    return Unit.objects.bulk_create(
        Unit(
            name=f"{prefix}{town.pk}-{i:03d}",
            normalized_name=f"{prefix}{town.pk}-{i:03d}",
            kind=Unit.Kind.COMMUNITY,
            parent=town,
            sort_order=i,
        )
        for i in range(n)
    )


def downloaded(client, job) -> bytes:
    return b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)


class TestLargeTargetExport:
    @pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
    def test_above_the_limit_a_job_writes_the_same_file(
        self, fmt, world, client_for, django_capture_on_commit_callbacks
    ):
        seed(world)
        client = client_for("admin")
        url = reverse("targets:target_export", args=[2024, fmt])
        inline = client.get(url).content  # 3 units: in the request
        assert not Job.objects.exists()
        with override_settings(EXPORT_INLINE_ROWS=2):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(url)
        job = Job.objects.get()
        assert job.kind == "target_export" and response["Location"] == reverse(
            "jobs:status", args=[job.pk]
        )
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            f"正在导出 2024 年度 3 个单位的目标任务（{fmt}），完成后可在本页下载。"
        ]
        assert job.state == Job.State.DONE, job.error
        assert job.summary == f"已导出 2024 年度目标任务（{fmt}）：3 个单位、1 项指标、3 个目标值。"
        assert job.filename == f"targets-2024.{fmt}"
        body = downloaded(client, job)
        if fmt == "json":
            assert json.loads(body) == json.loads(inline)
        elif fmt == "csv":
            assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == list(
                csv.reader(io.StringIO(inline.decode("utf-8-sig")))
            )
        else:
            streamed = openpyxl.load_workbook(io.BytesIO(body)).active
            kept = openpyxl.load_workbook(io.BytesIO(inline)).active
            assert [[c.value for c in r] for r in streamed.iter_rows()] == [
                [c.value for c in r] for r in kept.iter_rows()
            ]
            assert {str(r) for r in streamed.merged_cells.ranges} == {
                str(r) for r in kept.merged_cells.ranges
            }

    def test_the_streamed_xlsx_imports_back_identically(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        from targets.importing import run_import

        seed(world)
        client = client_for("admin")
        with override_settings(EXPORT_INLINE_ROWS=1):
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("targets:target_export", args=[2024, "xlsx"]))
        body = downloaded(client, Job.objects.get())
        preview, _batch = run_import(data=body, file_name="t.xlsx", year=2024, dry_run=True)
        assert preview.ok, preview.errors
        assert preview.counts[CHANGED] == 0 and preview.counts[NEW] == 0

    def test_a_reviewers_job_holds_their_units_only(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        seed(world)
        client = client_for("reviewer_a")
        with override_settings(EXPORT_INLINE_ROWS=1):
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("targets:target_export", args=[2024, "json"]))
        items = json.loads(downloaded(client, Job.objects.get()))
        assert {i["unit"] for i in items} == {"淹城社区", "何留社区"}

    def test_following_the_link_asks_before_it_makes_anything(self, world, client_for):
        seed(world)
        with override_settings(EXPORT_INLINE_ROWS=1):
            page = client_for("admin").get(reverse("targets:target_export", args=[2024, "xlsx"]))
        assert page.status_code == 200 and "年度" in page.content.decode()
        assert "开始生成" in page.content.decode()
        assert not Job.objects.exists()

    def test_a_year_without_targets_is_still_404(self, world, client_for):
        with override_settings(EXPORT_INLINE_ROWS=0):
            response = client_for("admin").get(reverse("targets:target_export", args=[1999, "csv"]))
        assert response.status_code == 404 and not Job.objects.exists()


class TestUnitList:
    def test_twenty_towns_a_page_with_their_communities(self, world, client_for):
        towns = Unit.objects.bulk_create(
            Unit(
                name=f"镇{i:02d}",
                normalized_name=f"镇{i:02d}",
                kind=Unit.Kind.TOWN,
                parent=world.bureau,
                sort_order=10 + i,
            )
            for i in range(25)
        )
        communities(towns[-1], 3)
        client = client_for("admin")
        url = reverse("targets:unit_list")
        _n, first = queries(client, url)
        assert "湖塘镇" in first and "淹城社区" in first and "镇17" in first and "镇18" not in first
        assert "第 1 / 2 页，共 27 条" in first
        _n, second = queries(client, url + "?page=2")
        assert "镇18" in second and f"社区{towns[-1].pk}-002" in second and "湖塘镇" not in second

    def test_queries_do_not_grow_with_towns_or_communities(self, world, client_for):
        client = client_for("admin")
        url = reverse("targets:unit_list")
        queries(client, url)
        few, _text = queries(client, url)
        for i in range(30):
            town = Unit.objects.create(name=f"新镇{i}", kind=Unit.Kind.TOWN, parent=world.bureau)
            communities(town, 5)
        many, _text = queries(client, url)
        assert many == few

    def test_a_reviewer_sees_their_town_only(self, world, client_for):
        _n, text = queries(client_for("reviewer_b"), reverse("targets:unit_list"))
        assert "东陈村" in text and "湖塘镇" not in text


class TestImportBatchPage:
    def batch(self, world, n, prefix="变更"):
        indicator, _new = Indicator.objects.get_or_create(name="就业人数", measure="人")
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.TARGETS, year=2024, source="t.xlsx"
        )
        units = communities(world.town_a, n, prefix=prefix)
        ImportChange.objects.bulk_create(
            ImportChange(batch=batch, unit=u, indicator=indicator, action="new", new_value=i)
            for i, u in enumerate(units)
        )
        return batch

    def test_a_hundred_changes_a_page(self, world, client_for):
        batch = self.batch(world, 250)
        client = client_for("admin")
        url = reverse("targets:import_batch", args=[batch.pk])
        _n, text = queries(client, url)
        assert text.count("<tr><td>变更") == 100 and "第 1 / 3 页，共 250 条" in text
        _n, last = queries(client, url + "?page=3")
        assert last.count("<tr><td>变更") == 50

    def test_queries_do_not_grow_with_the_changes(self, world, client_for):
        client = client_for("admin")
        small = self.batch(world, 3)
        queries(client, reverse("targets:import_batch", args=[small.pk]))
        few, _t = queries(client, reverse("targets:import_batch", args=[small.pk]))
        large = self.batch(world, 300, prefix="大批")
        many, _t = queries(client, reverse("targets:import_batch", args=[large.pk]))
        assert many == few


class TestCompletionPages:
    def many(self, world, n):
        indicator, heliu = seed(world)
        units = communities(world.town_b, n, prefix="完成")
        TargetAllocation.objects.bulk_create(
            TargetAllocation(year=2024, indicator=indicator, unit=u, target=100) for u in units
        )
        Achievement.objects.bulk_create(
            Achievement(year=2024, indicator=indicator, unit=u, actual=i, as_of="2024-06-30")
            for i, u in enumerate(units)
        )
        return indicator

    def test_a_hundred_rows_a_page_sorted_across_pages_and_filters_kept(self, world, client_for):
        indicator = self.many(world, 150)
        client = client_for("admin")
        url = reverse("targets:completion", args=[indicator.pk])
        _n, first = queries(client, f"{url}?sort=-rate")
        # 149% … 121%, then 何留社区 at 120%, then on down the 东陈镇 units
        assert first.index(f"完成{world.town_b.pk}-149") < first.index("何留社区")
        assert first.index("何留社区") < first.index(f"完成{world.town_b.pk}-119")
        assert "第 1 / 2 页，共 153 条" in first
        assert "?year=2024&amp;sort=-rate&amp;page=2" in first
        _n, second = queries(client, f"{url}?sort=-rate&page=2")
        # the rows without an actual (东陈村: 未填报) come last
        assert "东陈村" in second and "未填报" in second
        assert second.index(f"完成{world.town_b.pk}-000") < second.index("东陈村")
        _n, town = queries(client, f"{url}?town={world.town_a.pk}&sort=rate")
        # the rows of the units' table (the last on the page, after the chart's table)
        assert "完成" not in town.split("<tbody>")[-1] and "东陈村" not in town
        assert town.index("淹城社区") < town.index("何留社区")

    def test_queries_do_not_grow_with_the_units(self, world, client_for):
        indicator, _heliu = seed(world)
        client = client_for("admin")
        url = reverse("targets:completion", args=[indicator.pk]) + "?sort=-rate"
        queries(client, url)
        few, _t = queries(client, url)
        TargetAllocation.objects.bulk_create(
            TargetAllocation(year=2024, indicator=indicator, unit=u, target=10)
            for u in communities(world.town_b, 200, prefix="完成")
        )
        many, _t = queries(client, url)
        assert many == few
