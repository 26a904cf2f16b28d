"""Each rule kind on a one-item rubric. Expected values are worked out by hand in the
comments; the wording of explanations is checked where the contract quotes it."""

from decimal import Decimal as D

import pytest

from rubrics.engine import RubricFormatError, SheetInputError

LEVELS_RUGAO = [
    {"key": "city", "label": "本市级", "points": "1"},
    {"key": "nantong", "label": "南通市级", "points": "2"},
    {"key": "province", "label": "省级", "points": "3"},
    {"key": "national", "label": "国家级", "points": "4"},
]
LEVELS_XINJIAN = [
    {"key": "province", "label": "省级表彰", "points": "2"},
    {"key": "city", "label": "市级表彰", "points": "1"},
    {"key": "county", "label": "县级表彰", "points": "0.5"},
]


def error_of(build, rubric, value):
    with pytest.raises(SheetInputError) as caught:
        build.score(rubric, value)
    assert len(caught.value.messages) == 1
    return caught.value.messages[0]


class TestDiscretionary:
    def test_score_in_half_steps(self, build):
        rubric = build.one("discretionary", "6")
        result = build.score(rubric, {"score": "2.5"})
        assert result.score == D("2.5")
        assert result.explanation == "酌情得 2.5 分"

    def test_full_width_digits_accepted(self, build):
        rubric = build.one("discretionary", "6")
        assert build.score(rubric, {"score": "２．５"}).score == D("2.5")

    def test_score_above_max_rejected(self, build):
        rubric = build.one("discretionary", "6", title="企业信息")
        assert (
            error_of(build, rubric, {"score": "7"}) == "第 1 项「企业信息」：得分「7」超过满分 6 分"
        )

    def test_score_off_step_rejected(self, build):
        rubric = build.one("discretionary", "6")
        message = error_of(build, rubric, {"score": "2.3"})
        assert message == "第 1 项「测试项」：得分「2.3」不是 0.5 的整数倍"

    def test_custom_step(self, build):
        rubric = build.one("discretionary", "2", {"step": "0.1"})
        assert build.score(rubric, {"score": "1.8"}).score == D("1.8")

    def test_negative_rejected(self, build):
        rubric = build.one("discretionary", "6")
        assert error_of(build, rubric, {"score": "-1"}) == "第 1 项「测试项」：得分「-1」不能为负数"

    def test_non_numeric_rejected(self, build):
        rubric = build.one("discretionary", "6")
        assert error_of(build, rubric, {"score": "abc"}) == "第 1 项「测试项」：得分「abc」不是数字"

    def test_missing_score_field_rejected(self, build):
        rubric = build.one("discretionary", "6")
        assert error_of(build, rubric, {}) == "第 1 项「测试项」：缺少得分"


class TestDeductPerOccurrence:
    def test_three_missing_records(self, build):
        rubric = build.one("deduct_per_occurrence", "8", {"per": "1", "label": "缺"})
        result = build.score(rubric, {"count": 3})
        # 8 − 3 × 1 = 5
        assert result.score == D(5)
        assert result.explanation == "缺 3 次，每次扣 1 分，扣 3 分，得 5 分"

    def test_deducts_to_zero_and_no_further(self, build):
        rubric = build.one("deduct_per_occurrence", "8", {"per": "1", "label": "缺"})
        result = build.score(rubric, {"count": 10})
        # 10 × 1 = 10 > 8 → 扣完为止 → 0
        assert result.score == D(0)
        assert "扣完为止" in result.explanation

    def test_fractional_points_per_occurrence(self, build):
        # 新建 23: 每少1篇（次）扣0.3分 (1 point): 2 missing → 1 − 0.6 = 0.4
        rubric = build.one("deduct_per_occurrence", "1", {"per": "0.3", "unit": "篇"})
        assert build.score(rubric, {"count": 2}).score == D("0.4")
        # 4 missing → 1.2 ≥ 1 → 0
        assert build.score(rubric, {"count": 4}).score == D(0)

    def test_zero_occurrences_full_marks(self, build):
        rubric = build.one("deduct_per_occurrence", "8", {"per": "1"})
        assert build.score(rubric, {"count": 0}).score == D(8)

    def test_full_width_count(self, build):
        rubric = build.one("deduct_per_occurrence", "8", {"per": "1"})
        assert build.score(rubric, {"count": "３"}).score == D(5)

    def test_fractional_count_rejected(self, build):
        rubric = build.one("deduct_per_occurrence", "8", {"per": "1"})
        assert error_of(build, rubric, {"count": "2.5"}) == "第 1 项「测试项」：次数「2.5」不是整数"

    def test_negative_count_rejected(self, build):
        rubric = build.one("deduct_per_occurrence", "8", {"per": "1"})
        assert error_of(build, rubric, {"count": -1}) == "第 1 项「测试项」：次数「-1」不能为负数"


