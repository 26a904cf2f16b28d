"""Sections and items of rubric versions are put side by side: by title without the points
it states, then by position (items: by title, then key)."""

from rubrics.version_match import match_items, match_sections, plain_title, side_by_side


class TestMatchSections:
    def test_a_title_whose_stated_points_or_brackets_changed_is_the_same_section(self):
        assert plain_title("指导劳动关系协理监察（20分)") == "指导劳动关系协理监察"
        assert plain_title("促进就业创业 (22 分)") == "促进就业创业"
        earlier = ["平台建设情况(15分)", "指导劳动关系协理监察（20分)", "其他(15分)"]
        later = ["平台建设情况(15分)", "指导劳动关系协理监察(20分)", "其他(16分)"]
        assert match_sections(earlier, later) == {0: 0, 1: 1, 2: 2}

    def test_a_moved_section_is_found_by_its_title_not_its_place(self):
        earlier = ["甲", "乙", "丙"]
        later = ["乙", "甲", "丙"]
        assert match_sections(earlier, later) == {0: 1, 1: 0, 2: 2}

    def test_a_renamed_section_falls_back_to_its_position(self):
        earlier = ["平台建设", "业务基础信息管理", "其他"]
        later = ["平台建设", "信息管理", "其他"]
        assert match_sections(earlier, later) == {0: 0, 1: 1, 2: 2}

    def test_a_new_section_at_the_end_matches_nothing(self):
        assert match_sections(["甲", "乙"], ["甲", "乙", "加分项"]) == {0: 0, 1: 1}

    def test_a_position_already_taken_by_a_title_is_not_given_twice(self):
        # 「丙」 took earlier position 0 by title; the renamed 「丁」 at position 0 gets nothing.
        assert match_sections(["丙", "乙"], ["丁", "乙", "丙"]) == {1: 1, 2: 0}


class TestSideBySide:
    def test_a_section_followed_along_three_versions_stays_on_one_row(self):
        versions = [
            ["平台(15分)", "就业(20分)"],
            ["平台(15分)", "就业（22分）", "加分项"],
            ["平台(14分)", "就业创业", "加分项"],  # 就业 renamed: matched by position
        ]
        assert side_by_side(versions) == [[0, 0, 0], [1, 1, 1], [None, 2, 2]]

    def test_a_dropped_section_ends_its_row(self):
        assert side_by_side([["甲", "乙"], ["甲"]]) == [[0, 0], [1, None]]


class TestMatchItems:
    def test_items_match_by_title_then_by_key(self):
        earlier = [("1", "平台搭建"), ("2", "人员到位"), ("3", "办公设施")]
        later = [("1", "人员到位"), ("2", "平台搭建"), ("3", "办公场所")]
        assert match_items(earlier, later) == {"1": "2", "2": "1", "3": "3"}
