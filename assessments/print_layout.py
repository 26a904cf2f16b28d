"""From an assessments document to the context its template prints: pure Python, no ORM.

Everything a template would otherwise compute (which columns exist, row spans, section
subtotals of the self scores, the wording of the veto line) is decided here, so the
templates only place text and the rules can be tested without rendering. A value that
could not be read (``UNREADABLE``) prints 「（无法读取）」, and so does every sum it is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from kit.formatting import UNREADABLE, day, month, points
from printing.layout import year_text
from rubrics import engine

if TYPE_CHECKING:
    from assessments.print_documents import (
        RegistrationFormDoc,
        ScoreSheetDoc,
        SummaryDoc,
        TownSummaryDoc,
    )

ZERO = Decimal(0)


# --- score sheets -------------------------------------------------------------------

# Relative widths of the columns on the page; normalised over the columns present.
WIDTHS = {
    "project": 11,
    "number": 5,
    "title": 12,
    "requirement": 31,
    "points": 6,
    "rule": 31,
    "self": 8,
    "review": 8,
}


@dataclass
class Column:
    key: str
    label: str
    width: str = ""


@dataclass
class ItemRow:
    key: str
    number: str
    title: str
    requirement: str
    title_in_requirement: bool
    points: str
    rule: str
    self_score: str
    review_score: str
    review_note: str = ""  # 否决 / 不适用 / 加分 …
    bonus: bool = False
    penalty: bool = False


@dataclass
class SectionBlock:
    title: str
    items: list[ItemRow]
    subtotal: dict | None  # points, note, self, review
    rowspan: int = 0
    keep_together: bool = True  # short sections never split across pages


@dataclass
class TotalLine:
    label: str
    points: str = ""
    self_value: str = ""
    review_value: str = ""
    note: str = ""


@dataclass
class SheetContext:
    title: str
    year_line: str
    coordinator: bool
    unit_name: str
    town_name: str
    date_text: str
    columns: list[Column]
    has: dict  # column key → bool
    label_span: int  # columns left of 分值
    after_points_span: int  # 评分标准 column(s) between 分值 and the scores
    sections: list[SectionBlock]
    totals: list[TotalLine]
    veto_line: str | None
    notes: list[str]
    blank: bool
    orientation: str
    bookmark: str
    score_columns: int = field(default=1)

    @property
    def value_span(self) -> int:
        """Columns right of the labels: 分值, 评分标准 and the score columns."""
        return 1 + self.after_points_span + self.score_columns


def _self_values(doc: ScoreSheetDoc) -> dict[str, Decimal | None]:
    if doc.blank:
        return {}
    if doc.self_result is not None:
        return {r.key: r.score for r in doc.self_result.items}
    return dict(doc.self_scores or {})


def _review_values(doc: ScoreSheetDoc) -> dict[str, Decimal | None]:
    if doc.blank:
        return {}
    values: dict[str, Decimal | None] = {}
    if doc.result is not None:
        values.update({r.key: r.score for r in doc.result.items})
    if doc.review_scores:
        values.update(doc.review_scores)
    return values


def _sum(values):
    """Σ of the values present; None when none is; UNREADABLE when one could not be read."""
    present = [v for v in values if v is not None]
    if any(v is UNREADABLE for v in present):
        return UNREADABLE
    return sum(present, ZERO) if present else None


NA_NOTES = {"na_full": "不适用", "na_zero": "不适用", "na_average": "不适用（取平均）"}


def _item_row(item: engine.Item, doc, self_values, review_values, results, separate_title):
    result = results.get(item.key)
    review = review_values.get(item.key)
    note = ""
    review_text = points(review)
    if result is not None and not doc.blank:
        if result.veto_failed:
            note = "否决"
        elif item.rule.veto and result.score is not None and item.max_points == 0:
            review_text, note = "通过", ""
        else:
            note = NA_NOTES.get(result.status, "")
        if result.veto_failed and item.max_points == 0:
            review_text = ""
    if item.rule.veto and item.max_points == 0:
        points_text = "-"
    elif item.penalty:
        points_text = "扣分"
    else:
        points_text = points(item.max_points)
    self_value = self_values.get(item.key)
    return ItemRow(
        key=item.key,
        number=item.number,
        title=item.title,
        requirement=item.requirement,
        title_in_requirement=not separate_title
        and bool(item.title)
        and item.title.strip() != item.requirement.strip(),
        points=points_text,
        rule=item.rule_text,
        self_score=points(self_value),
        review_score=review_text,
        review_note=note,
        bonus=item.bonus,
        penalty=item.penalty,
    )


def _declared_note(declared: Decimal | None, actual: Decimal) -> tuple[str, str]:
    """The printed 小计/合计 and, when the items disagree with it, the items' own sum."""
    if declared is None:
        return points(actual), ""
    if declared != actual:
        return points(declared), f"各项合计 {points(actual)}"
    return points(declared), ""


