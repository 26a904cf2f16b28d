"""What the staff app prints (新沂 附件4 请假审批单, 附件5 离职呈报单), as plain data, with the
context each template under ``templates/staff/print/`` prints (registered with
``printing.registry``). ``staff.printouts`` fills them from the records."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kit.formatting import day, month, points, spaced_day
from printing.documents import DateLike, Opinion
from printing.layout import ticks
from printing.registry import register_document

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
    # 三天以上 (with extensions) the 市就业处 decides too: its own line on the slip
    needs_city: bool = False
    city_opinion: Opinion = field(default_factory=Opinion)  # 市就业处意见
    city_waiting: bool = False  # sent up, not decided yet: the slip says so
    city_note: str = ""  # when the city box stays empty for another reason (rejected earlier)
    title: str = "新沂市人社基层平台协理员请假审批单"


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


def leave_slip_context(doc: LeaveSlipDoc) -> dict:
    days = points(doc.days) or "　　"
    return {
        "doc": doc,
        "applied_on": day(doc.applied_on, blank=""),
        "categories": ticks(LEAVE_CATEGORIES, doc.category),
        "period": f"自{spaced_day(doc.date_from)}至{spaced_day(doc.date_to)}　共 {days} 天",
        "city_date": day(doc.city_opinion.date),
        "copies": [
            {"stub": True, "heading": f"《{doc.title}》存根"},
            {"stub": False, "heading": doc.title},
        ],
    }


def departure_context(doc: DepartureReportDoc) -> dict:
    return {
        "doc": doc,
        "birth": month(doc.birth),
        "joined_on": day(doc.joined_on, blank=""),
        "leave_on": day(doc.leave_on, blank=""),
        "signed_on": day(doc.signed_on),
        "categories": ticks(DEPARTURE_CATEGORIES, doc.category),
        "opinions": [
            ("村（社区）意见", doc.village_opinion, day(doc.village_opinion.date)),
            (
                "镇（街道）社会事业服务中心负责人意见",
                doc.town_opinion,
                day(doc.town_opinion.date),
            ),
            ("市就业处意见", doc.office_opinion, day(doc.office_opinion.date)),
        ],
    }


register_document(LeaveSlipDoc, template="staff/print/leave_slip.html", context=leave_slip_context)
register_document(
    DepartureReportDoc, template="staff/print/departure_report.html", context=departure_context
)