class TestFixedDeductions:
    # 湖塘 1 (4 points): not set up −2, no sign −1, network down −1 each time
    PARAMS = {
        "deductions": [
            {"key": "not_set_up", "label": "未设立", "points": "2"},
            {"key": "no_sign", "label": "未挂牌", "points": "1"},
            {"key": "network_down", "label": "网络中断", "points": "1", "each": True},
        ],
        "zero_if": [{"key": "no_window", "label": "无独立办事窗口"}],
    }

    def test_named_failures_deduct(self, build):
        rubric = build.one("fixed_deductions", "4", self.PARAMS)
        result = build.score(rubric, {"flags": {"no_sign": True, "network_down": 2}})
        # 4 − 1 − 2 × 1 = 1
        assert result.score == D(1)
        assert "未挂牌扣 1 分" in result.explanation
        assert "网络中断 2 次，每次扣 1 分，扣 2 分" in result.explanation

    def test_floor_zero(self, build):
        rubric = build.one("fixed_deductions", "4", self.PARAMS)
        # 2 + 3 × 1 = 5 > 4 → 0
        result = build.score(rubric, {"flags": {"not_set_up": True, "network_down": 3}})
        assert result.score == D(0)

    def test_zero_if_scores_nothing(self, build):
        rubric = build.one("fixed_deductions", "4", self.PARAMS)
        result = build.score(rubric, {"flags": {"no_window": True}})
        assert result.score == D(0)
        assert result.explanation == "无独立办事窗口，此项不得分"

    def test_no_flags_full_marks(self, build):
        rubric = build.one("fixed_deductions", "4", self.PARAMS)
        assert build.score(rubric, {"flags": {}}).score == D(4)
        assert build.score(rubric, {"flags": {"no_sign": False}}).score == D(4)

    def test_unknown_flag_rejected(self, build):
        rubric = build.one("fixed_deductions", "4", self.PARAMS)
        message = error_of(build, rubric, {"flags": {"foo": True}})
        assert message == "第 1 项「测试项」：未知的扣分情形「foo」"


class TestChecklist:
    PARAMS = {
        "parts": [
            {"key": "kept", "label": "保存完好", "points": "2"},
            {"key": "staff", "label": "有专人负责", "points": "1"},
        ]
    }

    def test_points_for_what_is_present(self, build):
        rubric = build.one("checklist", "3", self.PARAMS)
        assert build.score(rubric, {"flags": {"kept": True}}).score == D(2)
        assert build.score(rubric, {"flags": {"kept": True, "staff": True}}).score == D(3)
        assert build.score(rubric, {"flags": {}}).score == D(0)

    def test_explanation_lists_present_and_missing(self, build):
        rubric = build.one("checklist", "3", self.PARAMS)
        result = build.score(rubric, {"flags": {"kept": True, "staff": False}})
        assert result.explanation == "具备：保存完好（2 分）；缺少：有专人负责；得 2 分"


class TestAllOrNothing:
    def test_completed_scores_max(self, build):
        rubric = build.one("all_or_nothing", "5", {"unit": "人"})
        result = build.score(rubric, {"target": 250, "actual": 250})
        assert result.score == D(5)
        assert result.explanation == "目标 250 人，完成 250 人，已完成，得 5 分"

    def test_one_short_scores_nothing(self, build):
        rubric = build.one("all_or_nothing", "5", {"unit": "人"})
        result = build.score(rubric, {"target": 250, "actual": 249})
        assert result.score == D(0)
        assert result.explanation == "目标 250 人，完成 249 人，未完成，不得分"

    def test_actual_above_target(self, build):
        rubric = build.one("all_or_nothing", "5")
        assert build.score(rubric, {"target": 250, "actual": 400}).score == D(5)

    def test_zero_target_full_by_default_or_zero(self, build):
        assert build.score(build.one("all_or_nothing", "5"), {"target": 0, "actual": 0}).score == D(
            5
        )
        rubric = build.one("all_or_nothing", "5", {"zero_target": "zero"})
        assert build.score(rubric, {"target": 0, "actual": 3}).score == D(0)

    def test_rate_against_threshold(self, build):
        rubric = build.one("all_or_nothing", "5")
        assert build.score(rubric, {"rate": "100%"}).score == D(5)
        assert build.score(rubric, {"rate": "99.9"}).score == D(0)
        rubric = build.one("all_or_nothing", "5", {"threshold": "95"})
        assert build.score(rubric, {"rate": 96}).score == D(5)


