"""Importing the five seed documents' rubric tables (built by ``document_fixtures``): the
right sections, item count and points for every item, and the suggested rule kind against
the hand-encoded fixture — for the share stated per document, every miss listed."""

from decimal import Decimal

import pytest

from rubrics.document import docx_rows, read_rows, suggest, text_rows, xlsx_rows
from rubrics.document.table import read_text_lines
from rubrics.engine.rules.base import ParamReader
from rubrics.engine.rules.registry import KINDS
from tests.rubrics.document_fixtures import (
    DOCUMENTS,
    XLSX_DOCUMENT,
    docx_bytes,
    fixture,
    pasted_text,
    write_all,
    xlsx_bytes,
)

CODES = sorted(DOCUMENTS.values())
# Items whose suggested kind is not the fixture's: (document, item, suggested, fixture, why).
MISSES = [
    (
        "hutang-2014-community",
        "26",
        None,
        "highest_level",
        "levels and points are printed apart (省级、市级…7分、5分) or as 担任…加N分",
    ),
    (
        "changzhou-community",
        "9",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "changzhou-community",
        "22",
        "fixed_deductions",
        "brackets",
        "rate thresholds (低于90%扣1分、80%以下扣2分) are not a pattern",
    ),
    (
        "changzhou-community",
        "26",
        "fixed_deductions",
        "checklist",
        "one part only says 得N分 (有但不规范1分 has no 得); the 不得分 clause reads as a zero condition",
    ),
    (
        "changzhou-village",
        "23",
        "fixed_deductions",
        "brackets",
        "rate thresholds (低于90%扣1分、80%以下扣2分) are not a pattern",
    ),
    (
        "changzhou-village",
        "27",
        "fixed_deductions",
        "checklist",
        "one part only says 得N分 (有但不规范1分 has no 得); the 不得分 clause reads as a zero condition",
    ),
    (
        "rugao-2018-town",
        "r3",
        "shortfall_step",
        "fixed_deductions",
        "one 每少N扣M分 clause among several named deductions",
    ),
    (
        "rugao-2018-town",
        "r6",
        "deduct_per_occurrence",
        "shortfall_step",
        "每少一个 (a word, not a digit) reads as one deduction per occurrence",
    ),
    (
        "rugao-2018-town",
        "r9",
        None,
        "composite",
        "a composite of parts (各3分, 完成…得N分) is not a pattern",
    ),
    (
        "rugao-2018-town",
        "r10",
        None,
        "composite",
        "a composite of parts (各3分, 完成…得N分) is not a pattern",
    ),
    (
        "rugao-2018-town",
        "r13",
        "rate_below",
        "fixed_deductions",
        "the 每降低1个百分点 clause is one among several named deductions",
    ),
    (
        "rugao-2018-town",
        "r14",
        "rate_below",
        "fixed_deductions",
        "the 每降低1个百分点 clause is one among several named deductions",
    ),
    (
        "rugao-2018-town",
        "r18",
        "fixed_deductions",
        "composite",
        "a composite of parts (各3分, 完成…得N分) is not a pattern",
    ),
    (
        "rugao-2018-town",
        "r19",
        "fixed_deductions",
        "penalty",
        "a deduction outside the 100 points is known by its section, not its words",
    ),
    (
        "xinjian-2021-window",
        "2",
        "shortfall_step",
        "fixed_deductions",
        "one 每少N扣M分 clause among several named deductions",
    ),
    (
        "xinjian-2021-window",
        "6",
        "proportional",
        "composite",
        "a composite of parts (各3分, 完成…得N分) is not a pattern",
    ),
    (
        "xinjian-2021-window",
        "7",
        None,
        "discretionary",
        "根据实际完成情况评分 has no pattern word (酌情)",
    ),
    (
        "xinjian-2021-window",
        "8",
        None,
        "discretionary",
        "根据实际完成情况评分 has no pattern word (酌情)",
    ),
    (
        "xinjian-2021-window",
        "9",
        "proportional",
        "discretionary",
        "按比例得分 is read literally; the fixture scores at discretion because no target is counted",
    ),
    (
        "xinjian-2021-window",
        "10",
        "proportional",
        "discretionary",
        "按比例得分 is read literally; the fixture scores at discretion because no target is counted",
    ),
    (
        "xinjian-2021-window",
        "11",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "12",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "13",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "14",
        "proportional",
        "discretionary",
        "按比例得分 is read literally; the fixture scores at discretion because no target is counted",
    ),
    (
        "xinjian-2021-window",
        "15",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "18",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "19",
        "proportional",
        "discretionary",
        "按比例得分 is read literally; the fixture scores at discretion because no target is counted",
    ),
    (
        "xinjian-2021-window",
        "20",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "21",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "24",
        "fixed_deductions",
        "discretionary",
        "the 扣N分 clauses are read as fixed deductions; the fixture scores the whole item at discretion",
    ),
    (
        "xinjian-2021-window",
        "p1",
        "deduct_per_occurrence",
        "penalty",
        "a deduction outside the 100 points is known by its section, not its words",
    ),
    (
        "xinjian-2021-window",
        "b2",
        None,
        "highest_level",
        "levels and points are printed apart (省级、市级…7分、5分) or as 担任…加N分",
    ),
    (
        "xinjian-2021-window",
        "b3",
        "discretionary",
        "additive_bonus",
        "每增加1人加0.5分 is not a level; only the cap (最高加2分) is read",
    ),
    (
        "xinyi-coordinator",
        "6",
        None,
        "all_or_nothing",
        "扣除6分 (the item's points) for 未完成 is not a pattern",
    ),
    (
        "xinyi-coordinator",
        "16",
        None,
        "composite",
        "a composite of parts (各3分, 完成…得N分) is not a pattern",
    ),
    (
        "xinyi-coordinator",
        "22",
        "deduct_per_occurrence",
        "proportional",
        "the 每发现一起扣N分 clause is read before 按…百分比得分",
    ),
    (
        "xinyi-coordinator",
        "24",
        "deduct_per_occurrence",
        "proportional",
        "the 每发现一起扣N分 clause is read before 按…百分比得分",
    ),
]
# Suggested kind = fixture kind, per document (also in the README).
SHARES = {
    "hutang-2014-community": (25, 26),
    "changzhou-community": (27, 30),
    "changzhou-village": (29, 31),
    "rugao-2018-town": (11, 19),
    "xinjian-2021-window": (10, 29),
    "xinyi-coordinator": (20, 24),
}


