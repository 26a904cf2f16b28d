"""validate(): the document's own arithmetic errors are reported, never corrected."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from rubrics.engine import GradeBand, rubric_from_dict, rubric_to_dict, validate


def village_like(build):
    """Modelled on the 常州 village standard: 三 declares 22 but its items make 24; the
    sections declare 15 + 22 + 59 = 96, the items make 15 + 24 + 59 = 98, the total says 100."""
    i = build.item
    data = build.rubric_dict(declared_total="100")
    data["sections"] = [
        {
            "key": "s1",
            "title": "一、平台建设",
            "declared_points": "15",
            "items": [i(n, "discretionary", "5") for n in (1, 2, 3)],
        },
        {
            "key": "s3",
            "title": "三、促进就业创业",
            "declared_points": "22",
            "items": [i(n, "discretionary", "8") for n in (9, 10, 11)],
        },
        {
            "key": "s4",
            "title": "四、其他",
            "declared_points": "59",
            "items": [i(20, "discretionary", "59")],
        },
        {
            "key": "s5",
            "title": "五、加分",
            "items": [i("b1", "discretionary", "3", bonus=True)],
        },
    ]
    return data


class TestValidate:
    def test_section_and_total_mismatches(self, build):
        findings = validate(rubric_from_dict(village_like(build)))
        assert [(f.level, f.where, f.message) for f in findings] == [
            ("warning", "三、促进就业创业", "三、促进就业创业：小计标注 22 分，各项合计 24 分"),
            ("warning", "合计", "各部分小计合计 96 分，各项合计 98 分，标注总分 100 分"),
        ]

    def test_consistent_rubric_has_no_findings(self, build):
        data = village_like(build)
        data["sections"][1]["items"] = [
            build.item(n, "discretionary", "22" if n == 9 else "0") for n in (9, 10)
        ]
        # 15 + 22 + 59 = 96 both ways, but the total says 100
        data["declared_total"] = "96"
        assert validate(rubric_from_dict(data)) == []

    def test_never_corrects(self, build):
        data = village_like(build)
        rubric = rubric_from_dict(data)
        before = rubric_to_dict(rubric)
        validate(rubric)
        assert rubric_to_dict(rubric) == before
        assert rubric.sections[1].declared_points == D(22)

    def test_composite_components_against_its_max(self, build):
        params = {
            "components": [
                {"key": "t", "label": "培训", "max_points": "3", "kind": "proportional"},
                {"key": "c", "label": "鉴定取证", "max_points": "3", "kind": "proportional"},
            ]
        }
        rubric = build.make(build.item(10, "composite", "8", params, title="技能提升培训"))
        messages = [f.message for f in validate(rubric)]
        assert "第 10 项「技能提升培训」：满分 8 分，各组成部分合计 6 分" in messages

    def test_bonus_level_beyond_its_cap(self, build):
        levels = [
            {"key": "national", "label": "国家级", "points": "3"},
            {"key": "city", "label": "市级", "points": "1"},
        ]
        rubric = build.make(
            build.item("b", "additive_bonus", "2", {"levels": levels}, bonus=True, title="表彰")
        )
        messages = [f.message for f in validate(rubric)]
        assert messages == ["第 b 项「表彰」：「国家级」一次即得 3 分，超过本项上限 2 分"]

    def test_grade_bands_not_descending(self, build):
        rubric = build.make(build.item(1, "discretionary", "100"))
        swapped = replace(
            rubric,
            grades=(GradeBand("合格", D(75), D(100)), GradeBand("优秀", D(90), D(120))),
        )
        errors = [f for f in validate(swapped) if f.level == "error"]
        assert [f.message for f in errors] == [
            "等次分数线应从高到低排列：「优秀」90 分排在「合格」75 分之后"
        ]

    def test_veto_grade_that_is_no_grade(self, build):
        rubric = replace(build.make(build.item(1, "veto", "3")), veto_grade="除名")
        errors = [f.message for f in validate(rubric) if f.level == "error"]
        assert errors == ["一票否决等次「除名」不是本表的等次（优秀、合格、基本合格、不合格）"]


class TestLoaderRefusesWhatValidateWouldCall:
    def test_veto_grade_checked_at_load(self, build):
        from rubrics.engine import RubricFormatError

        with pytest.raises(RubricFormatError, match="一票否决等次「除名」不是本表的等次"):
            rubric_from_dict(build.rubric_dict(build.item(1, "veto", "3"), veto_grade="除名"))
