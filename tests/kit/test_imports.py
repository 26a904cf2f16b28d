"""The shared import pipeline: located problems, columns, plans and their fingerprints."""

import pytest

from kit.imports import (
    ERROR,
    WARNING,
    CellError,
    Column,
    Place,
    Plan,
    Problem,
    StalePlan,
    clean_row,
    find_header,
)


class NumberColumn(Column):
    def clean(self, raw, values):
        raw = super().clean(raw, values)
        if not raw.isdigit():
            raise CellError(f"目标值「{raw}」不是数字")
        return int(raw)


class Row:
    def __init__(self, *parts):
        self.parts = parts

    def fingerprint(self):
        return self.parts


class TestPlace:
    @pytest.mark.parametrize(
        ("place", "text"),
        [
            (Place("Sheet1", 12, 2), "工作表「Sheet1」第 12 行 C 列"),
            (Place("Sheet1"), "工作表「Sheet1」"),
            (Place("Sheet1", col=27), "工作表「Sheet1」AB 列"),
            (Place(row=5, col=7), "第 5 行 H 列"),
            (Place(row=5), "第 5 行"),
        ],
    )
    def test_reads_as_excel_shows_it(self, place, text):
        assert str(place) == text


class TestProblem:
    def test_the_message_names_the_place_and_the_cell(self):
        problem = Problem(ERROR, "目标值「12O0」不是数字", Place(row=12), "东陈镇")
        assert problem.message == "第 12 行「东陈镇」：目标值「12O0」不是数字"
        assert (problem.sheet, problem.row, problem.col) == (None, 12, None)

    def test_a_problem_without_a_place_is_its_text(self):
        assert str(Problem(ERROR, "文件是空的。")) == "文件是空的。"
        assert Problem(ERROR, "已存在", value="淹城社区").message == "「淹城社区」：已存在"


class TestColumnsAndRows:
    columns = (Column("name", "单位", ("单位名称",), required=True), NumberColumn("n", "目标值"))

    def test_finds_the_header_by_any_name_below_the_title(self):
        rows = [["目标分解表"], ["序号", "单位名称", "目标值"], ["1", "淹城社区", "5"]]
        assert find_header(rows, self.columns, required=["name"]) == (1, {"name": 1, "n": 2})
        assert find_header(rows[:1], self.columns, required=["name"]) == (None, {})

    def test_each_bad_cell_is_reported_at_its_place_and_the_row_is_not_clean(self):
        plan = Plan()
        values: dict = {}
        cells = {"name": (1, ""), "n": (2, "12O0")}
        assert not clean_row(plan, self.columns, cells, Place("表", 12), values)
        assert plan.errors == [
            "工作表「表」第 12 行 B 列：「单位」不能为空",
            "工作表「表」第 12 行 C 列「12O0」：目标值「12O0」不是数字",
        ]
        assert not plan.ok

    def test_an_empty_optional_cell_is_none(self):
        plan, values = Plan(), {}
        assert clean_row(plan, self.columns, {"name": (1, "淹城"), "n": (2, "")}, Place(), values)
        assert values == {"name": "淹城", "n": None} and plan.ok


class TestPlan:
    def test_levels_are_kept_apart(self):
        plan = Plan()
        plan.error("坏")
        plan.warning("注意", Place(row=3))
        assert plan.errors == ["坏"] and plan.warnings == ["第 3 行：注意"] and plan.notes == []
        assert [p.level for p in plan.problems] == [ERROR, WARNING]

    def test_the_fingerprint_follows_what_would_be_written(self):
        one = Plan(rows=[Row("淹城", 5)])
        assert one.fingerprint() == Plan(rows=[Row("淹城", 5)]).fingerprint()
        assert one.fingerprint() != Plan(rows=[Row("淹城", 6)]).fingerprint()

    def test_check_refuses_a_plan_other_than_the_previewed_one(self):
        plan = Plan(rows=[Row("淹城", 5)])
        plan.check(plan.fingerprint())
        plan.check(None)  # nothing was previewed
        with pytest.raises(StalePlan, match="预览之后"):
            plan.check("0" * 16)