class TestProportional:
    def test_contract_example(self, build):
        rubric = build.one("proportional", "4", {"unit": "人"})
        result = build.score(rubric, {"target": 255, "actual": 200})
        # 200 / 255 = 0.784313…; 4 × 0.784313… = 3.137… → 3.14
        assert result.score == D("3.14")
        assert result.explanation == "目标 255 人，完成 200 人，完成率 78.43%，按比例得 3.14 分"

    def test_actual_above_target_capped(self, build):
        rubric = build.one("proportional", "4")
        # 300 / 255 > 1 → the item's max, 4
        assert build.score(rubric, {"target": 255, "actual": 300}).score == D(4)

    def test_zero_target(self, build):
        assert build.score(build.one("proportional", "4"), {"target": 0, "actual": 0}).score == D(4)
        rubric = build.one("proportional", "4", {"zero_target": "zero"})
        assert build.score(rubric, {"target": 0, "actual": 5}).score == D(0)

    def test_sub_source_reads_the_parenthesised_target(self, build):
        rubric = build.one("proportional", "3", {"source": "sub"})
        # 3 × 85 / 170 = 1.5
        value = {"target": 450, "actual": 450, "sub_target": 170, "sub_actual": 85}
        assert build.score(rubric, value).score == D("1.5")

    def test_rate_input(self, build):
        rubric = build.one("proportional", "4")
        # 4 × 80 / 100 = 3.2
        assert build.score(rubric, {"rate": "80%"}).score == D("3.2")

    def test_full_width_digits(self, build):
        rubric = build.one("proportional", "4")
        assert build.score(rubric, {"target": "２５５", "actual": "２００"}).score == D("3.14")

    def test_negative_actual_rejected(self, build):
        rubric = build.one("proportional", "4")
        message = error_of(build, rubric, {"target": 255, "actual": -5})
        assert message == "第 1 项「测试项」：完成数「-5」不能为负数"

    def test_non_numeric_target_rejected(self, build):
        rubric = build.one("proportional", "4")
        message = error_of(build, rubric, {"target": "12O0", "actual": 5})
        assert message == "第 1 项「测试项」：目标值「12O0」不是数字"


class TestShortfallStep:
    def test_new_entrepreneurs_point_two_per_person(self, build):
        # 如皋 新增创业人数: 每少1人扣0.2分 (6 points), target 260, actual 250
        rubric = build.one("shortfall_step", "6", {"step": "1", "points": "0.2", "unit": "人"})
        result = build.score(rubric, {"target": 260, "actual": 250})
        # short 10 × 0.2 = 2 → 6 − 2 = 4
        assert result.score == D(4)
        assert result.explanation == (
            "目标 260 人，完成 250 人，少 10 人，每少 1 人扣 0.2 分，扣 2 分，得 4 分"
        )

    def test_partial_step_does_not_count(self, build):
        # 如皋 劳动力外引: 每少10人扣1分 (3 points); short 15 → 1 whole step
        rubric = build.one("shortfall_step", "3", {"step": "10", "points": "1", "unit": "人"})
        result = build.score(rubric, {"target": 260, "actual": 245})
        assert result.score == D(2)  # 3 − 1
        assert "少 15 人，每少 10 人扣 1 分（不足一档不扣），扣 1 分，得 2 分" in result.explanation

    def test_partial_step_ceil_and_exact(self, build):
        ceil = build.one("shortfall_step", "3", {"step": "10", "points": "1", "partial": "ceil"})
        assert build.score(ceil, {"target": 260, "actual": 245}).score == D(1)  # 2 steps
        exact = build.one("shortfall_step", "3", {"step": "10", "points": "1", "partial": "exact"})
        assert build.score(exact, {"target": 260, "actual": 245}).score == D("1.5")  # 1.5 steps

    def test_actual_above_target(self, build):
        rubric = build.one("shortfall_step", "3", {"step": "10", "points": "1"})
        assert build.score(rubric, {"target": 260, "actual": 300}).score == D(3)

    def test_zero_target(self, build):
        rubric = build.one("shortfall_step", "6", {"step": "1", "points": "2"})
        assert build.score(rubric, {"target": 0, "actual": 0}).score == D(6)

    def test_deducts_to_zero(self, build):
        # 新增创业项目: 每少一个扣2分 (6 points): target 4, actual 0 → 8 > 6 → 0
        rubric = build.one("shortfall_step", "6", {"step": "1", "points": "2", "unit": "个"})
        result = build.score(rubric, {"target": 4, "actual": 0})
        assert result.score == D(0)
        assert "扣完为止" in result.explanation


