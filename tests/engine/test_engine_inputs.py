"""Checking a sheet's inputs: every problem collected, each naming item and value."""

from decimal import Decimal as D

import pytest

from rubrics.engine import SheetInputError, check_inputs, evaluate


@pytest.fixture(scope="module")
def rubric(build):
    return build.make(
        build.item("1", "veto", "3", title="设立平台"),
        build.item("6", "discretionary", "6", title="企业信息"),
        build.item("7", "deduct_per_occurrence", "4", {"per": "1"}, title="台账记录"),
        build.item("8", "proportional", "10", title="退捕渔民", na_policy="average"),
    )


def good(**items):
    data = {"1": {"passed": True}, "6": {"score": "5"}, "7": {"count": 0}, "8": {"na": True}}
    data.update(items)
    return {"subject": "东陈镇", "items": data}


class TestSheetInputs:
    def test_all_problems_raised_together(self, rubric):
        sheet = good(**{"6": {"score": "7"}, "7": {"count": "abc"}, "99": {"score": "1"}})
        with pytest.raises(SheetInputError) as caught:
            evaluate(rubric, sheet)
        assert caught.value.messages == [
            "未知的评分项「99」",
            "第 6 项「企业信息」：得分「7」超过满分 6 分",
            "第 7 项「台账记录」：次数「abc」不是数字",
        ]
        assert [e.item_key for e in caught.value.errors] == ["99", "6", "7"]

    def test_check_inputs_lists_without_raising(self, rubric):
        errors = check_inputs(rubric.plan, good(**{"6": {"score": "-2"}}))
        assert [e.message for e in errors] == ["第 6 项「企业信息」：得分「-2」不能为负数"]
        assert check_inputs(rubric.plan, good()) == []

    def test_na_on_an_item_without_na_policy(self, rubric):
        with pytest.raises(SheetInputError) as caught:
            evaluate(rubric, good(**{"6": {"na": True}}))
        assert caught.value.messages == ["第 6 项「企业信息」：此项不能标为“不适用”"]

    def test_na_false_is_ignored(self, rubric):
        result = evaluate(rubric, good(**{"6": {"na": False, "score": "4"}}))
        assert result.item("6").score == D(4)

    def test_item_input_must_be_a_mapping(self, rubric):
        with pytest.raises(SheetInputError) as caught:
            evaluate(rubric, good(**{"6": "5"}))
        assert caught.value.messages == ["第 6 项「企业信息」：输入应为键值对"]

    def test_integer_item_keys_accepted(self, rubric):
        sheet = {"subject": "甲", "items": {1: {"passed": True}, 6: {"score": 5}}}
        result = evaluate(rubric, sheet)
        assert result.item("6").score == D(5)

    def test_full_width_digits_everywhere(self, rubric):
        result = evaluate(rubric, good(**{"6": {"score": "５．５"}, "7": {"count": "２"}}))
        assert result.item("6").score == D("5.5")
        assert result.item("7").score == D(2)  # 4 − 2 × 1

    def test_errors_are_value_errors_with_all_messages(self, rubric):
        with pytest.raises(ValueError, match="得分「7」超过满分 6 分"):
            evaluate(rubric, good(**{"6": {"score": 7}}))

    def test_empty_strings_are_not_answers(self, rubric):
        # an empty 「是否通过」 is missing, not a failed veto; an empty N/A mark is no mark
        with pytest.raises(SheetInputError, match="缺少“是否通过”"):
            evaluate(rubric, good(**{"1": {"passed": ""}}))
        result = evaluate(rubric, good(**{"8": {"na": "", "target": 10, "actual": 5}}))
        assert result.item("8").score == D(5)  # 10 × 5 / 10

    def test_absurdly_large_numbers_refused(self, rubric):
        with pytest.raises(SheetInputError, match="完成数「1e999999」过大"):
            evaluate(rubric, good(**{"8": {"target": 10, "actual": "1e999999"}}))
