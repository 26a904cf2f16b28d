"""The pure reading layer: numbers, names, layouts. No database."""

import subprocess
import sys
from decimal import Decimal

import pytest

from org.naming import NameMatcher
from targets.tables import ROWS, NotANumber, Sheet, col_letter, parse_number, parse_sheet
from targets.tables.labels import clean_label, is_total_label, split_indicator


class TestParseNumber:
    @pytest.mark.parametrize(
        ("text", "value", "sub", "percent"),
        [
            ("1260", "1260", None, False),
            (" 320000 ", "320000", None, False),
            ("1 200", "1200", None, False),
            ("1,200", "1200", None, False),
            ("５", "5", None, False),
            ("１２００", "1200", None, False),
            ("15000 (7500)", "15000", "7500", False),
            ("15000\n(7500)", "15000", "7500", False),
            ("2600（1400）", "2600", "1400", False),
            ("100%", "100", None, True),
            ("１００％", "100", None, True),
            ("0.5", "0.5", None, False),
        ],
    )
    def test_what_people_type(self, text, value, sub, percent):
        number = parse_number(text)
        assert number.value == Decimal(value)
        assert number.sub == (Decimal(sub) if sub else None)
        assert number.percent is percent

    @pytest.mark.parametrize("text", ["", "  ", "—", "-", "/", "无"])
    def test_blank_marks_are_empty(self, text):
        assert parse_number(text) is None

    @pytest.mark.parametrize("text", ["12O0", "五", "(7500)", "15000 (", "1.2.3", "500元"])
    def test_not_numbers(self, text):
        with pytest.raises(NotANumber):
            parse_number(text)


class TestIndicatorNames:
    @pytest.mark.parametrize(
        ("header", "name", "measure", "sub"),
        [
            ("技能提升培训（其中鉴定取证）(人)", "技能提升培训", "人", "其中鉴定取证"),
            ("高技能人才培训(其中鉴定取证）(人)", "高技能人才培训", "人", "其中鉴定取证"),
            (
                "职工社会保险净增人数         ( 五险扩面 )",
                "职工社会保险净增人数（五险扩面）",
                "",
                "",
            ),
            ("居民养老保险 / 保费金额     ( 万元 )", "居民养老保险 / 保费金额", "万元", ""),
            ("企业职工岗位技能培训\n（人次）", "企业职工岗位技能培训", "人次", ""),
            ("创业担保贷款回收率   （%）", "创业担保贷款回收率", "%", ""),
            ("劳动力（回）外引（人）", "劳动力（回）外引", "人", ""),
            ("社保扩面人数", "社保扩面人数", "", ""),
        ],
    )
    def test_split(self, header, name, measure, sub):
        split = split_indicator(header)
        assert (split.name, split.measure, split.sub_label) == (name, measure, sub)

    def test_stretched_and_broken_names_are_cleaned(self):
        assert clean_label("东      陈       镇 ") == "东陈镇"
        assert clean_label("高新区\n（城南街道)") == "高新区（城南街道）"

    @pytest.mark.parametrize("text", ["合计", "合   计", "任务数", "汇总", "总计", "目标任务"])
    def test_total_labels(self, text):
        assert is_total_label(text)

    def test_a_unit_is_no_total(self):
        assert not is_total_label("淹城社区")


def test_column_letters():
    assert [col_letter(i) for i in (0, 2, 25, 26, 27)] == ["A", "C", "Z", "AA", "AB"]


MATCHER = NameMatcher([(n, n, []) for n in ("淹城社区", "何留社区", "东陈镇", "丁堰镇")])


def is_unit(name):
    return MATCHER.match(name).found


class TestLayouts:
    def test_units_as_rows_with_a_total_row_above(self):
        sheet = Sheet(
            "S", [["单位", "指标甲"], ["任务数", "45"], ["淹城社区", "40"], ["何留社区", "5"]]
        )
        parsed = parse_sheet(sheet, is_unit=is_unit)
        assert parsed.orientation == ROWS and parsed.errors == []
        assert [(v.unit_name, v.target) for v in parsed.values] == [
            ("淹城社区", 40),
            ("何留社区", 5),
        ]
        assert parsed.totals[0].value == 45 and not [
            i for i in parsed.issues if i.level == "warning"
        ]

    def test_units_as_columns_are_detected(self):
        sheet = Sheet(
            "S", [["项目", "合计", "东  陈  镇", "丁\n堰\n镇"], ["新增就业（人）", "3", "1", "2"]]
        )
        parsed = parse_sheet(sheet, is_unit=is_unit)
        assert parsed.orientation == "columns"
        assert [(v.unit_name, v.target) for v in parsed.values] == [("东陈镇", 1), ("丁堰镇", 2)]

    def test_sub_column_headed_qizhong_belongs_to_the_column_before(self):
        sheet = Sheet(
            "S",
            [
                ["单位", "新增转移农村劳动力（人）", "其中省内新增转移农村劳动力（人）"],
                ["淹城社区", "500", "400"],
            ],
        )
        parsed = parse_sheet(sheet, is_unit=is_unit)
        (value,) = parsed.values
        assert (value.target, value.sub) == (500, 400)
        assert parsed.indicators[value.indicator].sub_label == "其中省内"

    def test_mismatching_total_is_a_warning_naming_indicator_and_both_numbers(self):
        sheet = Sheet(
            "S", [["单位", "指标甲"], ["淹城社区", "40"], ["何留社区", "5"], ["合计", "46"]]
        )
        parsed = parse_sheet(sheet, is_unit=is_unit)
        assert [i.message for i in parsed.issues if i.level == "warning"] == [
            "工作表「S」第 4 行 B 列：指标「指标甲」的合计为 46，各单位之和为 45，两者不一致。"
        ]


def test_the_reading_layer_imports_no_django():
    code = "import sys, targets.tables; sys.exit(1 if 'django' in sys.modules else 0)"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], cwd=str(__import__("pathlib").Path(__file__).parents[2])
        ).returncode
        == 0
    )