class TestRateBelow:
    def test_whole_points_below(self, build):
        rubric = build.one("rate_below", "3", {"points_per_point": "1"})
        # 100 − 98 = 2 points below → 3 − 2 = 1
        assert build.score(rubric, {"rate": "98"}).score == D(1)
        assert build.score(rubric, {"rate": "100%"}).score == D(3)

    def test_partial_point_floor_by_default(self, build):
        rubric = build.one("rate_below", "3", {"points_per_point": "1"})
        result = build.score(rubric, {"rate": "97.5"})
        # 2.5 below, counted as 2 → 3 − 2 = 1
        assert result.score == D(1)
        assert "按 2 个百分点计" in result.explanation

    def test_partial_point_exact(self, build):
        rubric = build.one("rate_below", "3", {"points_per_point": "1", "partial": "exact"})
        assert build.score(rubric, {"rate": "97.5"}).score == D("0.5")  # 3 − 2.5

    def test_custom_threshold_and_floor_zero(self, build):
        rubric = build.one("rate_below", "3", {"threshold": "95", "points_per_point": "1"})
        assert build.score(rubric, {"rate": 94}).score == D(2)  # 1 below
        assert build.score(rubric, {"rate": 80}).score == D(0)  # 15 below → 扣完为止


class TestBrackets:
    PARAMS = {"brackets": [{"min": str(40 + 10 * i), "points": str(i + 1)} for i in range(6)]}

    @pytest.mark.parametrize(
        "rate, points",
        [
            ("39.9", 0),
            ("40", 1),
            ("49.9", 1),
            ("50", 2),
            ("89.99", 5),
            ("90", 6),
            ("95", 6),
            ("100", 6),
        ],
    )
    def test_inclusive_lower_bounds(self, build, rate, points):
        # 调撤率低于40%的不得分，40%-50%得1分，50%-60%得2分，依次类推 (6 points)
        rubric = build.one("brackets", "6", self.PARAMS)
        assert build.score(rubric, {"value": rate}).score == D(points)

    def test_explanations(self, build):
        rubric = build.one("brackets", "6", self.PARAMS)
        assert (
            build.score(rubric, {"value": 45}).explanation
            == "实际 45%，在 40%（含）至 50% 档，得 1 分"
        )
        assert (
            build.score(rubric, {"value": 95}).explanation
            == "实际 95%，在 90%（含）以上档，得 6 分"
        )
        assert build.score(rubric, {"value": "39.9"}).explanation == "实际 39.9%，低于 40%，不得分"

    def test_brackets_must_ascend(self, build):
        params = {"brackets": [{"min": "50", "points": "2"}, {"min": "40", "points": "1"}]}
        with pytest.raises(RubricFormatError, match="从低到高"):
            build.one("brackets", "6", params)


