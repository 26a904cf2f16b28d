"""Hole 2 of the security issue: crafted spreadsheets are refused before their grid is built.

A 52 KB workbook that declares 16,384 columns took a worker to 1.2 GB, a 10 MB dense one
to 1.5 GB. The reader now trusts nothing a file declares: it counts as it unpacks and stops
at the first cell past the row, column or cell limit, saying which file, which sheet, which
limit and what to do. (Memory and time are measured in bench/bench_crafted_uploads.py.)
"""

import io
import zipfile

import pytest

from kit.imports import TableFileError, TableLimits, read_table_file
from tests import crafted

LOWERED = TableLimits(cells=crafted.LOWERED["IMPORT_MAX_CELLS"])


def refusal(data: bytes, limits: TableLimits = LOWERED, name: str = "表.xlsx") -> str:
    with pytest.raises(TableFileError) as caught:
        read_table_file(data, name, limits=limits)
    return caught.value.message


class TestCraftedWorkbooks:
    @pytest.mark.parametrize(
        ("build", "said"), [a[1:] for a in crafted.ATTACKS], ids=[a[0] for a in crafted.ATTACKS]
    )
    def test_is_refused_with_a_message_naming_the_file_and_the_limit(self, build, said):
        message = refusal(build())
        assert said in message
        assert "文件「表.xlsx」" in message
        assert "请" in message  # and says what to do

    def test_a_declared_dimension_is_not_trusted_a_small_table_reads_as_itself(self):
        data = crafted.declared_dimension(["姓名", "单位"], [["甲", "淹城社区"]], far_cell=False)
        (sheet,) = read_table_file(data, "表.xlsx")
        assert sheet.rows == [["姓名", "单位"], ["甲", "淹城社区"]]

    def test_the_sheet_is_named_in_the_refusal(self):
        assert "工作表「Sheet1」" in refusal(crafted.wide_row())

    def test_empty_formatted_cells_past_the_limits_are_passed_over(self):
        rows = [(1, [crafted.text_cell(1, 1, "姓名")]), (2, ['<c r="XFD2" s="0"/>'])]
        (sheet,) = read_table_file(crafted.workbook(rows), "表.xlsx")
        assert sheet.rows == [["姓名"]]

    def test_a_used_range_past_the_cell_limit_is_refused_before_it_is_built(self):
        rows = [(1, [crafted.number_cell(1, 1, 1)]), (2000, [crafted.number_cell(2000, 20, 1)])]
        message = refusal(crafted.workbook(rows))
        assert "2000 行 × 20 列共 40000 个单元格，超过可导入的 20000 个" in message

    def test_text_past_the_character_limit_is_refused(self):
        data = crafted.huge_shared_strings(10, 1000)
        message = refusal(data, TableLimits(text_chars=5000))
        assert "文字超过 5000 个字符" in message

    def test_a_document_type_declaration_is_refused(self):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(crafted.dense(2, 2))) as source:
            with zipfile.ZipFile(out, "w") as target:
                for info in source.infolist():
                    data = source.read(info)
                    if info.filename == "xl/sharedStrings.xml":
                        data = data.replace(b"<sst", b'<!DOCTYPE sst [<!ENTITY a "aaaa">]><sst', 1)
                    target.writestr(info, data)
        assert "含有文档类型声明（DOCTYPE）" in refusal(out.getvalue())


class TestCraftedCsv:
    def test_a_line_of_16384_fields_is_refused_at_the_column_limit(self):
        data = ("姓名\n" + ",".join(["1"] * 16384) + "\n").encode()
        assert "第 2 行 SG 列有内容，超出可导入的 500 列" in refusal(data, name="表.csv")

    def test_trailing_separators_past_the_limit_are_not_content(self):
        data = ("姓名,单位" + "," * 20000 + "\n甲,淹城社区\n").encode()
        (sheet,) = read_table_file(data, "表.csv")
        assert sheet.rows == [["姓名", "单位"], ["甲", "淹城社区"]]

    def test_a_dense_csv_over_the_cell_limit_is_refused(self):
        data = "\n".join(",".join(["12"] * 300) for _ in range(100)).encode()
        assert "超过可导入的 50000 行、500 列、共 20000 个单元格" in refusal(data, name="表.csv")

    def test_rows_past_the_row_limit_are_refused(self):
        data = "\n".join(["1"] * 30).encode()
        message = refusal(data, TableLimits(rows=20), name="表.csv")
        assert "第 21 行有内容，超出可导入的 20 行" in message
