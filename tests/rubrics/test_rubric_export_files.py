"""A rubric exported as the office's table: every item's number, title, points and rule text
in order, section rows merged across, a total row, the grade bands under the table."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from rubrics.export_files import export_rubric
from rubrics.models import Item
from tests.conftest import import_seed_rubric

SEEDS = [
    "changzhou-community",
    "changzhou-village",
    "hutang-2014-community",
    "rugao-2018-town",
    "xinjian-2021-window",
    "xinyi-coordinator",
]


def _items(rubric):
    return list(Item.objects.filter(rubric=rubric).order_by("section__order", "order", "id"))


def _xlsx_rows(data: bytes):
    sheet = load_workbook(BytesIO(data)).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.django_db
class TestExcelExport:
    @pytest.mark.parametrize("code", SEEDS)
    def test_every_item_is_a_row_in_order_with_its_number_title_points_and_rule(self, code):
        rubric = import_seed_rubric(code)
        _sheet, rows = _xlsx_rows(export_rubric(rubric, "xlsx"))
        item_rows = [r for r in rows if r[2] is not None and r[0] != "合计" and r[2] != "分值"]
        items = _items(rubric)
        assert [r[0] or "" for r in item_rows] == [i.number for i in items]
        assert [r[1].split("\n")[0] for r in item_rows] == [i.title for i in items]
        assert [Decimal(str(r[2])) for r in item_rows] == [i.max_points for i in items]
        assert [r[3] or "" for r in item_rows] == [i.rule_text for i in items]

    def test_title_headers_merged_sections_total_and_bands(self):
        rubric = import_seed_rubric("changzhou-community")
        sheet, rows = _xlsx_rows(export_rubric(rubric, "xlsx"))
        assert rows[0][0] == rubric.title
        assert rows[1] == ["序号", "考核内容", "分值", "评分标准"]
        assert rows[2][0] == "一、社区平台建设（15分）"
        assert "A3:D3" in {str(r) for r in sheet.merged_cells.ranges}
        [total] = [r for r in rows if r[0] == "合计"]
        assert Decimal(str(total[2])) == Decimal("100")
        texts = [r[0] for r in rows if r[0]]
        assert "优秀：90 分以上（补助 120%）" in texts

    def test_text_that_looks_like_a_formula_stays_text(self):
        rubric = import_seed_rubric("changzhou-community")
        Item.objects.filter(rubric=rubric, number="1").update(rule_text='=HYPERLINK("x")')
        sheet, rows = _xlsx_rows(export_rubric(rubric, "xlsx"))
        [cell] = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
        assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.django_db
class TestWordExport:
    @pytest.mark.parametrize("code", SEEDS)
    def test_every_item_is_a_row_in_order_with_its_number_title_points_and_rule(self, code):
        rubric = import_seed_rubric(code)
        document = Document(BytesIO(export_rubric(rubric, "docx")))
        [table] = document.tables
        rows = [[c.text for c in row.cells] for row in table.rows]
        assert rows[0] == ["序号", "考核内容", "分值", "评分标准"]
        item_rows = [r for r in rows[1:-1] if len(set(r)) > 1]
        items = _items(rubric)
        assert [r[0] for r in item_rows] == [i.number for i in items]
        assert [r[1].split("\n")[0] for r in item_rows] == [i.title for i in items]
        assert [Decimal(r[2]) for r in item_rows] == [i.max_points for i in items]
        assert [r[3] for r in item_rows] == [i.rule_text for i in items]
        assert rows[-1][0] == "合计"

    def test_sections_span_the_table_and_bands_follow_it(self):
        rubric = import_seed_rubric("changzhou-community")
        document = Document(BytesIO(export_rubric(rubric, "docx")))
        row = document.tables[0].rows[1]
        assert {c.text for c in row.cells} == {"一、社区平台建设（15分）"}
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs[0] == rubric.title
        assert "优秀：90 分以上（补助 120%）" in paragraphs


@pytest.mark.django_db
class TestExportDownload:
    @pytest.mark.parametrize("fmt", ["xlsx", "docx"])
    def test_the_download_is_named_after_the_rubric_and_version(self, world, client_for, fmt):
        rubric = import_seed_rubric("changzhou-community")
        response = client_for("admin").get(reverse("rubrics:export", args=[rubric.pk, fmt]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert f"%EF%BC%88%E7%AC%AC1%E7%89%88%EF%BC%89.{fmt}" in response["Content-Disposition"]

    def test_an_unknown_format_is_not_found(self, world, client_for):
        rubric = import_seed_rubric("changzhou-community")
        response = client_for("admin").get(f"/rubrics/{rubric.pk}/export.pdf")
        assert response.status_code == 404