class TestComposite:
    # 如皋 技能提升培训（其中鉴定取证）: 培训和鉴定取证各3分
    PARAMS = {
        "components": [
            {"key": "training", "label": "培训", "max_points": "3", "kind": "proportional"},
            {
                "key": "certification",
                "label": "鉴定取证",
                "max_points": "3",
                "kind": "proportional",
                "params": {"source": "sub"},
            },
        ]
    }

    def test_components_read_the_items_targets(self, build):
        rubric = build.one("composite", "8", self.PARAMS)
        value = {"target": 450, "actual": 360, "sub_target": 170, "sub_actual": 170}
        result = build.score(rubric, value)
        # 培训 3 × 360 / 450 = 2.4; 鉴定取证 170 / 170 → 3; 2.4 + 3 = 5.4
        assert result.score == D("5.4")
        assert result.components == {"training": D("2.4"), "certification": D(3)}
        assert result.explanation.endswith("合计 5.4 分")

    def test_own_input_wins_over_the_items(self, build):
        rubric = build.one("composite", "8", self.PARAMS)
        value = {
            "target": 450,
            "actual": 450,
            "sub_target": 170,
            "sub_actual": 170,
            "components": {"training": {"target": 450, "actual": 225}},
        }
        # 培训 3 × 225 / 450 = 1.5; 鉴定取证 3 → 4.5
        assert build.score(rubric, value).score == D("4.5")

    def test_capped_at_item_max(self, build):
        rubric = build.one("composite", "5", self.PARAMS)
        value = {"target": 10, "actual": 10, "sub_target": 5, "sub_actual": 5}
        result = build.score(rubric, value)
        # 3 + 3 = 6 > 5 → 5
        assert result.score == D(5)
        assert "超过满分 5 分" in result.explanation

    def test_component_error_names_the_component(self, build):
        rubric = build.one("composite", "8", self.PARAMS)
        value = {"target": 450, "actual": -1, "sub_target": 170, "sub_actual": 170}
        message = error_of(build, rubric, value)
        assert message == "第 1 项「测试项」：培训：完成数「-1」不能为负数"

    def test_unknown_component_rejected(self, build):
        rubric = build.one("composite", "8", self.PARAMS)
        value = {
            "target": 1,
            "actual": 1,
            "sub_target": 1,
            "sub_actual": 1,
            "components": {"x": {}},
        }
        assert error_of(build, rubric, value) == "第 1 项「测试项」：未知的组成部分「x」"

    def test_composite_inside_composite_refused(self, build):
        params = {
            "components": [{"key": "a", "label": "甲", "max_points": "3", "kind": "composite"}]
        }
        with pytest.raises(RubricFormatError, match="组成部分的评分方式不能是「composite」"):
            build.one("composite", "3", params)


class TestHighestLevel:
    def test_per_project_highest_then_capped(self, build):
        rubric = build.one("highest_level", "4", {"levels": LEVELS_RUGAO})
        claims = [
            {"project": "孵化基地", "level": "province"},
            {"project": "工匠工作室", "level": "national"},
        ]
        result = build.score(rubric, {"claims": claims})
        # province 3 + national 4 = 7 → 4分封顶 → 4
        assert result.score == D(4)
        assert "合计 7 分，4 分封顶，得 4 分" in result.explanation

    def test_same_project_counts_once_at_its_highest(self, build):
        rubric = build.one("highest_level", "4", {"levels": LEVELS_RUGAO})
        claims = [
            {"project": "孵化基地", "level": "city"},
            {"project": "孵化基地", "level": "province"},
            {"project": "返乡创业园", "level": "city"},
        ]
        # 孵化基地 max(1, 3) = 3; 返乡创业园 1 → 4
        assert build.score(rubric, {"claims": claims}).score == D(4)
        claims = [
            {"project": "孵化基地", "level": "city"},
            {"project": "孵化基地", "level": "nantong"},
        ]
        assert build.score(rubric, {"claims": claims}).score == D(2)

    def test_no_claims_scores_zero(self, build):
        rubric = build.one("highest_level", "4", {"levels": LEVELS_RUGAO})
        assert build.score(rubric, {"claims": []}).score == D(0)

    def test_unknown_level_rejected(self, build):
        rubric = build.one("highest_level", "4", {"levels": LEVELS_RUGAO})
        message = error_of(build, rubric, {"claims": [{"project": "甲", "level": "world"}]})
        assert "第 1 条申报的级别「world」未知" in message


