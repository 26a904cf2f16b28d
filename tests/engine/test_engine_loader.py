"""Loading rubric files: normalisation, lossless round trip, and every error at once."""

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from rubrics.engine import RubricFormatError, rubric_from_dict, rubric_to_dict

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics"

# As an author may write it: numbers unquoted, integer keys, defaults left out.
WRITTEN = {
    "code": "mini",
    "title": "小评分表",
    "declared_total": 20,
    "grades": [{"label": "优秀", "min": 18, "subsidy_percent": 120}, {"label": "合格", "min": 12}],
    "quota": {"grade": "优秀", "percent": 30},
    "sections": [
        {
            "key": "s1",
            "title": "一、基础",
            "declared_points": 10,
            "items": [
                {
                    "key": 1,
                    "number": 1,
                    "title": "台账",
                    "max_points": 4,
                    "kind": "deduct_per_occurrence",
                    "params": {"per": 1, "label": "缺"},
                },
                {
                    "key": "2",
                    "title": "新增就业",
                    "max_points": "6",
                    "kind": "proportional",
                    "params": {"unit": "人"},
                    "na_policy": "average",
                    "indicator": "新增就业（人）",
                },
            ],
        },
        {
            "key": "s2",
            "title": "二、其他",
            "declared_points": None,
            "items": [
                {
                    "key": "3",
                    "requirement": "调撤率",
                    "max_points": 6,
                    "kind": "brackets",
                    "params": {"brackets": [{"min": 40, "points": 1}, {"min": 50.5, "points": 2}]},
                },
                {"key": "p", "title": "通报", "kind": "penalty", "params": {"per": 2}},
            ],
        },
    ],
}

# The same, normalised, written out by hand.
NORMALISED = {
    "code": "mini",
    "version": 1,
    "title": "小评分表",
    "issuer": "",
    "year": None,
    "subject": "unit",
    "declared_total": "20",
    "columns": {
        "project": "考核项目",
        "number": "序号",
        "requirement": "考核内容",
        "points": "分值",
        "rule": "评分标准",
        "self": "自评得分",
        "review": "考核得分",
    },
    "rounding": 2,
    "grades": [
        {"label": "优秀", "min": "18", "subsidy_percent": "120"},
        {"label": "合格", "min": "12", "subsidy_percent": "0"},
    ],
    "fallback_grade": {"label": "不合格", "subsidy_percent": "0"},
    "veto_grade": "不合格",
    "quota": {"grade": "优秀", "percent": "30", "scope": "cycle", "enforced": True, "tie_break": []},
    "bonus_cap": None,
    "notes": "",
    "sections": [
        {
            "key": "s1",
            "title": "一、基础",
            "declared_points": "10",
            "items": [
                {"key": "1", "number": "1", "title": "台账", "requirement": "", "rule_text": "",
                 "max_points": "4", "kind": "deduct_per_occurrence",
                 "params": {"per": "1", "label": "缺", "unit": "次"},
                 "bonus": False, "penalty": False, "na_policy": "none", "indicator": None},
                {"key": "2", "number": "", "title": "新增就业", "requirement": "", "rule_text": "",
                 "max_points": "6", "kind": "proportional",
                 "params": {"source": "main", "zero_target": "full", "unit": "人"},
                 "bonus": False, "penalty": False, "na_policy": "average",
                 "indicator": "新增就业（人）"},
            ],
        },
        {
            "key": "s2",
            "title": "二、其他",
            "declared_points": None,
            "items": [
                {"key": "3", "number": "", "title": "调撤率", "requirement": "调撤率", "rule_text": "",
                 "max_points": "6", "kind": "brackets",
                 "params": {"brackets": [{"min": "40", "points": "1"}, {"min": "50.5", "points": "2"}],
                            "unit": "%"},
                 "bonus": False, "penalty": False, "na_policy": "none", "indicator": None},
                {"key": "p", "number": "", "title": "通报", "requirement": "", "rule_text": "",
                 "max_points": "0", "kind": "penalty",
                 "params": {"per": "2", "removes_award_eligibility": False, "cap": None,
                            "label": "发生", "unit": "次"},
                 "bonus": False, "penalty": True, "na_policy": "none", "indicator": None},
            ],
        },
    ],
}  # fmt: skip


class TestRoundTrip:
    def test_to_dict_gives_the_normalised_file(self):
        assert rubric_to_dict(rubric_from_dict(WRITTEN)) == NORMALISED

    def test_normalised_file_loads_to_an_equal_rubric(self):
        assert rubric_from_dict(NORMALISED) == rubric_from_dict(WRITTEN)
        assert rubric_to_dict(rubric_from_dict(NORMALISED)) == NORMALISED

    def test_numbers_are_decimals_from_their_text(self):
        rubric = rubric_from_dict(WRITTEN)
        assert rubric.item("3").params["brackets"][1]["min"] == D("50.5")
        assert rubric.item("1").max_points == D(4)
        assert rubric.item("p").penalty

    @pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
    def test_every_fixture_round_trips(self, path):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        once = rubric_to_dict(rubric_from_dict(data))
        assert rubric_to_dict(rubric_from_dict(once)) == once
        assert rubric_from_dict(once) == rubric_from_dict(data)


