"""The .xlsx and .ods readers: a bounded pre-scan first, then python-calamine for the values.

calamine aborts the process on a cell at XFD1048576 and keeps whatever a file declares, so
it must never see a file the pre-scan has not bounded; and what it reads must be, cell for
cell, what the streaming reader reads (percentages, dates, errors, merged ranges).
"""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kit.imports import TableFileError, TableLimits, read_table_file
from kit.imports.xlsx import read_xlsx
from tests import crafted
from tests.ods import ods, ods_cell

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "targets").glob("*.xlsx"))
LOWERED = TableLimits(cells=crafted.LOWERED["IMPORT_MAX_CELLS"])


@pytest.fixture
def calamine_calls(monkeypatch):
    """Every workbook calamine is asked to open."""
    import python_calamine

    calls = []
    original = python_calamine.CalamineWorkbook.from_filelike

    def spy(filelike):
        calls.append(filelike)
        return original(filelike)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", spy)
    return calls


def both(data: bytes, limits: TableLimits | None = None):
    limits = limits or TableLimits()
    fast = read_xlsx(data, "表.xlsx", limits=limits, max_unzipped=10**9)
    slow = read_xlsx(data, "表.xlsx", limits=limits, max_unzipped=10**9, fast=False)
    return [(s.name, s.rows, s.uncached) for s in fast], [
        (s.name, s.rows, s.uncached) for s in slow
    ]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_real_office_tables_read_the_same_as_with_the_streaming_reader(path):
    fast, slow = both(path.read_bytes())
    assert fast == slow


def test_office_tables_are_read_by_calamine(calamine_calls):
    read_table_file(FIXTURES[0].read_bytes(), FIXTURES[0].name)
    assert len(calamine_calls) == 1


def test_percent_date_error_bool_and_merged_cells_read_as_before(calamine_calls):
    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["C1"] = "单位", "完成率", "日期"
    sheet["A2"], sheet["B2"], sheet["C2"] = "淹城社区", 0.85, datetime.date(2024, 3, 1)
    sheet["B2"].number_format = "0%"
    sheet["D2"], sheet["E2"], sheet["F2"] = True, 1e20, 1.5
    sheet["G2"] = datetime.datetime(2024, 3, 1, 12, 30)
    sheet.merge_cells("A4:C5")
    sheet["A4"] = "合计"
    second = book.create_sheet("第二页")
    second["B3"] = 7
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    # an error cell as Excel saves it (openpyxl writes formulas without their results)
    data = _replace_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</row></sheetData>",
            b'<c r="H2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData>',
            1,
        ),
    )
    fast, slow = both(data)
    assert len(calamine_calls) == 1
    assert fast == slow
    rows = fast[0][1]
    assert rows[1][:3] == ["淹城社区", "85%", "2024-03-01T00:00:00"]
    assert rows[1][3:] == ["是", "100000000000000000000", "1.5", "2024-03-01T12:30:00", "#DIV/0!"]
    assert rows[3][:3] == ["合计", "合计", "合计"]
    assert fast[1] == ("第二页", [["", ""], ["", ""], ["", "7"]], {})


def test_a_formula_without_a_saved_result_is_read_by_the_streaming_reader(calamine_calls):
    book = Workbook()
    book.active["A1"] = 1
    book.active["B1"] = "=A1*2"
    out = io.BytesIO()
    book.save(out)
    fast, slow = both(out.getvalue())
    assert fast == slow == [("Sheet", [["1", ""]], {(0, 1): "=A1*2"})]
    assert calamine_calls == []


@pytest.mark.parametrize(
    "build", [a[1] for a in crafted.ATTACKS], ids=[a[0] for a in crafted.ATTACKS]
)
def test_crafted_workbooks_are_refused_before_calamine_sees_them(build, calamine_calls):
    with pytest.raises(TableFileError):
        read_table_file(build(), "表.xlsx", limits=LOWERED)
    assert calamine_calls == []


def test_a_cell_at_xfd1048576_never_reaches_calamine(calamine_calls):
    data = crafted.declared_dimension(["姓名", "单位"], [["甲", "淹城社区"]], far_cell=True)
    with pytest.raises(TableFileError, match="XFD 列有内容"):
        read_table_file(data, "表.xlsx")
    assert calamine_calls == []


# --- .ods --------------------------------------------------------------------------------


def test_an_ods_table_reads_as_text_with_percentages_and_merged_cells():
    spanned = (
        '<table:table-row><table:table-cell table:number-columns-spanned="2" '
        'office:value-type="string"><text:p>合计</text:p></table:table-cell>'
        "<table:covered-table-cell/>" + ods_cell(12) + "</table:table-row>"
    )
    data = ods(
        [["单位", "完成率", "人数"], ["淹城社区", ("percentage", 0.85), 12]],
        raw_rows=spanned,
        tail=False,
    )
    (sheet,) = read_table_file(data, "目标.ods")
    assert sheet.name == "目标任务"
    assert sheet.rows == [
        ["单位", "完成率", "人数"],
        ["淹城社区", "85%", "12"],
        ["合计", "合计", "12"],
    ]


def test_the_empty_rest_of_an_ods_sheet_is_passed_over():
    (sheet,) = read_table_file(ods([["单位"], ["淹城社区"]]), "目标.ods")
    assert sheet.rows == [["单位"], ["淹城社区"]]


def test_repeated_ods_cells_with_content_are_counted_and_refused(calamine_calls):
    repeated = (
        '<table:table-row table:number-rows-repeated="100000">'
        '<table:table-cell table:number-columns-repeated="400" office:value-type="float" '
        'office:value="1"/></table:table-row>'
    )
    data = ods([["单位"]], raw_rows=repeated, tail=False)
    with pytest.raises(TableFileError, match="超出可导入的 50000 行"):
        read_table_file(data, "目标.ods")
    assert calamine_calls == []


def test_an_ods_with_a_document_type_declaration_is_refused(calamine_calls):
    data = _replace_part(
        ods([["单位"]]),
        "content.xml",
        lambda xml: xml.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1),
    )
    with pytest.raises(TableFileError, match="DOCTYPE"):
        read_table_file(data, "目标.ods")
    assert calamine_calls == []


def _replace_part(data: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info)
            archive.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()
