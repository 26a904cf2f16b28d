"""What the assessments app prints, as plain data (no ORM access, no request), and the
template and context builder of each (registered with ``printing.registry``).

``assessments.printouts`` fills these from the models; ``assessments.print_layout`` turns
each into the context its template under ``templates/assessments/print/`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessments import print_layout
from printing.documents import DateLike, Opinion
from printing.registry import register_document
from rubrics import engine


@dataclass
class ScoreSheetDoc:
    """One score sheet (评分表), blank for a site visit or filled from a result.

    ``result`` gives the review column (考核得分 / 评估得分): its item scores, totals, veto
    and grade. It is anything shaped like the engine's ``SheetResult`` (``items`` with
    ``key``, ``score``, ``status``, ``veto_failed``; ``sections`` with ``key`` and
    ``subtotal``; ``base_total``, ``bonus``, ``penalties``, ``total``, ``grade``, ``veto``):
    the stored scores and result of a sheet (``assessments.printouts.StoredColumn``) or an
    engine evaluation (tests, benchmarks). ``review_scores`` overrides the review column
    item by item (e.g. entered scores not yet evaluated); ``self_scores`` fills the
    self-score column (自评得分), and ``self_result``, when given, its totals and grade.
    Any value may be ``kit.formatting.UNREADABLE``: it prints 「（无法读取）」.
    ``title_label`` prints the item titles in a column of their own with that heading
    (湖塘 prints 子项目); by default a title that differs from its requirement is printed
    in bold at the top of the requirement cell (新建, 新沂).
    """

    rubric: engine.Rubric
    unit_name: str = ""
    town_name: str = ""
    year: int | str | None = None
    date_text: DateLike = None
    result: Any = None  # engine.SheetResult or StoredColumn
    self_scores: dict[str, Decimal | None] | None = None
    review_scores: dict[str, Decimal | None] | None = None
    blank: bool = False
    self_result: Any = None
    title_label: str | None = None
    notes: list[str] | None = None  # 说明 lines; None prints the ones derived from the rubric
    orientation: str = "portrait"  # portrait | landscape


@dataclass
class SummaryRow:
    """One unit (or coordinator) in a results summary (汇总表)."""

    rank: int | str | None
    unit: str
    town: str = ""
    self_total: Decimal | None = None
    review_total: Decimal | None = None
    bonus: Decimal | None = None
    penalties: Decimal | None = None
    total: Decimal | None = None
    veto_item: str | None = None  # 「第 2 项「…」」 when a veto failed
    grade_before: str = ""  # the grade by points, before a quota moved it
    grade: str = ""
    subsidy_percent: Decimal | None = None
    amount: Decimal | None = None  # subsidy in yuan, already rounded
    overridden: bool = False  # the grade was set by hand (the reason is in the notes)
    not_submitted: bool = False  # recorded as 未提交: no score is printed


@dataclass
class SummaryDoc:
    """A cycle's results summary, for the whole cycle or one town (landscape)."""

    title: str
    year: int | str | None = None
    rows: list[SummaryRow] = field(default_factory=list)
    scope_text: str = ""  # 「湖塘镇」 or 「全市」
    date_text: DateLike = None
    amount_total: Decimal | None = None  # Σ rounded amounts; None: summed from the rows
    amount_total_unrounded: Decimal | None = None  # Σ before rounding, printed beside it
    grade_counts: list[tuple[str, int]] | None = None  # None: counted from the rows
    notes: list[str] = field(default_factory=list)
    show_self: bool = True
    show_amount: bool = True


@dataclass
class RegistrationFormDoc:
    """新沂 附件2: 协理员年度考核登记表."""

    year: int | str | None = None
    name: str = ""
    gender: str = ""
    birth: DateLike = None  # 出生年月: a date prints as 「1985年6月」
    political_status: str = ""
    education: str = ""
    work_unit: str = ""
    grade: str = ""
    summary: str = ""  # 个人总结（德、能、勤、绩、廉）
    town_opinion: Opinion = field(default_factory=Opinion)  # 镇（街道）社会事业服务中心意见
    office_opinion: Opinion = field(default_factory=Opinion)  # 市就业处意见
    bureau_opinion: Opinion = field(default_factory=Opinion)  # 人社局审核意见
    title: str = "新沂市人社基层平台协理员年度考核登记表"


SUMMARY_GRADES = ("优秀", "合格", "基本合格", "不合格")


@dataclass
class GradeGroup:
    label: str
    names: list[str] = field(default_factory=list)
    count: int | None = None  # None: len(names)

    @property
    def number(self) -> int:
        return len(self.names) if self.count is None else self.count


@dataclass
class TownSummaryDoc:
    """新沂 附件3: 协理员年度考核汇总表, one town."""

    year: int | str | None = None
    unit_name: str = ""  # 单位名称（盖章）
    current_count: int | None = None  # 现有协理员人数
    assessed_count: int | None = None  # 实有参加考核人数
    groups: list[GradeGroup] = field(
        default_factory=lambda: [GradeGroup(label) for label in SUMMARY_GRADES]
    )
    town_opinion: Opinion = field(default_factory=Opinion)
    office_opinion: Opinion = field(default_factory=Opinion)
    bureau_opinion: Opinion = field(default_factory=Opinion)
    head: str = ""  # 单位负责人
    filler: str = ""  # 填表人
    phone: str = ""  # 联系电话
    title: str = "新沂市人社基层平台协理员年度考核汇总表"


register_document(
    ScoreSheetDoc,
    template="assessments/print/score_sheet.html",
    context=lambda doc: {"sheet": print_layout.score_sheet_context(doc), "doc": doc},
)
register_document(
    SummaryDoc, template="assessments/print/summary.html", context=print_layout.summary_context
)
register_document(
    RegistrationFormDoc,
    template="assessments/print/registration_form.html",
    context=print_layout.registration_context,
)
register_document(
    TownSummaryDoc,
    template="assessments/print/town_summary.html",
    context=print_layout.town_summary_context,
)


@dataclass
class PublicityRow:
    rank: int | str | None
    unit: str
    town: str = ""
    total: Decimal | None = None
    grade: str = ""
    subsidy_percent: Decimal | None = None
    amount: Decimal | None = None


@dataclass
class PublicityDoc:
    """A cycle's 公示 list (结果公示): rank, unit, total, grade and subsidy, with the 公示期
    and how to object, for posting and stamping."""

    title: str
    year: int | str | None = None
    scope_text: str = ""  # 「湖塘镇」 or 「全部」
    start: DateLike = None
    end: DateLike = None
    date_text: DateLike = None
    rows: list[PublicityRow] = field(default_factory=list)
    show_amount: bool = True
    final: bool = False  # the 公示 ended: the results are final
    issuer: str = "人力资源和社会保障局"


def publicity_context(doc: PublicityDoc) -> dict:
    from kit.formatting import day
    from printing.layout import year_text

    year = year_text(doc.year)
    return {
        "doc": doc,
        "year_line": f"（{year}年度）" if year and year not in doc.title else "",
        "start": day(doc.start, blank=""),
        "end": day(doc.end, blank=""),
        "date_text": day(doc.date_text, blank=""),
    }


register_document(
    PublicityDoc, template="assessments/print/publicity.html", context=publicity_context
)
