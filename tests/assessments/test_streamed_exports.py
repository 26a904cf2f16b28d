"""The streamed exports give the same documents as the in-memory exports they replaced.

``legacy_*`` below are the exports as they were (read every sheet's item inputs, build the
whole document in memory): kept here as the reference the streamed ones must match.
"""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl.styles import Alignment, Border, Font, Side

from assessments import compute, exports, services
from assessments.models import Assessment, Cycle
from assessments.selectors import cycle_engine_inputs
from assessments.sheet_page import read_form
from assessments.sides import RESULT_SIDE, SIDES
from kit.spreadsheets import put
from rubrics.selectors import engine_rubric_for
from tests.assessments.exporting import exported
from tests.assessments.forms import best_answers

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ the replaced code

LEGACY_THIN = Side(style="thin", color="000000")
LEGACY_BOX = Border(left=LEGACY_THIN, right=LEGACY_THIN, top=LEGACY_THIN, bottom=LEGACY_THIN)


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def legacy_results_json(cycle: Cycle) -> list[dict]:
    gathered = {
        s.unit_id if not s.coordinator_id else ("c", s.coordinator_id): s
        for s in cycle_engine_inputs(cycle).subjects
    }
    items_meta = list(
        cycle.rubric.items.order_by("section__order", "order").values_list("key", "number", "title")
    )
    out = []
    for r in cycle.results.select_related("unit", "coordinator").order_by("rank", "id"):
        phases = r.detail.get("phases", {})
        subject = gathered.get(r.unit_id if not r.coordinator_id else ("c", r.coordinator_id))
        items = []
        for key, number, title in items_meta:
            entry = {"key": key, "number": number, "title": title}
            # the compared sides (自评 …) from the sheets, the result side from the result
            for side in SIDES:
                if side != RESULT_SIDE:
                    scores = subject.side_scores.get(side, {}) if subject else {}
                    entry[side] = {phase: _dec(scores.get(phase, {}).get(key)) for phase in phases}
            entry[RESULT_SIDE] = {
                phase: _dec(data["scores"].get(key)) for phase, data in phases.items()
            }
            items.append(entry)
        first = next(iter(phases.values()), {})
        out.append(
            {
                "unit": r.unit.name,
                "coordinator": r.coordinator.name if r.coordinator_id else None,
                "town": r.town_name or None,
                "phase_totals": {k: _dec(v) for k, v in r.phase_totals.items()},
                "items": items,
                "sections": [
                    {
                        "title": s["title"],
                        "subtotal": _dec(s["subtotal"]),
                        "max": _dec(s["items_max"]),
                    }
                    for s in first.get("sections", [])
                ],
                "base_total": _num(r.base_total),
                "bonus": _num(r.bonus),
                "penalties": _num(r.penalties),
                "total": _num(r.total),
                "veto_item": r.veto_item or None,
                "rank": r.rank,
                "grade_before_quota": r.grade_before_quota,
                "grade": r.grade,
                "subsidy_percent": _num(r.subsidy_percent),
                "subsidy_amount": _num(r.subsidy_amount),
                "award_eligible": r.award_eligible,
                "notes": r.flags,
            }
        )
    return out


def _dec(text):
    from decimal import Decimal

    if text in (None, ""):
        return None
    return _num(Decimal(str(text)))


LEGACY_HEADERS = [
    "名次",
    "单位",
    "镇（街道）",
    "过程考核",
    "年度考核",
    "基础分",
    "加分",
    "扣分",
    "总分",
    "一票否决",
    "等次",
    "补助比例（%）",
    "补助金额（元）",
    "备注",
]


def legacy_results_xlsx(cycle: Cycle) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEGACY_HEADERS))
    put(ws, 1, 1, f"{cycle.title}结果汇总表").font = Font(bold=True, size=15)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(
        2,
        1,
        f"评分标准：{cycle.rubric.title}（第 {cycle.rubric.version} 版）    状态：{cycle.get_state_display()}",
    )
    for col, header in enumerate(LEGACY_HEADERS, start=1):
        cell = ws.cell(3, col, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = LEGACY_BOX
    row = 4
    amount_total = 0
    for r in cycle.results.select_related("unit", "coordinator").order_by("rank", "id"):
        name = f"{r.coordinator.name}（{r.unit.name}）" if r.coordinator_id else r.unit.name
        values = [
            r.rank,
            name,
            r.town_name,
            _dec(r.phase_totals.get("process")),
            _dec(r.phase_totals.get("annual")),
            _num(r.base_total),
            _num(r.bonus),
            _num(r.penalties),
            _num(r.total),
            r.veto_item,
            r.grade,
            _num(r.subsidy_percent),
            _num(r.subsidy_amount),
            "；".join(r.flags),
        ]
        for col, value in enumerate(values, start=1):
            cell = put(ws, row, col, value)
            cell.border = LEGACY_BOX
        amount_total += r.subsidy_amount or 0
        row += 1
    ws.cell(row, 1, "合计").font = Font(bold=True)
    ws.cell(row, 13, _num(amount_total) if amount_total else 0).font = Font(bold=True)
    for col in range(1, len(LEGACY_HEADERS) + 1):
        ws.cell(row, col).border = LEGACY_BOX
    widths = [6, 22, 14, 9, 9, 8, 7, 7, 8, 16, 8, 10, 12, 40]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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
        assert merged == ["A1:N1"]
        assert [r for r in rows if r[1] is not None] == [r for r in old_rows if r[1] is not None]
        boxed = {r[0] for r in rows if r[5] == "thin"}
        assert boxed == {r[0] for r in old_rows if r[5] == "thin"}
        assert ws.print_title_rows == old_ws.print_title_rows == "$3:$3"
        assert ws.page_setup.orientation == "landscape"
        assert ws.cell(6, 1).value == "合计"
        assert ws.cell(6, 13).value == sum(ws.cell(r, 13).value for r in (4, 5))

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
