"""The streamed exports give the same documents as the in-memory exports they replaced.

``legacy_*`` (tests/assessments/reference_exports.py) are the exports as they were (read
every sheet's item inputs, build the whole document in memory): the reference the streamed
ones must match.
"""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import compute, exports, services
from assessments.models import Assessment, Cycle
from assessments.sheet_page import read_form
from rubrics.selectors import engine_rubric_for
from tests.assessments.exporting import exported
from tests.assessments.forms import best_answers
from tests.assessments.reference_exports import legacy_results_json, legacy_results_xlsx

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ the test world, scored


def scored(world, *, process_weight=0, title=None):
    """The world's units in a cycle with both sides filled and scored differently (self the
    best answers, the review a lower score on discretionary items), computed."""
    admin = world.users["admin"]
    if title is None and not process_weight:
        cycle = world.cycle
    else:
        cycle = services.cycle_create(
            title=title,
            year=2026,
            rubric=world.cycle.rubric,
            units=[world.unit_a, world.unit_b],
            user=admin,
            process_weight=process_weight,
            annual_weight=100 - process_weight,
            base_subsidy=Decimal("20000"),
        )
        services.cycle_step(cycle=cycle, action="open_self", user=admin)
    parsed = engine_rubric_for(cycle.rubric)
    for side, prefix in (("self", "s"), ("review", "r")):
        if side == "review":
            Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
            cycle.assessments.update(state=Assessment.State.SUBMITTED)
        for n, sheet in enumerate(cycle.assessments.order_by("id")):
            lower = None if side == "self" else (lambda i, n=n: max(i.max_points - 1 - n, 0))
            inputs, _notes = read_form(parsed, best_answers(parsed, prefix, score_of=lower), side)
            saved = services.sheet_save(
                sheet=Assessment.objects.get(pk=sheet.pk),
                user=admin,
                side=side,
                inputs=inputs,
                notes={},
                expected_version=sheet.version,
            )
            assert saved.saved, saved.errors
    compute.cycle_compute(cycle=cycle, user=admin)
    return Cycle.objects.select_related("rubric").get(pk=cycle.pk)


def streamed_json(cycle, indent=None) -> str:
    buffer = io.StringIO()
    exports.write_results_json(cycle, buffer, indent=indent)
    return buffer.getvalue()


def cells(content: bytes):
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            rows.append(
                (
                    c.coordinate,
                    c.value,
                    c.data_type,
                    c.font.b,
                    c.font.sz,
                    c.border.left.style,
                    c.alignment.horizontal,
                    c.alignment.wrap_text,
                )
            )
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
    return ws.title, rows, sorted(map(str, ws.merged_cells.ranges)), widths, ws


class TestStreamedJson:
    def test_is_the_document_of_the_replaced_export_byte_for_byte(self, world):
        cycle = scored(world)
        old = legacy_results_json(cycle)
        assert any(i["self"]["annual"] for r in old for i in r["items"])
        assert streamed_json(cycle) == json.dumps(old, ensure_ascii=False)
        assert streamed_json(cycle, indent=2) == json.dumps(old, ensure_ascii=False, indent=2)

    def test_two_phases_and_subsidies_match_too(self, world):
        cycle = scored(world, process_weight=30, title="两阶段考核")
        old = legacy_results_json(cycle)
        assert set(old[0]["phase_totals"]) == {"process", "annual"}
        assert old[0]["subsidy_amount"] is not None
        assert streamed_json(cycle) == json.dumps(old, ensure_ascii=False)

    def test_reads_the_stored_results_not_the_item_inputs(self, world, django_assert_num_queries):
        cycle = scored(world)
        with django_assert_num_queries(3):  # the items, the count, the results
            streamed_json(cycle)

    def test_an_empty_cycle_is_an_empty_array(self, world):
        cycle = scored(world)
        cycle.results.all().delete()
        assert streamed_json(cycle) == "[]"
        assert streamed_json(cycle, indent=2) == "[]"

    def test_the_command_writes_the_indented_document(self, world, tmp_path):
        cycle = scored(world)
        out = tmp_path / "r.json"
        call_command(
            "export_results", "--cycle", str(cycle.pk), "--format", "json", "--out", str(out)
        )
        expected = json.dumps(legacy_results_json(cycle), ensure_ascii=False, indent=2) + "\n"
        assert out.read_text(encoding="utf-8") == expected


