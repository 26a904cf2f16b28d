"""Bad files and bad cells: a clear message that says where, nothing written, never a crash."""

import io
import re
import zipfile

import pytest
from django.test import override_settings

from org.models import Unit
from targets.importing import run_import
from targets.tables import TableFileError, read_table_file
from tests.targets.helpers import D, allocations, database_snapshot, xlsx

HEADER = [["测试目标分解表"], ["序号", "单位", "社保扩面人数", "公积金扩面人数"]]
GOOD = xlsx(HEADER + [[1, "淹城社区", 40, 50], [2, "何留社区", 5, 5], ["合计", None, 45, 55]])


@pytest.fixture
def stored(world):
    """Units and a first good import, so 'unchanged' means something."""
    Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
    _preview, batch = run_import(data=GOOD, file_name="good.xlsx", year=2024)
    assert batch is not None
    return database_snapshot()


def refused(data, file_name="bad.xlsx", **options):
    options.setdefault("year", 2024)
    preview, batch = run_import(data=data, file_name=file_name, **options)
    assert batch is None
    assert preview.errors
    return preview.errors


class TestBadFiles:
    def test_corrupt_workbook(self, stored):
        errors = refused(GOOD[: len(GOOD) // 2])
        assert errors == ["文件「bad.xlsx」已损坏，无法作为 Excel 工作簿打开。"]
        assert database_snapshot() == stored

    def test_text_file_renamed_xlsx(self, stored):
        errors = refused("单位,社保扩面人数\n淹城社区,40\n".encode(), "targets.xlsx")
        assert "扩展名是 .xlsx，但内容不是 Excel 工作簿（看起来是文本文件）" in errors[0]
        assert database_snapshot() == stored

    def test_word_document_renamed_xlsx(self, stored):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
        errors = refused(out.getvalue())
        assert "不是 Excel 工作簿" in errors[0]
        assert database_snapshot() == stored

    @override_settings(TARGET_IMPORT_MAX_UNZIPPED_BYTES=1024 * 1024)
    def test_zip_bomb_is_refused_before_unpacking(self, stored):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            with z.open("xl/worksheets/sheet1.xml", "w") as member:
                for _ in range(8):
                    member.write(b"\0" * (1024 * 1024))
        assert len(out.getvalue()) < 64 * 1024
        errors = refused(out.getvalue())
        assert "解压后有 8.0 MB，超过上限 1.0 MB" in errors[0] and "压缩炸弹" in errors[0]
        assert database_snapshot() == stored

    def test_zip_bomb_limit_holds_in_the_reader_itself(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "x" * 5000)
        with pytest.raises(TableFileError, match="超过上限"):
            read_table_file(out.getvalue(), "b.xlsx", max_unzipped=1000)

    @override_settings(TARGET_IMPORT_MAX_BYTES=2000)
    def test_file_over_the_upload_limit_says_its_size_and_the_limit(self, stored):
        errors = refused(GOOD)
        assert (
            re.search(r"大小为 0\.0 MB，超过导入上限 0\.0 MB", errors[0])
            or "超过导入上限" in errors[0]
        )
        assert database_snapshot() == stored

    def test_empty_file(self, stored):
        assert refused(b"") == ["文件「bad.xlsx」是空的。"]


def with_cached_values(data: bytes, values: dict) -> bytes:
    """Add the cached results Excel would have saved beside the formulas openpyxl wrote."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in values.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?',
                        rf"\1<f>\2</f><v>{value}</v>",
                        text,
                    )
                content = text.encode()
            dst.writestr(item, content)
    return out.getvalue()


class TestFormulas:
    ROWS = HEADER + [
        [1, "淹城社区", 40, "=C3+10"],
        [2, "何留社区", 5, 5],
        ["合计", None, "=SUM(C3:C4)", 55],
    ]

    def test_cached_results_of_formulas_are_used(self, stored):
        data = with_cached_values(xlsx(self.ROWS), {"D3": 50, "C5": 45})
        preview, batch = run_import(data=data, file_name="f.xlsx", year=2025)
        assert preview.errors == [] and preview.warnings == []
        assert allocations(2025)[("淹城社区", "公积金扩面人数")] == (D(50), None)

    def test_formula_without_a_saved_result_is_an_error_naming_the_cell(self, stored):
        errors = refused(xlsx(self.ROWS))
        assert errors == [
            "工作表「Sheet1」第 3 行 D 列：单元格是公式「=C3+10」，但文件里没有保存它的计算结果"
            "（文件可能由程序生成、未在 Excel 中保存过）。请用 Excel 打开并保存后再导入，或把公式改成数值。"
        ]
        assert database_snapshot() == stored


class TestBadTables:
    def test_sheet_without_any_number(self, stored):
        errors = refused(xlsx([["单位", "目标"], ["淹城社区", "很多"]]))
        assert errors == ["工作表「Sheet1」：没有找到任何数值，不是可导入的目标任务表。"]

    def test_numbers_without_a_header_above_them(self, stored):
        errors = refused(xlsx([["淹城社区", 40, 50], ["何留社区", 5, 5]]))
        assert errors[0].startswith("工作表「Sheet1」第 1 行：数据上方没有可识别的表头")
        assert database_snapshot() == stored

    def test_letter_o_in_a_number(self, stored):
        errors = refused(xlsx(HEADER + [[1, "淹城社区", "12O0", 50]]))
        assert errors == ["工作表「Sheet1」第 3 行 C 列：目标值「12O0」不是数字。"]
        assert database_snapshot() == stored

    def test_negative_target(self, stored):
        errors = refused(xlsx(HEADER + [[1, "淹城社区", -5, 50]]))
        assert errors == ["工作表「Sheet1」第 3 行 C 列：目标值「-5」不能为负数。"]
        assert database_snapshot() == stored

    def test_number_too_large_for_the_database(self, stored):
        errors = refused(xlsx(HEADER + [[1, "淹城社区", "123456789012", 50]]))
        assert "超出范围" in errors[0] and "第 3 行 C 列" in errors[0]

    def test_duplicate_unit(self, stored):
        errors = refused(xlsx(HEADER + [[1, "淹城社区", 1, 2], [2, "淹城社区", 3, 4]]))
        assert "第 4 行 B 列：单位「淹城社区」的「社保扩面人数」重复出现" in errors[0]
        assert database_snapshot() == stored

    def test_unknown_unit_lists_close_names(self, stored):
        errors = refused(xlsx(HEADER + [[1, "何流社区", 1, 2]]))
        assert "单位「何流社区」不在系统中。最接近的有：「何留社区」" in errors[0]
        assert database_snapshot() == stored


class TestPeopleWriting:
    def test_full_width_digits_and_spaces_in_numbers(self, stored):
        data = xlsx(HEADER + [[1, "淹城社区", "４５", " 1 200 "], [2, "何留社区", "５", "５"]])
        preview, batch = run_import(data=data, file_name="w.xlsx", year=2025)
        assert preview.errors == []
        assert allocations(2025)[("淹城社区", "社保扩面人数")] == (D(45), None)
        assert allocations(2025)[("淹城社区", "公积金扩面人数")] == (D(1200), None)

    def test_percent_cells_become_percent_indicators(self, stored):
        data = xlsx(
            [["目标"], ["单位", "服务率"], ["淹城社区", 1], ["何留社区", "100%"]],
            percent_cells=["B3"],
        )
        preview, batch = run_import(data=data, file_name="p.xlsx", year=2025)
        assert preview.errors == []
        assert allocations(2025)[("淹城社区", "服务率")] == (D(100), None)
        assert preview.indicators["服务率"].measure == "%"

    def test_gbk_csv_from_a_chinese_excel(self, stored):
        text = "序号,单位,社保扩面人数,公积金扩面人数\r\n1,淹城社区,41,50\r\n2,何留社区,5,5\r\n合计,,46,55\r\n"
        preview, batch = run_import(data=text.encode("gbk"), file_name="t.csv", year=2025)
        assert preview.errors == [] and preview.warnings == []
        assert allocations(2025)[("淹城社区", "社保扩面人数")] == (D(41), None)

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
    def test_other_csv_encodings(self, stored, encoding):
        text = "单位\t社保扩面人数\n淹城社区\t41\n"
        preview, _batch = run_import(data=text.encode(encoding), file_name="t.csv", year=2025)
        assert preview.errors == []
        assert allocations(2025)[("淹城社区", "社保扩面人数")] == (D(41), None)

    def test_total_that_does_not_add_up_is_a_warning_with_both_numbers(self, stored):
        data = xlsx(
            HEADER + [[1, "淹城社区", 40, 50], [2, "何留社区", 5, 5], ["合   计", None, 46, 55]]
        )
        preview, batch = run_import(data=data, file_name="m.xlsx", year=2024, dry_run=True)
        assert preview.errors == []
        assert preview.warnings == [
            "工作表「Sheet1」第 5 行 C 列：指标「社保扩面人数」的合计为 46，各单位之和为 45，两者不一致。"
        ]
        assert database_snapshot() == stored

    def test_units_as_columns_can_be_forced(self, stored):
        data = xlsx([["目标"], ["指标", "淹城社区", "何留社区"], ["社保扩面人数", 7, 8]])
        preview, _batch = run_import(data=data, file_name="c.xlsx", year=2025, orientation="rows")
        assert preview.errors  # read as units in rows, 社保扩面人数 is no unit
        preview, batch = run_import(data=data, file_name="c.xlsx", year=2025, orientation="columns")
        assert preview.errors == []
        assert allocations(2025)[("何留社区", "社保扩面人数")] == (D(8), None)


class TestLegacyXls:
    def test_xls_with_merged_title_total_and_percent_cells(self, db):
        from targets.demo import load_demo_units
        from tests.targets.helpers import FIXTURES

        load_demo_units()
        data = (
            FIXTURES.parents[1] / "tests" / "targets" / "files" / "hutang-part.xls"
        ).read_bytes()
        preview, batch = run_import(data=data, file_name="hutang-part.xls", year=2014)
        assert preview.errors == [] and preview.warnings == []
        stored = allocations(2014)
        assert stored[("周家巷社区", "社保扩面人数")] == (D(60), None)
        assert stored[("何留社区", "公积金扩面人数")] == (D(5), None)
        assert stored[("淹城社区", "服务率")] == (D(100), None)
        assert preview.indicators["服务率"].measure == "%"

    def test_corrupt_xls(self, stored):
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
        errors = refused(data, "old.xls")
        assert "已损坏或不是 Excel 97-2003 工作簿（.xls）" in errors[0]
        assert database_snapshot() == stored


class TestLimitsOfTheDatabase:
    def test_year_out_of_range(self, stored):
        errors = refused(GOOD, year=99999)
        assert errors == ["年度「99999」不对：应在 1990 至 2100 之间。"]

    def test_indicator_name_too_long(self, stored):
        errors = refused(xlsx([["序号", "单位", "长" * 201], [1, "淹城社区", 1]]))
        assert errors == ["工作表「Sheet1」C 列：指标名称超过 200 个字，请缩短。"]
        assert database_snapshot() == stored