def errors_of(data):
    with pytest.raises(RubricFormatError) as caught:
        rubric_from_dict(data)
    return caught.value.errors


def two_sections(third_item):
    return {
        "code": "bad",
        "title": "错误示例",
        "grades": [{"label": "优秀", "min": "90"}],
        "sections": [
            {
                "key": "s1",
                "title": "一",
                "items": [{"key": "1", "title": "甲", "max_points": 1, "kind": "veto"}],
            },
            {
                "key": "s2",
                "title": "二",
                "items": [
                    {"key": "2", "title": "乙", "max_points": 1, "kind": "veto"},
                    {"key": "2b", "title": "丙", "max_points": 1, "kind": "veto"},
                    third_item,
                ],
            },
        ],
    }


class TestRubricFormatErrors:
    def test_unknown_kind_with_its_place(self):
        item = {"key": "3", "title": "办公设施", "max_points": 3, "kind": "foo"}
        assert errors_of(two_sections(item)) == [
            "第 2 部分第 3 项「办公设施」：未知的评分方式「foo」"
        ]

    def test_missing_and_invalid_params(self):
        item = {"key": "3", "title": "台账", "max_points": 3, "kind": "deduct_per_occurrence"}
        assert errors_of(two_sections(item)) == ["第 2 部分第 3 项「台账」：缺少参数「per」"]
        item["params"] = {"per": "abc"}
        assert errors_of(two_sections(item)) == [
            "第 2 部分第 3 项「台账」：参数「per」的值「abc」不是数字"
        ]
        item["params"] = {"per": "0"}
        assert errors_of(two_sections(item)) == ["第 2 部分第 3 项「台账」：参数「per」应大于 0"]
        item["params"] = {"per": "1", "perr": "1"}
        assert errors_of(two_sections(item)) == ["第 2 部分第 3 项「台账」：未知的参数「perr」"]

    def test_duplicate_item_keys(self):
        item = {"key": "1", "title": "丁", "max_points": 1, "kind": "veto"}
        assert errors_of(two_sections(item)) == [
            "第 2 部分第 3 项「丁」：代码「1」与第 1 部分第 1 项重复"
        ]

    def test_bad_numbers_and_na_policy(self):
        item = {
            "key": "3",
            "title": "戊",
            "max_points": "三",
            "kind": "veto",
            "na_policy": "sometimes",
        }
        assert errors_of(two_sections(item)) == [
            "第 2 部分第 3 项「戊」：满分「三」不是数字",
            "第 2 部分第 3 项「戊」：未知的不适用处理方式「sometimes」，应为 none、average、full、zero 之一",
        ]

    def test_penalty_must_be_zero_points_and_of_kind_penalty(self):
        item = {
            "key": "3",
            "title": "通报",
            "max_points": 2,
            "kind": "penalty",
            "params": {"per": 2},
        }
        assert errors_of(two_sections(item)) == [
            "第 2 部分第 3 项「通报」：扣分项的满分应为 0，而不是 2"
        ]
        item = {
            "key": "3",
            "title": "通报",
            "max_points": 2,
            "kind": "discretionary",
            "penalty": True,
        }
        assert (
            "扣分项（penalty: true）的评分方式应为 penalty，反之亦然"
            in errors_of(two_sections(item))[0]
        )

    def test_grades_veto_grade_and_quota(self):
        data = two_sections({"key": "3", "title": "己", "max_points": 1, "kind": "veto"})
        data["veto_grade"] = "除名"
        data["quota"] = {"grade": "良好", "percent": "130"}
        assert errors_of(data) == [
            "一票否决等次「除名」不是本表的等次（优秀、不合格）",
            "名额限制（quota）：等次「良好」不是本表的分数段等次（优秀）",
            "名额限制（quota）：比例「130」不能超过 100",
        ]

    def test_every_problem_reported_at_once(self):
        data = two_sections({"key": "1", "title": "庚", "max_points": "x", "kind": "foo"})
        data["code"] = "Bad Code"
        data["colour"] = "red"
        errors = errors_of(data)
        assert errors == [
            "未知的字段「colour」",
            "代码「Bad Code」只能包含小写字母、数字和“-”",
            "第 2 部分第 3 项「庚」：代码「1」与第 1 部分第 1 项重复",
            "第 2 部分第 3 项「庚」：未知的评分方式「foo」",
            "第 2 部分第 3 项「庚」：满分「x」不是数字",
        ]
        assert str(errors_of(data)[0]) in str(
            pytest.raises(RubricFormatError, rubric_from_dict, data).value
        )
