"""Each explicit pattern of ``suggest``, the words it came from, and no guess without one;
the readers' bounds and their Chinese messages."""

import io
import zipfile
from decimal import Decimal

import pytest

from rubrics.document import DocumentError, docx_rows, read_rows, suggest, text_rows
from rubrics.document.cells import MAX_BYTES


@pytest.mark.parametrize(
    ("text", "kind", "params", "words"),
    [
        ("有一项不符 即一票否决", "veto", {}, "一票否决"),
        (
            "没有记录一次扣1分，扣完为止",
            "deduct_per_occurrence",
            {"per": "1", "label": "没有记录一次"},
            "没有记录一次扣1分",
        ),
        ("未完成不得分", "all_or_nothing", {}, "未完成不得分"),
        ("未完成按比例得分", "proportional", {}, "按比例得分"),
        (
            "年度资格认证率每降低1个百分点扣1分",
            "rate_below",
            {"threshold": "100", "points_per_point": "1"},
            "每降低1个百分点扣1分",
        ),
        (
            "每少10人扣1分，扣完为止",
            "shortfall_step",
            {"step": "10", "points": "1", "unit": "人"},
            "每少10人扣1分",
        ),
        ("酌情扣分", "discretionary", {"step": "0.5"}, "酌情扣分"),
        ("根据其他社区协理员评议酌情给分", "peer_average", {"step": "0.5"}, "评议酌情给分"),
    ],
)
def test_each_pattern_gives_its_kind_parameters_and_words(text, kind, params, words):
    found = suggest(text, Decimal(5))
    assert (found.kind, found.params, found.words) == (kind, params, words)


def test_bonus_levels_give_their_points_and_the_cap_is_noted():
    found = suggest("省级2分，市级1分，县级0.5分，最高加2分", Decimal(2))
    assert found.kind == "additive_bonus"
    assert found.params == {
        "levels": [
            {"key": "province", "label": "省级", "points": "2"},
            {"key": "city", "label": "市级", "points": "1"},
            {"key": "county", "label": "县级", "points": "0.5"},
        ]
    }
    assert found.words == "省级2分，市级1分，县级0.5分"
    assert "上限 2 分" in found.note


def test_the_highest_level_of_a_project_is_read_when_the_text_says_so():
    found = suggest("同一项目取最高级得分，省级3分，国家级4分，4分封顶", Decimal(4))
    assert found.kind == "highest_level"


def test_a_cap_without_levels_is_a_stated_discretionary_bonus():
    found = suggest("每增加1人加0.5分，最高加2分", Decimal(2))
    assert (found.kind, found.words) == ("discretionary", "最高加2分")
    assert "没有写各级分值" in found.note


def test_named_failures_become_fixed_deductions_with_zero_conditions():
    found = suggest("未开展此项工作不得分。出现逾期扣3分，未进行贷后跟踪管理扣1分", Decimal(6))
    assert found.kind == "fixed_deductions"
    assert [d["points"] for d in found.params["deductions"]] == ["3", "1"]
    assert found.params["zero_if"] == [{"key": "z1", "label": "未开展此项工作"}]


def test_a_rule_text_without_a_pattern_gets_no_suggestion():
    assert suggest("根据实际完成情况评分。", Decimal(5)) is None
    assert suggest("", Decimal(5)) is None


def test_a_file_past_the_size_bound_is_refused_naming_it():
    with pytest.raises(DocumentError, match="「大.docx」.*超过上限"):
        docx_rows(b"PK" + b"0" * MAX_BYTES, "大.docx")


def test_a_file_that_is_not_a_word_document_says_so():
    with pytest.raises(DocumentError, match="不是 Word 文档"):
        docx_rows(b"plain text", "表.docx")


def test_a_word_document_without_a_table_says_so():
    import docx

    document = docx.Document()
    document.add_paragraph("只有文字")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(DocumentError, match="没有表格"):
        docx_rows(out.getvalue(), "文.docx")


def test_a_zip_bomb_is_refused_before_it_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("word/document.xml", "0" * (60 * 1024 * 1024))
    with pytest.raises(DocumentError, match="解压后"):
        docx_rows(out.getvalue(), "炸.docx")


def test_a_table_without_points_and_rule_columns_names_what_is_missing():
    table = read_rows([["序号", "单位", "人数"], ["1", "东升社区", "70"]])
    assert table.items == [] and "分值" in table.problems[0]


def test_an_item_without_readable_points_is_listed_with_its_row():
    table = read_rows([["序号", "考核内容", "分值", "评分办法"], ["1", "设立平台", "若干", "酌情"]])
    assert table.items[0].points is None
    assert table.problems == ["第 2 行「设立平台」的分值「若干」，不是数字；请在下一步填写。"]


def test_pasted_text_that_is_empty_is_refused():
    with pytest.raises(DocumentError, match="空的"):
        text_rows("\n  \n")
