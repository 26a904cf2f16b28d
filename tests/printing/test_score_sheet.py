"""Score sheets as printed: the rubric's own columns, subtotals, totals, veto, blank copies."""

import re
from decimal import Decimal as D

import pytest

from assessments.print_documents import ScoreSheetDoc
from assessments.print_layout import score_sheet_context
from printing.render import render_one
from rubrics import engine
from tests.printing.conftest import load_rubric, page_texts, squash
from tests.printing.sheets import (
    YANCHENG_INPUTS,
    YANCHENG_SUBTOTALS,
    YANCHENG_TOTAL,
    yancheng_self_scores,
)


def filled(rubric, inputs=YANCHENG_INPUTS, **extra):
    result = engine.evaluate(rubric, inputs)
    fields = dict(
        rubric=rubric,
        unit_name="淹城社区",
        town_name="湖塘镇",
        year=2024,
        date_text="2025年1月10日",
        result=result,
        self_scores=yancheng_self_scores(rubric),
    )
    fields.update(extra)
    return ScoreSheetDoc(**fields)


def lines_of(texts):
    return [line.strip() for text in texts for line in text.splitlines()]


@pytest.fixture(scope="module")
def filled_pdf(changzhou):
    return page_texts(render_one(filled(changzhou)))


@pytest.fixture(scope="module")
def blank_pdf(changzhou):
    return page_texts(render_one(ScoreSheetDoc(rubric=changzhou, blank=True, year=2024)))


class TestFilledChangzhouSheet:
    def test_the_engine_agrees_with_the_hand_computation(self, changzhou):
        result = engine.evaluate(changzhou, YANCHENG_INPUTS)
        assert [s.subtotal for s in result.sections] == [D(x) for x in YANCHENG_SUBTOTALS]
        assert result.total == YANCHENG_TOTAL
        assert result.grade == "合格"

    def test_title_unit_town_and_date_are_printed(self, filled_pdf):
        first = filled_pdf[0]
        assert "常州市社区人力资源社会保障公共服务平台评估标准" in first
        assert "（2024年度）" in first
        assert "淹城社区" in first and "湖塘镇" in first
        assert "2025年1月10日" in first

    def test_columns_are_the_rubrics_own_labels_on_every_page(self, filled_pdf):
        header = "评估项目 序号 评估标准 分值 加减分依据 自评得分 评估得分"
        assert len(filled_pdf) == 2
        for text in filled_pdf:
            assert header in text  # the table header repeats on every page

    def test_item_titles_are_printed(self, changzhou, filled_pdf):
        text = squash("".join(filled_pdf))
        for item in changzhou.items:
            assert squash(item.requirement) in text, item.key

    def test_item_rows_carry_the_self_and_review_scores(self, filled_pdf):
        lines = lines_of(filled_pdf)
        # item 11: 3 points, claimed 1, scored 0 (未设立台帐扣3分)
        assert any(re.search(r"^11 .*3 分。 1 0$", line) for line in lines)
        # item 19: claimed 3, scored 1.5 (未设立健康档案扣1.5分)
        assert any(line.startswith("19 ") and line.endswith(" 3 1.5") for line in lines)

    def test_section_subtotals(self, filled_pdf):
        subtotals = [line for line in lines_of(filled_pdf) if line.startswith("小 计")]
        # 小计 as printed, then the self subtotal, then the review subtotal
        assert subtotals == [
            "小 计 15 15 15",
            "小 计 10 10 9",
            "小 计 26 24 17.5",
            "小 计 12 12 10.5",
            "小 计 21 21 14.5",
            "小 计 16 16 13",
        ]

    def test_total_bonus_penalty_grade_and_veto_lines(self, filled_pdf):
        lines = lines_of(filled_pdf)
        assert "合 计 100 98 79.5" in lines  # self: 100 − 3 + 1
        assert "加 分 0 0" in lines
        assert "扣 分 0 0" in lines
        assert "总 分 98 79.5" in lines
        assert "等 次 合格" in lines
        assert "一 票 否 决 项 无" in lines

    def test_signature_and_stamp_blocks(self, filled_pdf):
        last = filled_pdf[-1]
        assert "被考核单位负责人（签字）" in last
        assert "考核人（签字）" in last
        assert "日期：" in last
        assert "（盖章）" in last

    def test_footer_counts_the_pages_of_the_sheet(self, filled_pdf):
        assert "第 1 页 共 2 页" in filled_pdf[0]
        assert "第 2 页 共 2 页" in filled_pdf[1]

    def test_a_failed_veto_names_the_item_and_forces_the_grade(self, changzhou):
        inputs = {**YANCHENG_INPUTS, "items": {**YANCHENG_INPUTS["items"], "2": {"passed": False}}}
        texts = page_texts(render_one(filled(changzhou, inputs)))
        text = squash("".join(texts))
        # 79.5 − 3 = 76.5 points, but 说明1: 一票否决即判定不合格
        assert "总分9876.5" in text
        assert "等次不合格" in text
        assert (
            "第2项「配备专职社区干事，签订劳动合同，参加统一培训并持证上岗。」未通过，判定为不合格"
            in text
        )
        # the item's row: claimed 3, scored 0, marked 否决
        assert "上岗。3有一项不符即一票否决30否决" in text


