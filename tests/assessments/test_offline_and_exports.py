import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Change, Cycle, ItemScore
from assessments.sides import Side
from assessments.workbook import blank_workbook
from rubrics.selectors import engine_rubric_for
from tests.assessments.exporting import exported

pytestmark = pytest.mark.django_db


def reviewing(world):
    cycle = world.cycle
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
    cycle.assessments.update(state=Assessment.State.SUBMITTED)
    cycle.refresh_from_db()
    return cycle


def filled_workbook(cycle, fill) -> bytes:
    parsed = engine_rubric_for(cycle.rubric)
    sheets = list(cycle.assessments.select_related("unit", "cycle__rubric"))
    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook(parsed, cycle.title, sheets)))
    ws = wb["评分表"]
    headers = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=4):
        for header, value in fill(row[1].value).items():
            row[headers.index(header)].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class TestScoreWorkbook:
    def test_blank_workbook_lists_units_and_item_max_points(self, world, client_for):
        cycle = reviewing(world)
        response = client_for("reviewer_a").get(
            reverse("assessments:score_workbook", args=[cycle.pk])
        )
        ws = openpyxl.load_workbook(io.BytesIO(response.content))["评分表"]
        assert [r[1].value for r in ws.iter_rows(min_row=4)] == ["淹城社区"]  # town A only
        headers = [c.value for c in ws[2]]
        col = headers.index("6 准确采集社区内离退休人员、失业人员信息。（得分）")
        assert ws.cell(3, col + 1).value == 3

    def test_filled_workbook_previews_then_saves_all(self, world, tmp_path):
        cycle = reviewing(world)
        content = filled_workbook(
            cycle,
            lambda unit: {
                "6 准确采集社区内离退休人员、失业人员信息。（得分）": 2.5,
                "1 设立社区人社工作平台，并正式挂牌。（符合/不符合）": "符合",
            },
        )
        path = tmp_path / "filled.xlsx"
        path.write_bytes(content)
        call_command(
            "import_scores", str(path), "--cycle", str(cycle.pk), "--as", "review", "--dry-run"
        )
        assert not ItemScore.objects.exists()
        call_command("import_scores", str(path), "--cycle", str(cycle.pk), "--as", "review")
        scores = ItemScore.objects.filter(item__key="6", side=Side.REVIEW).values_list(
            "assessment__unit__name", "score"
        )
        assert sorted(scores) == [("东陈村", Decimal("2.5")), ("淹城社区", Decimal("2.5"))]

    def test_one_bad_cell_means_nothing_is_saved_and_the_cell_is_named(self, world, tmp_path):
        cycle = reviewing(world)

        def fill(unit):
            score = 9 if unit == "东陈村" else 2
            return {"6 准确采集社区内离退休人员、失业人员信息。（得分）": score}

        path = tmp_path / "bad.xlsx"
        path.write_bytes(filled_workbook(cycle, fill))
        with pytest.raises(CommandError):
            call_command("import_scores", str(path), "--cycle", str(cycle.pk), "--as", "review")
        assert not ItemScore.objects.exists()
        report = services.scores_import(
            cycle=cycle,
            content=path.read_bytes(),
            side="review",
            user=None,
            sheets=list(cycle.assessments.all()),
            commit=True,
        )
        assert any("第 5 行「东陈村」" in e and "第 6 项" in e for e in report.errors)

    def test_a_sheet_saved_online_after_the_preview_stops_the_confirm(self, world, client_for):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db.models import F

        cycle = reviewing(world)
        content = filled_workbook(
            cycle, lambda unit: {"6 准确采集社区内离退休人员、失业人员信息。（得分）": 2}
        )
        client = client_for("admin")
        url = reverse("assessments:score_import", args=[cycle.pk])
        upload = SimpleUploadedFile("scores.xlsx", content)
        preview = client.post(url, {"file": upload, "side": "review"})
        assert "将修改 2 项" in preview.content.decode()
        cycle.assessments.update(version=F("version") + 1)  # someone saved a sheet online
        token = preview.context["token"]
        again = client.post(url, {"token": token, "side": "review", "confirm": "1"})
        assert again.status_code == 200
        assert "预览之后文件或系统中的数据有变化，未导入任何内容" in again.content.decode()
        assert not ItemScore.objects.exists()
        # The page showed the new preview; confirming it saves.
        done = client.post(url, {"token": token, "side": "review", "confirm": "1"})
        assert done.status_code == 302 and ItemScore.objects.filter(item__key="6").count() == 2

    def test_a_text_file_named_xlsx_is_refused_in_words(self, world, client_for):
        from django.core.files.uploadedfile import SimpleUploadedFile

        cycle = reviewing(world)
        upload = SimpleUploadedFile("scores.xlsx", "单位,得分\n".encode(), content_type="text/csv")
        response = client_for("admin").post(
            reverse("assessments:score_import", args=[cycle.pk]), {"file": upload, "side": "review"}
        )
        assert response.status_code == 200
        assert "不是有效的 Excel" in response.content.decode()
        assert not ItemScore.objects.exists()


class TestResultsExports:
    def test_json_export_has_the_documented_keys(self, world, tmp_path):
        cycle = world.cycle
        out = tmp_path / "r.json"
        call_command(
            "export_results", "--cycle", str(cycle.pk), "--format", "json", "--out", str(out)
        )
        rows = json.loads(out.read_text(encoding="utf-8"))
        assert {r["unit"] for r in rows} == {"淹城社区", "东陈村"}
        assert set(rows[0]) >= {
            "unit",
            "items",
            "sections",
            "bonus",
            "penalties",
            "total",
            "veto_item",
            "rank",
            "grade_before_quota",
            "grade",
            "subsidy_percent",
            "subsidy_amount",
        }
        assert len(rows[0]["items"]) == 30

    def test_xlsx_summary_has_title_header_and_total_row(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = world.cycle
        _job, content = exported(
            client_for("admin"), cycle, capture=django_capture_on_commit_callbacks
        )
        ws = openpyxl.load_workbook(io.BytesIO(content)).active
        assert ws.cell(1, 1).value == "2026年社区平台考核结果汇总表"
        assert ws.cell(3, 2).value == "单位"
        assert ws.cell(6, 1).value == "合计"

    def test_compute_command_reports_the_grades(self, world, capsys):
        call_command("compute_results", "--cycle", str(world.cycle.pk))
        assert "已计算「2026年社区平台考核」2 个结果" in capsys.readouterr().out
        assert Change.objects.filter(cycle=world.cycle, what="computed").count() == 2

    def test_unknown_cycle_is_a_clear_error(self, world):
        with pytest.raises(CommandError, match="没有编号为 999999 的考核周期"):
            call_command("compute_results", "--cycle", "999999")