class TestAdditiveBonus:
    def test_sum_capped(self, build):
        rubric = build.one("additive_bonus", "2", {"levels": LEVELS_XINJIAN}, bonus=True)
        # 省级 2 + 市级 1 = 3 → 最高加2分 → 2
        result = build.score(rubric, {"claims": [{"level": "province"}, {"level": "city"}]})
        assert result.score == D(2)

    def test_exactly_at_the_cap(self, build):
        rubric = build.one("additive_bonus", "2", {"levels": LEVELS_XINJIAN}, bonus=True)
        # 市级 1 + 县级 0.5 × 2 = 2 = the cap
        claims = [{"level": "city"}, {"level": "county", "count": 2}]
        result = build.score(rubric, {"claims": claims})
        assert result.score == D(2)
        assert "封顶" not in result.explanation

    def test_counted_level(self, build):
        # 新建 五.3: 每增加1人加0.5分，最高加2分; 3 more staff → 1.5, 5 more → 2.5 → 2
        levels = [{"key": "extra_staff", "label": "增加专职人员", "points": "0.5"}]
        rubric = build.one("additive_bonus", "2", {"levels": levels}, bonus=True)
        assert build.score(rubric, {"claims": [{"level": "extra_staff", "count": 3}]}).score == D(
            "1.5"
        )
        assert build.score(rubric, {"claims": [{"level": "extra_staff", "count": 5}]}).score == D(2)


class TestPenalty:
    PARAMS = {"per": "2", "removes_award_eligibility": True}

    def test_count_times_per(self, build):
        rubric = build.one("penalty", "0", self.PARAMS, penalty=True)
        result = build.score(rubric, {"count": 2})
        assert result.score == D(4)  # 2 × 2, deducted after the base total
        assert result.award_lost
        assert result.explanation == "发生 2 次，每次扣 2 分，扣 4 分，并取消评先评优资格"

    def test_zero_count_keeps_eligibility(self, build):
        rubric = build.one("penalty", "0", self.PARAMS, penalty=True)
        result = build.score(rubric, {"count": 0})
        assert result.score == D(0)
        assert not result.award_lost

    def test_cap(self, build):
        rubric = build.one("penalty", "0", {"per": "2", "cap": "3"}, penalty=True)
        assert build.score(rubric, {"count": 2}).score == D(3)  # 4 → at most 3


class TestVeto:
    def test_passed_earns_the_points(self, build):
        rubric = build.one("veto", "3")
        result = build.score(rubric, {"passed": True})
        assert result.score == D(3)
        assert not result.veto_failed

    def test_failed_scores_zero_and_marks_the_veto(self, build):
        rubric = build.one("veto", "3")
        result = build.score(rubric, {"passed": False})
        assert result.score == D(0)
        assert result.veto_failed
        assert result.explanation == "一票否决项未通过"

    def test_zero_point_veto(self, build):
        rubric = build.one("veto", "0")
        assert build.score(rubric, {"passed": True}).score == D(0)

    def test_form_words_accepted(self, build):
        rubric = build.one("veto", "3")
        assert build.score(rubric, {"passed": "是"}).score == D(3)
        assert build.score(rubric, {"passed": "否"}).veto_failed

    def test_other_values_rejected(self, build):
        rubric = build.one("veto", "3")
        message = error_of(build, rubric, {"passed": "也许"})
        assert message == "第 1 项「测试项」：是否通过「也许」应为“是”或“否”"


class TestPeerAverage:
    def test_mean_of_ratings(self, build):
        rubric = build.one("peer_average", "4")
        # (4 + 4 + 3.5) / 3 = 3.8333… → 3.83
        result = build.score(rubric, {"ratings": ["4", "4", "3.5"]})
        assert result.score == D("3.83")
        assert result.explanation == "3 人评议（4、4、3.5），平均得 3.83 分"

    def test_rating_above_max_rejected(self, build):
        rubric = build.one("peer_average", "4")
        message = error_of(build, rubric, {"ratings": ["4", "5"]})
        assert message == "第 1 项「测试项」：第 2 个评议分「5」超过满分 4 分"

    def test_no_ratings_rejected(self, build):
        rubric = build.one("peer_average", "4")
        assert "缺少评议分" in error_of(build, rubric, {"ratings": []})


class TestScoreItem:
    def test_scores_one_raw_input_without_a_sheet(self, build):
        from rubrics.engine.rules import score_item

        rubric = build.one("proportional", "4", {"unit": "人"})
        outcome = score_item(rubric.item("x"), {"target": 255, "actual": 200})
        assert outcome.score == D("3.14")

    def test_raises_the_items_error(self, build):
        from rubrics.engine import InputError
        from rubrics.engine.rules import score_item

        rubric = build.one("proportional", "4")
        with pytest.raises(InputError, match="第 1 项「测试项」：缺少完成数"):
            score_item(rubric.item("x"), {"target": 255})
