"""Stored inputs read as words in the item's own labels, for every rule kind."""

from types import SimpleNamespace

import pytest

from assessments.change_text import change_sentence, change_values, input_text
from rubrics.engine import KINDS

DEDUCTIONS = {
    "deductions": [
        {"key": "sign", "label": "无标识牌", "points": "1"},
        {"key": "down", "label": "网络中断", "points": "1", "each": True},
    ],
    "zero_if": [{"key": "none", "label": "未设立"}],
}
LEVELS = {
    "levels": [
        {"key": "province", "label": "省级", "points": "2"},
        {"key": "city", "label": "市级", "points": "1"},
    ]
}
COMPOSITE = {
    "components": [
        {"key": "t", "label": "培训", "max_points": "3", "kind": "discretionary"},
        {"key": "c", "label": "鉴定取证", "max_points": "3", "kind": "discretionary"},
    ]
}

# kind → (params, stored input, the words)
CASES = {
    "discretionary": ({}, {"score": "2.5"}, "得分 2.5"),
    "deduct_per_occurrence": ({"per": "1"}, {"count": 3}, "发生次数 3"),
    "fixed_deductions": (
        DEDUCTIONS,
        {"flags": {"sign": True, "down": 2}},
        "网络中断 2，勾选：无标识牌",
    ),
    "checklist": (
        {
            "parts": [
                {"key": "a", "label": "保存完好", "points": "2"},
                {"key": "b", "label": "有专人负责", "points": "1"},
            ]
        },
        {"flags": {"a": True, "b": False}},
        "勾选：保存完好",
    ),
    "all_or_nothing": ({}, {"target": "100", "actual": "120"}, "目标 100，完成 120"),
    "proportional": ({}, {"rate": "80"}, "完成率 80%"),
    "shortfall_step": (
        {"step": "10", "points": "1"},
        {"target": "50", "actual": "31"},
        "目标 50，完成 31",
    ),
    "rate_below": ({"points_per_point": "1"}, {"rate": "75"}, "比率 75%"),
    "brackets": ({"brackets": [{"min": "40", "points": "1"}]}, {"value": "55"}, "比率 55%"),
    "composite": (
        COMPOSITE,
        {"components": {"t": {"score": "3"}, "c": {"score": "2"}}},
        "培训：得分 3，鉴定取证：得分 2",
    ),
    "highest_level": (
        LEVELS,
        {"claims": [{"project": "1", "level": "city", "count": "1"}]},
        "市级项目数（按最高级别） 1",
    ),
    "additive_bonus": (LEVELS, {"claims": [{"level": "province", "count": "2"}]}, "省级次数 2"),
    "penalty": ({"per": "2"}, {"count": 1}, "发生次数 1"),
    "veto": ({}, {"passed": False}, "不符合"),
    "peer_average": (
        {},
        {"ratings": ["4", "4.5", "5"]},
        "各评议人打分（用逗号或空格分隔） 4 4.5 5",
    ),
}


class TestInputText:
    def test_every_registered_kind_has_a_case(self):
        assert set(CASES) == set(KINDS)

    @pytest.mark.parametrize("kind", sorted(CASES))
    def test_an_input_reads_as_its_fields_labels_and_values(self, kind):
        params, value, words = CASES[kind]
        assert input_text(kind, params, value) == words

    @pytest.mark.parametrize("kind", sorted(CASES))
    def test_the_stored_json_text_reads_the_same_and_has_no_keys_or_braces(self, kind):
        import json

        params, value, words = CASES[kind]
        text = input_text(kind, params, json.dumps(value, ensure_ascii=False))
        assert text == words
        assert "{" not in text and '"' not in text

    def test_no_boxes_ticked_says_so(self):
        assert input_text("fixed_deductions", DEDUCTIONS, {"flags": {"sign": False}}) == "均未勾选"

    def test_an_empty_input_reads_as_empty_and_not_applicable_as_no_task(self):
        assert input_text("discretionary", {}, None) == "空"
        assert input_text("discretionary", {}, "") == "空"
        assert input_text("proportional", {}, {"na": True}) == "无此项任务"

    def test_text_that_is_no_input_is_not_shown_raw(self):
        assert input_text("discretionary", {}, "{broken") == "（无法读取）"
        assert input_text("no_such_kind", {}, {"score": "1"}) == "（无法读取）"


class TestChangeSentence:
    def test_a_change_reads_as_one_sentence_with_item_number_and_title(self):
        item = SimpleNamespace(
            number="10", title="还款率", kind="rate_below", params={"label": "还款率"}
        )
        assert change_sentence(item, {"rate": "75"}, {"rate": "80"}) == "第 10 项 还款率：75% → 80%"

    def test_a_history_row_of_an_input_is_in_words_and_a_score_as_stored(self):
        item = SimpleNamespace(number="1", title="台账", kind="fixed_deductions", params=DEDUCTIONS)
        change = SimpleNamespace(
            item=item, what="self_input", old="", new='{"flags": {"sign": true}}'
        )
        assert change_values(change) == ("空", "勾选：无标识牌")
        score = SimpleNamespace(item=item, what="self_score", old="3", new="2")
        assert change_values(score) == ("3", "2")


@pytest.mark.django_db
class TestPagesInWords:
    def test_the_history_page_shows_inputs_in_words_never_as_stored(self, world, client_for):
        from django.urls import reverse

        sheet = world.sheet_a
        client = client_for("coordinator_a")
        client.post(
            reverse("assessments:sheet_self", args=[sheet.pk]),
            {"version": sheet.version, "s-1-passed": "yes", "s-6-score": "2.5"},
        )
        page = client.get(reverse("assessments:sheet_history", args=[sheet.pk])).content.decode()
        assert "得分 2.5" in page and "符合" in page
        assert "{&quot;" not in page and '{"' not in page and "passed" not in page

    def test_a_refused_save_tells_what_the_other_person_changed_in_words(self, world):
        from assessments import services
        from assessments.sides import Side

        sheet = world.sheet_a
        version = sheet.version
        user = world.users["coordinator_a"]
        services.sheet_save(
            sheet=sheet,
            user=user,
            side=Side.SELF,
            inputs={"6": {"score": "2"}},
            notes={},
            expected_version=version,
        )
        outcome = services.sheet_save(
            sheet=sheet,
            user=user,
            side=Side.SELF,
            inputs={"6": {"score": "3"}},
            notes={},
            expected_version=version,
        )
        assert not outcome.saved
        lines = "\n".join(outcome.conflict)
        assert "空 → 得分 2" in lines and "{" not in lines