# Keeping a section on one page repeats no title but may leave a gap at the foot of the
# previous page; a section longer than this share of a page may split instead (its title
# cell then stays on the first part). Lines are estimated from the text lengths.
KEEP_TOGETHER_SHARE = 0.3
PAGE_LINES = 68  # 8.5 pt table text on a portrait A4 page
PAGE_LINES_LANDSCAPE = 46
TABLE_MM = {"portrait": 184, "landscape": 271}
CHAR_MM = 3.0  # one CJK character at 8.5 pt


def _estimated_lines(row: ItemRow, widths: dict, orientation: str) -> float:
    table = TABLE_MM.get(orientation, TABLE_MM["portrait"])

    def lines(text: str, key: str) -> int:
        if key not in widths or not text:
            return 1
        per_line = max(1, int((widths[key] * table - 2) / CHAR_MM))
        return -(-len(text) // per_line)

    requirement = row.requirement + (row.title if row.title_in_requirement else "")
    tallest = max(lines(requirement, "requirement"), lines(row.rule, "rule"), 1)
    return tallest + 0.6  # cell padding


def score_sheet_context(doc: ScoreSheetDoc) -> SheetContext:
    rubric = doc.rubric
    cols = rubric.columns
    separate_title = bool(doc.title_label)
    has = {
        "project": cols.project is not None,
        "number": cols.number is not None,
        "title": separate_title,
        "requirement": True,
        "points": True,
        "rule": cols.rule is not None,
        "self": cols.self is not None,
        "review": True,
    }
    labels = {
        "project": cols.project or "",
        "number": cols.number or "",
        "title": doc.title_label or "",
        "requirement": cols.requirement or "考核内容",
        "points": cols.points or "分值",
        "rule": cols.rule or "",
        "self": cols.self or "",
        "review": cols.review or "得分",
    }
    present = [key for key in WIDTHS if has[key]]
    total_weight = sum(WIDTHS[key] for key in present)
    columns = [
        Column(key, labels[key], f"{WIDTHS[key] * 100 / total_weight:.2f}%") for key in present
    ]
    label_span = sum(1 for key in ("project", "number", "title", "requirement") if has[key])

    self_values = _self_values(doc)
    review_values = _review_values(doc)
    results = {} if doc.blank or doc.result is None else {r.key: r for r in doc.result.items}
    section_results = (
        {} if doc.blank or doc.result is None else {s.key: s for s in doc.result.sections}
    )
    self_sections = (
        {s.key: s for s in doc.self_result.sections}
        if doc.self_result is not None and not doc.blank
        else {}
    )

    sections: list[SectionBlock] = []
    items_sum = ZERO
    widths = {c.key: WIDTHS[c.key] / total_weight for c in columns}
    page_lines = PAGE_LINES_LANDSCAPE if doc.orientation == "landscape" else PAGE_LINES
    for section in rubric.sections:
        rows = [
            _item_row(item, doc, self_values, review_values, results, separate_title)
            for item in section.items
        ]
        base = [i for i in section.items if not (i.bonus or i.penalty)]
        base_max = sum((i.max_points for i in base), ZERO)
        items_sum += base_max
        subtotal = None
        if base_max or section.declared_points:
            shown, note = _declared_note(section.declared_points, base_max)
            if doc.blank:
                self_sub = review_sub = ""
            else:
                if section.key in self_sections:
                    self_sub = points(self_sections[section.key].subtotal)
                else:
                    self_sub = points(_sum(self_values.get(i.key) for i in base))
                if doc.review_scores is None and section.key in section_results:
                    review_sub = points(section_results[section.key].subtotal)
                else:
                    review_sub = points(_sum(review_values.get(i.key) for i in base))
            subtotal = {"points": shown, "note": note, "self": self_sub, "review": review_sub}
        lines = sum(_estimated_lines(row, widths, doc.orientation) for row in rows)
        sections.append(
            SectionBlock(
                section.title,
                rows,
                subtotal,
                rowspan=len(rows),
                keep_together=lines <= page_lines * KEEP_TOGETHER_SHARE,
            )
        )

    totals, veto_line = _totals(doc, items_sum, self_values, review_values)
    return SheetContext(
        title=rubric.title,
        year_line=_year_line(rubric, doc.year),
        coordinator=rubric.subject == "coordinator",
        unit_name=doc.unit_name,
        town_name=doc.town_name,
        date_text=day(doc.date_text),
        columns=columns,
        has=has,
        label_span=label_span,
        after_points_span=1 if has["rule"] else 0,
        sections=sections,
        totals=totals,
        veto_line=veto_line,
        notes=_notes(doc),
        blank=doc.blank,
        orientation=doc.orientation,
        bookmark=" ".join(p for p in (doc.unit_name, rubric.title) if p),
        score_columns=2 if has["self"] else 1,
    )


def _year_line(rubric: engine.Rubric, year) -> str:
    text = year_text(year)
    if text and text in rubric.title:
        return ""
    if text:
        return f"（{text}年度）"
    return "（　　　　）年度" if rubric.subject == "coordinator" else ""


def _kind_sums(rubric, values):
    bonus = _sum(values.get(i.key) for i in rubric.items if i.bonus)
    penalties = _sum(values.get(i.key) for i in rubric.items if i.penalty)
    base = _sum(values.get(i.key) for i in rubric.items if not (i.bonus or i.penalty))
    return base, bonus, penalties


def _totals(doc: ScoreSheetDoc, items_sum, self_values, review_values):
    rubric = doc.rubric
    declared, note = _declared_note(rubric.declared_total, items_sum)
    blank = doc.blank

    def column(result: engine.SheetResult | None, values: dict, use_result: bool):
        if blank:
            return {"base": "", "bonus": "", "penalties": "", "total": "", "grade": ""}
        if result is not None and use_result:
            return {
                "base": points(result.base_total),
                "bonus": points(result.bonus),
                "penalties": points(result.penalties),
                "total": points(result.total),
                "grade": result.grade,
            }
        base, bonus, penalties = _kind_sums(rubric, values)
        if base is None and bonus is None and penalties is None:
            return {"base": "", "bonus": "", "penalties": "", "total": "", "grade": ""}
        if UNREADABLE in (base, bonus, penalties):
            total = UNREADABLE
        else:
            total = max(ZERO, (base or ZERO) + (bonus or ZERO) - (penalties or ZERO))
        return {
            "base": points(base),
            "bonus": points(bonus or ZERO),
            "penalties": points(penalties or ZERO),
            "total": points(total),
            "grade": "",
        }

    mine = column(doc.self_result, self_values, doc.self_result is not None)
    review = column(doc.result, review_values, doc.review_scores is None)
    totals = [
        TotalLine("合计", declared, mine["base"], review["base"], note),
        TotalLine("加分", "", mine["bonus"], review["bonus"]),
        TotalLine("扣分", "", mine["penalties"], review["penalties"]),
        TotalLine("总分", "", mine["total"], review["total"]),
        TotalLine("等次", "", mine["grade"], review["grade"]),
    ]
    has_veto_items = any(i.rule.veto for i in rubric.items)
    veto = None if blank or doc.result is None else doc.result.veto
    if veto is not None:
        label = f"第 {veto.number} 项" if veto.number else ""
        veto_line = f"{label}「{veto.title}」未通过，判定为{rubric.veto_grade}"
    elif has_veto_items:
        veto_line = "□ 无　　□ 有：第＿＿＿项" if blank or doc.result is None else "无"
    else:
        veto_line = None
    return totals, veto_line


def _notes(doc: ScoreSheetDoc) -> list[str]:
    if doc.notes is not None:
        return list(doc.notes)
    rubric = doc.rubric
    notes = []
    if any(i.rule.veto for i in rubric.items):
        notes.append(f"一票否决项有一项未通过，即判定为{rubric.veto_grade}。")
    if rubric.grades:
        bands = [f"{g.label} {points(g.min)} 分（含）以上" for g in rubric.grades]
        lowest = rubric.grades[-1].min
        bands.append(f"{rubric.fallback_grade.label} {points(lowest)} 分以下")
        notes.append("等次：" + "；".join(bands) + "。")
    return [f"{n}. {text}" for n, text in enumerate(notes, start=1)]


# --- summary ------------------------------------------------------------------------


def summary_context(doc: SummaryDoc) -> dict:
    counts = doc.grade_counts
    if counts is None:
        seen: dict[str, int] = {}
        for row in doc.rows:
            if row.grade:
                seen[row.grade] = seen.get(row.grade, 0) + 1
        counts = list(seen.items())
    amount_total = doc.amount_total
    if amount_total is None and doc.show_amount:
        amount_total = _sum(row.amount for row in doc.rows)
    year = year_text(doc.year)
    return {
        "doc": doc,
        "year_line": f"（{year}年度）" if year and year not in doc.title else "",
        "grade_counts": counts,
        "amount_total": points(amount_total),
        "amount_total_unrounded": points(doc.amount_total_unrounded),
        "show_grade_before": any(
            row.grade_before and row.grade_before != row.grade for row in doc.rows
        ),
        "date_text": day(doc.date_text, blank=""),
    }


# --- 新沂 coordinator forms -------------------------------------------------------


def registration_context(doc: RegistrationFormDoc) -> dict:
    return {
        "doc": doc,
        "year": year_text(doc.year),
        "birth": month(doc.birth),
        "opinions": [
            ("镇（街道）社会事业服务中心意见", doc.town_opinion, "负责人签名"),
            ("市就业处意见", doc.office_opinion, "负责人签名"),
            ("人社局审核意见", doc.bureau_opinion, "盖章"),
        ],
    }


def town_summary_context(doc: TownSummaryDoc) -> dict:
    return {
        "doc": doc,
        "year": year_text(doc.year),
        "opinions": [
            ("镇（街道）社会事业服务中心意见", doc.town_opinion),
            ("市就业处意见", doc.office_opinion),
            ("市人社局意见", doc.bureau_opinion),
        ],
    }