class TestStreamedXlsx:
    def test_has_the_cells_styles_and_layout_of_the_replaced_export(self, world):
        cycle = scored(world, process_weight=30, title="两阶段考核")
        old_title, old_rows, old_merged, old_widths, old_ws = cells(legacy_results_xlsx(cycle))
        title, rows, merged, widths, ws = cells(exports.results_xlsx(cycle))
        assert (title, merged, widths) == (old_title, old_merged, old_widths)
        assert merged == ["A1:O1"]
        assert [r for r in rows if r[1] is not None] == [r for r in old_rows if r[1] is not None]
        boxed = {r[0] for r in rows if r[5] == "thin"}
        assert boxed == {r[0] for r in old_rows if r[5] == "thin"}
        assert ws.print_title_rows == old_ws.print_title_rows == "$3:$3"
        assert ws.page_setup.orientation == "landscape"
        assert ws.cell(6, 1).value == "合计"
        assert ws.cell(6, 14).value == sum(ws.cell(r, 14).value for r in (4, 5))

    def test_reads_no_item_inputs(self, world, django_assert_num_queries):
        cycle = scored(world)
        with django_assert_num_queries(2):  # the count, the results
            exports.results_xlsx(cycle)

    def test_formula_like_names_and_titles_are_text(self, world):
        cycle = scored(world)
        world.unit_a.name = '=HYPERLINK("http://x","y")'
        world.unit_a.save()
        Cycle.objects.filter(pk=cycle.pk).update(title="+1+1考核")
        cycle = Cycle.objects.select_related("rubric").get(pk=cycle.pk)
        ws = openpyxl.load_workbook(io.BytesIO(exports.results_xlsx(cycle))).active
        texts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        risky = [c for c in texts if c.value.startswith(("=", "+"))]
        assert {c.value for c in risky} >= {"+1+1考核结果汇总表", world.unit_a.name}
        assert all(c.data_type == "s" and c.quotePrefix for c in risky)


class TestFilename:
    def test_is_chinese_and_has_no_path_characters(self, world):
        cycle = world.cycle
        assert exports.export_filename(cycle, "xlsx") == "汇总表-2026年社区平台考核.xlsx"
        cycle.title = "a/b:c"
        assert exports.export_filename(cycle, "json") == "考核结果-a_b_c.json"


class TestExportJobs:
    def test_the_xlsx_export_runs_as_a_job_with_a_chinese_name_and_summary(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = scored(world)
        job, content = exported(
            client_for("admin"), cycle, "xlsx", capture=django_capture_on_commit_callbacks
        )
        assert job.kind == "results_xlsx" and job.params == {"cycle": cycle.pk}
        assert job.summary == "已导出「2026年社区平台考核」的 2 条结果（xlsx）"
        assert job.filename == "汇总表-2026年社区平台考核.xlsx"
        assert cells(content)[1] == cells(legacy_results_xlsx(cycle))[1]
        assert (job.progress_done, job.progress_total) == (2, 2)

    def test_the_json_export_runs_as_a_job_and_gives_the_document(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = scored(world)
        job, content = exported(
            client_for("admin"), cycle, "json", capture=django_capture_on_commit_callbacks
        )
        assert job.summary == "已导出「2026年社区平台考核」的 2 条结果（json）"
        assert job.filename == "考核结果-2026年社区平台考核.json"
        assert content.decode() == json.dumps(legacy_results_json(cycle), ensure_ascii=False)

    def test_a_cycle_without_results_enqueues_nothing(self, world, client_for):
        from jobs.models import Job

        cycle = world.cycle
        Cycle.objects.filter(pk=cycle.pk).update(computed_at=None)
        url = reverse("assessments:results_export", args=[cycle.pk])
        response = client_for("admin").post(url, {"format": "json"}, follow=True)
        assert "还没有计算结果，不能导出" in response.content.decode()
        assert not Job.objects.exists()

    def test_others_may_not_export_and_nothing_is_enqueued(self, world, client_for):
        from jobs.models import Job

        url = reverse("assessments:results_export", args=[world.cycle.pk])
        assert client_for("reviewer_a").post(url, {"format": "xlsx"}).status_code == 403
        assert client_for("admin").get(url).status_code == 405
        assert not Job.objects.exists()

    def test_a_cycle_deleted_before_the_job_runs_fails_it_in_chinese(
        self, world, django_capture_on_commit_callbacks
    ):
        from jobs.models import Job
        from jobs.services import job_enqueue

        with django_capture_on_commit_callbacks(execute=True):
            job = job_enqueue(
                kind="results_json", params={"cycle": 999999}, user=world.users["admin"]
            )
        job.refresh_from_db()
        assert job.state == Job.State.FAILED
        assert job.error == "该考核周期已不存在，未能导出结果。"

    def test_a_failed_export_may_be_resubmitted_by_an_administrator_only(self, world):
        from jobs.registry import get_kind

        kind = get_kind("results_xlsx")
        assert kind.permitted(world.users["admin"], {"cycle": world.cycle.pk})
        assert not kind.permitted(world.users["reviewer_a"], {"cycle": world.cycle.pk})
