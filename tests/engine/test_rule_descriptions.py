"""Every rule kind says in one sentence what an item of it will do, from its parameters
(the rubric editor shows it under the item)."""

from decimal import Decimal

import pytest

from rubrics.engine.rules import KINDS


def said(kind: str, params: dict, top: str | None = "3") -> str:
    return KINDS[kind].describe(params, Decimal(top) if top is not None else None)


class TestEveryKindDescribesItself:
    @pytest.mark.parametrize("name", sorted(KINDS))
    def test_every_registered_kind_has_a_sentence_for_its_example(self, name):
        kind = KINDS[name]
        example = {p.name: p.example for p in kind.params if p.example is not None}
        sentence = kind.describe(example, Decimal(3))
        assert sentence and "?" not in sentence and "{" not in sentence

    @pytest.mark.parametrize("name", sorted(KINDS))
    def test_a_sentence_survives_missing_or_garbled_parameters(self, name):
        assert isinstance(KINDS[name].describe({}, None), str)
        assert isinstance(KINDS[name].describe({"levels": "x", "brackets": 3}, Decimal(2)), str)


class TestSentences:
    def test_deduction_per_occurrence_to_zero(self):
        # 湖塘 17: 「没有记录一次扣1分」, 3 points.
        assert said("deduct_per_occurrence", {"per": "1"}) == "每次扣 1 分，扣完为止，最多扣 3 分"
        assert (
            said("deduct_per_occurrence", {"per": "1", "label": "少", "unit": "人"})
            == "少每人扣 1 分，扣完为止，最多扣 3 分"
        )

    def test_fixed_deductions_name_each_failure(self):
        # 湖塘 1: not set up −2, no sign −1, network down −1 each time.
        params = {
            "deductions": [
                {"key": "a", "label": "无标牌", "points": "1"},
                {"key": "b", "label": "网络中断", "points": "1", "each": True},
            ],
            "zero_if": [{"key": "z", "label": "未设立平台"}],
        }
        assert said("fixed_deductions", params) == (
            "无标牌扣 1 分；网络中断每次扣 1 分；出现「未设立平台」此项不得分；扣完为止，最多扣 3 分"
        )

    def test_checklist_lists_what_earns_points(self):
        params = {
            "parts": [
                {"key": "a", "label": "保存完好", "points": "2"},
                {"key": "b", "label": "有专人负责", "points": "1"},
            ]
        }
        assert (
            said("checklist", params)
            == "具备即得分：保存完好 2 分、有专人负责 1 分；合计不超过 3 分"
        )

    def test_discretionary_gives_its_range_and_step(self):
        assert said("discretionary", {}, "5") == "考核人酌情给分，0 至 5 分，按 0.5 分一档"

    def test_all_or_nothing_on_a_target(self):
        assert (
            said("all_or_nothing", {}, "4")
            == "完成目标任务得满分 4 分，未完成不得分；目标为 0 的得满分"
        )
        assert said("all_or_nothing", {"threshold": "90", "zero_target": "zero"}, "4") == (
            "完成数达到目标的 90%得满分 4 分，未完成不得分；目标为 0 的不得分"
        )

    def test_proportional_says_which_numbers(self):
        assert said("proportional", {"source": "sub"}, "4") == (
            "按括号里的「其中」完成数占「其中」目标的比例得分，超额完成不超过 4 分；目标为 0 的得满分"
        )

    def test_shortfall_step(self):
        # 如皋 劳动力外引: 「每少10人扣1分，扣完为止」, 3 points.
        params = {"step": "10", "points": "1", "unit": "人"}
        assert said("shortfall_step", params) == (
            "比目标每少 10 人扣 1 分，不足一档不扣，扣完为止，最多扣 3 分"
        )

    def test_rate_below(self):
        assert said("rate_below", {"points_per_point": "1"}) == (
            "比率达到 100% 得满分，每低 1 个百分点扣 1 分（不足一个百分点不扣），扣完为止"
        )

    def test_brackets_from_low_to_high(self):
        params = {"brackets": [{"min": "40", "points": "1"}, {"min": "50", "points": "2"}]}
        assert (
            said("brackets", params, "6") == "低于 40% 不得分；40% 及以上得 1 分；50% 及以上得 2 分"
        )

    def test_composite_describes_its_parts(self):
        # 如皋 技能提升培训: 「培训和鉴定取证各3分」.
        params = {
            "components": [
                {"key": "a", "label": "培训", "max_points": "3", "kind": "discretionary"},
                {"key": "b", "label": "鉴定取证", "max_points": "3", "kind": "discretionary"},
            ]
        }
        assert said("composite", params, "6") == (
            "分项计分后相加，合计不超过 6 分：培训 3 分（考核人酌情给分，0 至 3 分，按 0.5 分一档）；"
            "鉴定取证 3 分（考核人酌情给分，0 至 3 分，按 0.5 分一档）"
        )

    def test_highest_level_capped(self):
        params = {
            "levels": [
                {"key": "c", "label": "本市级", "points": "1"},
                {"key": "n", "label": "国家级", "points": "4"},
            ]
        }
        assert said("highest_level", params, "4") == (
            "同一项目取最高级别计分：本市级 1 分、国家级 4 分，各项目相加，4 分封顶"
        )

    def test_additive_bonus_capped(self):
        # 新建 五.1: 「省级2分，市级1分，县级0.5分，最高加2分」.
        params = {
            "levels": [
                {"key": "p", "label": "省级", "points": "2"},
                {"key": "c", "label": "市级", "points": "1"},
                {"key": "x", "label": "县级", "points": "0.5"},
            ]
        }
        assert said("additive_bonus", params, "2") == (
            "按级别累加：省级每次 2 分、市级每次 1 分、县级每次 0.5 分，2 分封顶"
        )

    def test_penalty_outside_the_hundred_points(self):
        # 新建 四: −2 per incident and loss of award eligibility.
        params = {"per": "2", "removes_award_eligibility": True}
        assert said("penalty", params, "0") == (
            "在 100 分以外扣分：每发生 1 次扣 2 分，并取消评先评优资格"
        )

    def test_veto(self):
        assert (
            said("veto", {}, "0") == "不符合要求即一票否决：不论得分多少，直接定为一票否决时的等次"
        )

    def test_peer_average(self):
        assert (
            said("peer_average", {"step": "1"}, "3")
            == "取各评议人打分的平均分（每人 0 至 3 分，按 1 分一档）"
        )