class TestBlankSheet:
    def test_no_score_is_printed(self, changzhou):
        sheet = score_sheet_context(ScoreSheetDoc(rubric=changzhou, blank=True))
        rows = [row for section in sheet.sections for row in section.items]
        assert len(rows) == 30
        assert all(row.self_score == "" and row.review_score == "" for row in rows)
        assert all(s.subtotal["self"] == s.subtotal["review"] == "" for s in sheet.sections)
        assert all(t.self_value == t.review_value == "" for t in sheet.totals)

    def test_a_blank_sheet_ignores_scores_it_was_given(self, changzhou):
        doc = filled(changzhou, blank=True)
        sheet = score_sheet_context(doc)
        assert all(row.review_score == "" for s in sheet.sections for row in s.items)

    def test_the_pdf_has_the_table_and_empty_boxes(self, changzhou, blank_pdf):
        lines = lines_of(blank_pdf)
        assert "小 计 15" in lines and "小 计 26" in lines
        assert "合 计 100" in lines
        assert "总 分" in lines and "等 次" in lines
        assert "一 票 否 决 项 □ 无\u3000\u3000□ 有：第＿＿＿项" in lines
        assert "79.5" not in "".join(blank_pdf)
        text = squash("".join(blank_pdf))
        assert all(squash(item.requirement) in text for item in changzhou.items)
        assert "考核日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日" in blank_pdf[0]


class TestColumnsFollowTheRubric:
    def test_a_rubric_without_self_scores_has_no_self_column(self):
        rubric = load_rubric("xinyi-coordinator")
        assert rubric.columns.self is None
        sheet = score_sheet_context(ScoreSheetDoc(rubric=rubric, blank=True))
        assert [c.label for c in sheet.columns] == [
            "考核项目",
            "序号",
            "考核内容",
            "分值",
            "考评标准",
            "得分",
        ]
        texts = page_texts(render_one(ScoreSheetDoc(rubric=rubric, blank=True)))
        assert "自评" not in "".join(texts)
        assert "考核项目 序号 考核内容 分值 考评标准 得分" in texts[0]

    def test_the_coordinator_sheet_has_the_xinyi_header_line(self):
        rubric = load_rubric("xinyi-coordinator")
        doc = ScoreSheetDoc(
            rubric=rubric, unit_name="王小红", town_name="新安街道", year=2024, blank=True
        )
        first = page_texts(render_one(doc))[0]
        assert "（2024年度）" in first
        assert "新安街道 社会事业服务中心" in first
        assert "被考核协理员姓名： 王小红" in first
        assert "考评时间：" in first
        # veto items of 0 points print 「-」 in 分值, as on paper
        assert any(line.startswith("1 遵纪守法") and " - " in line for line in first.splitlines())

    def test_hutang_titles_in_their_own_column(self):
        rubric = load_rubric("hutang-2014-community")
        doc = ScoreSheetDoc(rubric=rubric, blank=True, title_label="子项目")
        sheet = score_sheet_context(doc)
        assert [c.label for c in sheet.columns] == [
            "项目",
            "序号",
            "子项目",
            "目标要求",
            "分值",
            "评分办法",
            "自评",
            "考核",
        ]
        texts = page_texts(render_one(doc))
        assert "项目 序号 子项目 目标要求 分值 评分办法 自评 考核" in texts[0]
        assert "平台搭建" in texts[0]

    def test_declared_points_that_disagree_with_the_items_are_shown(self):
        # 常州 village 三: 小计 22 printed, items 9–17 sum to 24
        rubric = load_rubric("changzhou-village")
        sheet = score_sheet_context(ScoreSheetDoc(rubric=rubric, blank=True))
        third = sheet.sections[2].subtotal
        assert third["points"] == "22"
        assert third["note"] == "各项合计 24"

    @pytest.mark.parametrize(
        "code",
        [
            "changzhou-community",
            "changzhou-village",
            "hutang-2014-community",
            "rugao-2018-town",
            "xinjian-2021-window",
            "xinyi-coordinator",
        ],
    )
    def test_every_seed_rubric_prints_blank(self, code):
        rubric = load_rubric(code)
        texts = page_texts(render_one(ScoreSheetDoc(rubric=rubric, blank=True)))
        assert squash(rubric.title) in squash(texts[0])
        assert f"共 {len(texts)} 页" in texts[-1]
