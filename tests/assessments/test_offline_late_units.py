"""The offline workbook when some unit is always late: blank rows are ignored, units that
have not submitted are marked in the download and left out of a review import, the others
are imported."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Cycle, ItemScore
from assessments.sides import Side
from assessments.workbook import NOT_SUBMITTED, blank_workbook
from rubrics.selectors import engine_rubric_for

pytestmark = pytest.mark.django_db

ITEM_6 = "6 准确采集社区内离退休人员、失业人员信息。（得分）"


def one_late(world):
    """Review open; 淹城社区 submitted, 东陈村 still in draft (late)."""
    cycle = world.cycle
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
    cycle.assessments.update(state=Assessment.State.DRAFT)
    cycle.assessments.filter(unit=world.unit_a).update(state=Assessment.State.SUBMITTED)
    cycle.refresh_from_db()
    return cycle


def sheets_of(cycle):
    return list(cycle.assessments.select_related("unit", "cycle__rubric").order_by("id"))


def workbook(cycle, fill: dict, *, blank_row_between=False) -> bytes:
    """The admin's workbook with item 6 set per unit name (units not in ``fill`` blank)."""
    parsed = engine_rubric_for(cycle.rubric)
    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook(parsed, cycle.title, sheets_of(cycle))))
    ws = wb["评分表"]
    headers = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=4):
        if row[1].value in fill:
            row[headers.index(ITEM_6)].value = fill[row[1].value]
    if blank_row_between:
        ws.insert_rows(4)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def review_import(cycle, content, *, commit, expected=None, user=None):
    return services.scores_import(
        cycle=cycle,
        content=content,
        side=Side.REVIEW,
        user=user,
        sheets=sheets_of(cycle),
        commit=commit,
        expected=expected,
    )


def review_scores(cycle):
    return dict(
        ItemScore.objects.filter(
            assessment__cycle=cycle, side=Side.REVIEW, item__key="6"
        ).values_list("assessment__unit__name", "score")
    )


class TestDownloadedWorkbook:
    def test_a_unit_that_has_not_submitted_is_marked_in_its_row(self, world, client_for):
        cycle = one_late(world)
        response = client_for("admin").get(reverse("assessments:score_workbook", args=[cycle.pk]))
        # an administrator's whole cycle (two towns) is made by a job; the service is the same
        parsed = engine_rubric_for(cycle.rubric)
        ws = openpyxl.load_workbook(
            io.BytesIO(blank_workbook(parsed, cycle.title, sheets_of(cycle)))
        )["评分表"]
        notes = {row[1].value: row[-1].value for row in ws.iter_rows(min_row=4)}
        assert notes == {"淹城社区": None, "东陈村": NOT_SUBMITTED}
        assert response.status_code == 200

    def test_a_town_reviewers_download_marks_nothing_when_all_submitted(self, world, client_for):
        cycle = one_late(world)
        response = client_for("reviewer_a").get(
            reverse("assessments:score_workbook", args=[cycle.pk])
        )
        ws = openpyxl.load_workbook(io.BytesIO(response.content))["评分表"]
        assert ws.cell(2, ws.max_column).value == "备注"
        assert [r[1].value for r in ws.iter_rows(min_row=4)] == ["淹城社区"]
        assert ws.cell(4, ws.max_column).value is None


