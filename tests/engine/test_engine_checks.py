"""check(): what an author is told about a rubric, each finding on its row."""

from rubrics.engine import check, rubric_from_dict


def rows(findings, level=None):
    return {f.row: f.message for f in findings if level is None or f.level == level}


class TestArithmetic:
    def test_a_section_whose_items_do_not_make_its_subtotal_is_named_on_its_row(self, build):
        i = build.item
        data = build.rubric_dict(declared_total="100")
        data["sections"] = [
            {"key": "s1", "title": "一、平台", "declared_points": "20",
             "items": [i(1, "discretionary", "10"), i(2, "discretionary", "12")]},
            {"key": "s2", "title": "二、服务", "declared_points": "78",
             "items": [i(3, "discretionary", "78")]},
        ]  # fmt: skip
        found = rows(check(rubric_from_dict(data)))
        # 10 + 12 = 22 against a declared 20; 二 declares its 78. The subtotals make
        # 20 + 78 = 98, the items 22 + 78 = 100, the total says 100.
        assert found["section:s1"] == "一、平台：小计标注 20 分，各项合计 22 分"
        assert "section:s2" not in found
        assert found["rubric"] == "各部分小计合计 98 分，各项合计 100 分，标注总分 100 分"

    def test_items_not_making_100_are_said_when_no_total_is_declared(self, build):
        rubric = build.make(
            build.item(1, "discretionary", "60"), build.item(2, "discretionary", "35")
        )
        assert rows(check(rubric))["rubric"] == "各项合计 95 分，不是 100 分"

    def test_items_not_making_the_declared_total_are_said(self, build):
        rubric = build.make(build.item(1, "discretionary", "100"), declared_total="120")
        assert rows(check(rubric))["rubric"] == "各项合计 100 分，标注总分 120 分"

    def test_a_rubric_that_adds_up_has_no_arithmetic_finding(self, build):
        rubric = build.make(
            build.item(1, "discretionary", "40"), build.item(2, "discretionary", "60")
        )
        assert [f for f in check(rubric) if f.row != "rubric" or "合计" in f.message] == []


class TestReach:
    def test_brackets_whose_top_is_worth_less_than_the_item_cannot_reach_its_points(self, build):
        # 如皋-like: 40 %–50 % 1 point, 50 %–60 % 2 points … declared worth 6, top bracket 4.
        brackets = [
            {"min": m, "points": p} for m, p in (("40", "1"), ("50", "2"), ("60", "3"), ("70", "4"))
        ]
        rubric = build.make(
            build.item(1, "brackets", "6", {"brackets": brackets}, title="调撤率"),
            build.item(2, "discretionary", "94"),
        )
        found = rows(check(rubric))
        assert found["item:1"] == "第 1 项「调撤率」：按此评分办法最高只能得 4 分，达不到分值 6 分"

    def test_a_bracket_worth_more_than_the_item_is_said_too(self, build):
        brackets = [{"min": "50", "points": "2"}, {"min": "80", "points": "8"}]
        rubric = build.make(
            build.item(1, "brackets", "6", {"brackets": brackets}, title="调撤率"),
            build.item(2, "discretionary", "94"),
        )
        assert "超过满分 6 分" in rows(check(rubric))["item:1"]

    def test_checklist_parts_short_of_the_item_are_on_the_items_row(self, build):
        parts = [
            {"key": "a", "label": "有传递", "points": "1"},
            {"key": "b", "label": "按规定", "points": "1"},
        ]
        rubric = build.make(
            build.item(26, "checklist", "4", {"parts": parts}, title="传递投诉"),
            build.item(2, "discretionary", "96"),
        )
        assert (
            rows(check(rubric))["item:26"] == "第 26 项「传递投诉」：满分 4 分，各检查项合计 2 分"
        )


class TestAuthoring:
    def test_no_self_column_is_a_warning_of_the_rubric(self, build):
        rubric = build.make(
            build.item(1, "discretionary", "100"), columns={"self": None, "review": "得分"}
        )
        (finding,) = [f for f in check(rubric) if "自评栏" in f.message]
        assert (finding.row, finding.level) == ("rubric", "warning")
        assert "协理员将不能填报自评" in finding.message

    def test_a_bonus_cap_the_bonus_items_cannot_reach(self, build):
        rubric = build.make(
            build.item(1, "discretionary", "100"),
            build.item("b1", "discretionary", "2", bonus=True, title="荣誉"),
            bonus_cap="5",
        )
        found = [f.message for f in check(rubric)]
        assert "加分总上限 5 分，各加分项合计只有 2 分，上限达不到" in found

    def test_a_bonus_item_worth_more_than_the_cap(self, build):
        rubric = build.make(
            build.item(1, "discretionary", "100"),
            build.item("b1", "discretionary", "7", bonus=True, title="荣誉"),
            bonus_cap="5",
        )
        assert (
            rows(check(rubric))["item:b1"] == "第 b1 项「荣誉」：最多加 7 分，超过加分总上限 5 分"
        )