def _items(data):
    return [(s, i) for s in data["sections"] for i in s["items"]]


def _flat(text):
    return "".join(line.strip() for line in (text or "").splitlines())


def _check_table(table, code):
    data = fixture(code)
    assert table.problems == []
    assert [s.title for s in table.sections] == [s["title"] for s in data["sections"]]
    expected = _items(data)
    assert len(table.items) == len(expected)
    for got, (_, want) in zip(table.items, expected, strict=True):
        assert got.points == Decimal(str(want["max_points"])), want["key"]
        # A line break inside a cell is layout: the reader joins the lines.
        assert got.requirement == _flat(want["requirement"]), want["key"]
        assert got.rule_text == _flat(want["rule_text"]), want["key"]
        if data["columns"].get("number"):  # a 序号 column is printed
            assert got.number == str(want.get("number") or ""), want["key"]


@pytest.mark.parametrize("code", CODES)
def test_a_word_table_gives_every_section_item_and_its_points(code):
    _check_table(read_rows(docx_rows(docx_bytes(code), f"{code}.docx")), code)


def test_an_excel_table_with_merged_section_cells_gives_the_same_rubric():
    _check_table(read_rows(xlsx_rows(xlsx_bytes(), "t.xlsx")), XLSX_DOCUMENT)


# Pasted text needs a 序号 column (如皋 and 新建 print none: a known limit) and section
# lines such as 「一、…」, 「…（15分）」 or 「加分项」.
PASTED = ["changzhou-community", "changzhou-village", "hutang-2014-community", "xinyi-coordinator"]


@pytest.mark.parametrize("code", PASTED)
def test_text_pasted_from_a_pdf_one_cell_per_line_gives_the_same_rubric(code):
    _check_table(read_text_lines(text_rows(pasted_text(code))), code)


def test_the_fixture_generator_writes_every_document_into_the_test_folder(tmp_path):
    paths = write_all(tmp_path)
    assert len(paths) == len(DOCUMENTS) + 1
    assert all(p.stat().st_size > 0 for p in paths.values())


def _suggested(code):
    table = read_rows(docx_rows(docx_bytes(code), f"{code}.docx"))
    return [
        (want["key"], suggest(got.rule_text, got.points), want["kind"])
        for got, (_, want) in zip(table.items, _items(fixture(code)), strict=True)
    ]


@pytest.mark.parametrize("code", CODES)
def test_the_suggested_kind_matches_the_fixture_for_the_stated_share(code):
    rows = _suggested(code)
    hits = sum(1 for _, s, kind in rows if s and s.kind == kind)
    assert (hits, len(rows)) == SHARES[code]


@pytest.mark.parametrize("code", CODES)
def test_every_miss_is_the_one_documented(code):
    got = [
        (code, key, s.kind if s else None, kind)
        for key, s, kind in _suggested(code)
        if not (s and s.kind == kind)
    ]
    assert got == [m[:4] for m in MISSES if m[0] == code]
    assert all(m[4] for m in MISSES)


@pytest.mark.parametrize("code", CODES)
def test_every_suggestion_has_its_words_and_parameters_the_kind_accepts(code):
    for key, s, _ in _suggested(code):
        if s is None:
            continue
        assert s.words, key
        kind = KINDS[s.kind]
        errors: list[str] = []
        reader = ParamReader(s.params, f"item {key}", errors, tuple(p.name for p in kind.params))
        kind.parse(reader, Decimal(10))
        assert errors == [], (key, s)
