"""What can be printed, as plain data: no ORM access, no request.

Each dataclass describes one printed document. Views, commands and job builders fill
them from the models; ``printing.render`` turns any list of them into one PDF, each
document with its own 「第 X 页 共 Y 页」.

Dates may be given as ``datetime.date`` or as text already written the way it should be
printed; ``None`` or ``""`` prints the blank 「　　年　　月　　日」 of the paper form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rubrics import engine

DateLike = date | str | None


@dataclass
class ScoreSheetDoc:
    """One score sheet (评分表), blank for a site visit or filled from a result.

    ``result`` is the evaluation of the review scores (考核得分 / 评估得分) and gives the
    totals, veto, grade and the review column. ``review_scores`` overrides the review
    column item by item (e.g. entered scores not yet evaluated); ``self_scores`` fills the
    self-score column (自评得分), and ``self_result``, when given, its totals and grade.
    ``title_label`` prints the item titles in a column of their own with that heading
    (湖塘 prints 子项目); by default a title that differs from its requirement is printed
    in bold at the top of the requirement cell (新建, 新沂).
    """

    rubric: engine.Rubric
    unit_name: str = ""
    town_name: str = ""
    year: int | str | None = None
    date_text: DateLike = None
    result: engine.SheetResult | None = None
    self_scores: dict[str, Decimal | None] | None = None
    review_scores: dict[str, Decimal | None] | None = None
    blank: bool = False
    self_result: engine.SheetResult | None = None
    title_label: str | None = None
    notes: list[str] | None = None  # 说明 lines; None prints the ones derived from the rubric
    orientation: str = "portrait"  # portrait | landscape

    template_name = "printing/score_sheet.html"


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

    template_name = "printing/summary.html"


@dataclass
class Opinion:
    """An opinion block of a form: the text, who signed it and when."""

    text: str = ""
    signer: str = ""
    date: DateLike = None


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

    template_name = "printing/registration_form.html"


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

    template_name = "printing/town_summary.html"


LEAVE_CATEGORIES = ("事假", "病假", "婚假", "产假", "丧假", "其他")


@dataclass
class LeaveSlipDoc:
    """新沂 附件4: 请假审批单, printed as the stub (存根) and the slip on one page."""

    name: str = ""
    workplace: str = ""  # 工作地点
    applied_on: DateLike = None  # 申请日期
    category: str = ""  # one of LEAVE_CATEGORIES; "" leaves every box empty
    date_from: DateLike = None
    date_to: DateLike = None
    days: Decimal | int | None = None  # 共 N 天
    reason: str = ""
    phone: str = ""  # 请假期间联系电话
    village_opinion: Opinion = field(default_factory=Opinion)  # 村（社区）负责人意见
    town_opinion: Opinion = field(default_factory=Opinion)  # 镇（街道）社会事业服务中心负责人意见
    title: str = "新沂市人社基层平台协理员请假审批单"

    template_name = "printing/leave_slip.html"


DEPARTURE_CATEGORIES = ("解除合同", "终止合同", "辞职", "辞退", "其他")


@dataclass
class DepartureReportDoc:
    """新沂 附件5: 离职呈报单."""

    name: str = ""  # 拟离职人姓名
    gender: str = ""
    birth: DateLike = None  # 出生年月
    political_status: str = ""
    joined_on: DateLike = None  # 进本系统时间
    unit: str = ""  # 离职前所在单位
    post: str = ""  # 工作岗位
    leave_on: DateLike = None  # 拟离职时间
    category: str = ""  # one of DEPARTURE_CATEGORIES
    reason: str = ""  # 离职原因
    signed_on: DateLike = None  # date beside 本人签名
    personal_notes: str = ""  # 个人需说明的事项或要求
    village_opinion: Opinion = field(default_factory=Opinion)  # 村（社区）意见
    town_opinion: Opinion = field(default_factory=Opinion)  # 镇（街道）社会事业服务中心负责人意见
    office_opinion: Opinion = field(default_factory=Opinion)  # 市就业处意见
    title: str = "新沂市人社基层平台协理员离职呈报单"

    template_name = "printing/departure_report.html"


PrintDoc = (
    ScoreSheetDoc
    | SummaryDoc
    | RegistrationFormDoc
    | TownSummaryDoc
    | LeaveSlipDoc
    | DepartureReportDoc
)