class TestReviewImportWithALateUnit:
    def test_the_late_units_blank_row_is_ignored_and_the_rest_imported(self, world):
        cycle = one_late(world)
        content = workbook(cycle, {"淹城社区": 2})
        preview = review_import(cycle, content, commit=False)
        assert preview.ok and preview.left_out == []
        assert [(c[0], c[3]) for c in preview.changes] == [("淹城社区", "得分 2")]
        saved = review_import(cycle, content, commit=True, expected=preview.fingerprint())
        assert saved.saved
        assert set(review_scores(cycle)) == {"淹城社区"}

    def test_a_late_unit_with_scores_is_left_out_and_named_and_the_rest_imported(self, world):
        cycle = one_late(world)
        content = workbook(cycle, {"淹城社区": 2, "东陈村": 1})
        preview = review_import(cycle, content, commit=False)
        assert preview.ok
        assert preview.left_out == [("东陈村", "该单位尚未提交自评，暂不能评分。")]
        assert [c[0] for c in preview.changes] == ["淹城社区"]
        saved = review_import(cycle, content, commit=True, expected=preview.fingerprint())
        assert saved.saved
        assert set(review_scores(cycle)) == {"淹城社区"}
        assert not ItemScore.objects.filter(
            assessment__unit=world.unit_b, side=Side.REVIEW
        ).exists()

    def test_an_empty_row_between_units_is_ignored(self, world):
        cycle = one_late(world)
        content = workbook(cycle, {"淹城社区": 2}, blank_row_between=True)
        preview = review_import(cycle, content, commit=False)
        assert preview.ok, preview.errors
        assert [c[0] for c in preview.changes] == ["淹城社区"]

    def test_the_preview_page_names_the_left_out_unit_in_chinese(self, world, client_for):
        cycle = one_late(world)
        client = client_for("admin")
        url = reverse("assessments:score_import", args=[cycle.pk])
        upload = SimpleUploadedFile("scores.xlsx", workbook(cycle, {"淹城社区": 2, "东陈村": 1}))
        page = client.post(url, {"file": upload, "side": "review"})
        text = page.content.decode()
        assert page.status_code == 200
        assert "以下 1 个单位的行不导入" in text and "东陈村：该单位尚未提交自评" in text
        assert "有错误" not in text
        confirmed = client.post(url, {"token": page.context["token"], "confirm": "1"}, follow=True)
        assert "东陈村 1 个单位未提交或不能修改，未导入" in confirmed.content.decode()
        assert set(review_scores(cycle)) == {"淹城社区"}

    def test_a_changed_input_previews_in_words_not_as_stored(self, world):
        cycle = one_late(world)
        preview = review_import(cycle, workbook(cycle, {"淹城社区": 2}), commit=False)
        name, item, old, new = preview.changes[0]
        assert (old, new) == ("空", "得分 2")
        assert "{" not in old + new


class TestSameRulesAsTheSheetPage:
    def test_the_target_tables_numbers_win_over_typed_ones_as_on_the_sheet_page(self, world):
        from assessments.workbook import columns_for
        from targets.models import Indicator, TargetAllocation
        from tests.assessments.test_linked import hutang_cycle

        cycle = hutang_cycle(world)
        indicator = Indicator.objects.create(name="社保扩面人数", measure="人")
        TargetAllocation.objects.create(
            year=2014, indicator=indicator, unit=world.unit_a, target=40
        )
        cycle.assessments.update(state=Assessment.State.SUBMITTED)
        parsed = engine_rubric_for(cycle.rubric)
        headers = {(item.key, key): header for item, key, header in columns_for(parsed)}
        wb = openpyxl.load_workbook(
            io.BytesIO(blank_workbook(parsed, cycle.title, sheets_of(cycle)))
        )
        ws = wb["评分表"]
        row = [c.value for c in ws[2]]
        ws.cell(4, row.index(headers[("21", "target")]) + 1).value = 50  # typed, not the table's
        ws.cell(4, row.index(headers[("21", "actual")]) + 1).value = 30
        out = io.BytesIO()
        wb.save(out)
        preview = review_import(cycle, out.getvalue(), commit=False)
        assert preview.ok, preview.errors
        (change,) = [c for c in preview.changes if c[1].startswith("第 21 项")]
        assert change[3] == "目标 40，完成 30"
        saved = review_import(cycle, out.getvalue(), commit=True, expected=preview.fingerprint())
        assert saved.saved
        stored = ItemScore.objects.get(assessment__cycle=cycle, item__key="21", side=Side.REVIEW)
        assert stored.input["target"] == "40"
