"""Filled examples of every printed form (the 新沂 forms and a results summary)."""

from datetime import date
from decimal import Decimal as D

from assessments.print_documents import (
    GradeGroup,
    RegistrationFormDoc,
    SummaryDoc,
    SummaryRow,
    TownSummaryDoc,
)
from printing.documents import Opinion
from staff.print_documents import DepartureReportDoc, LeaveSlipDoc


def registration():
    return RegistrationFormDoc(
        year=2024,
        name="王小红",
        gender="女",
        birth=date(1988, 6, 1),
        political_status="中共党员",
        education="大专",
        work_unit="新安街道新华社区",
        grade="优秀",
        summary="全年完成入户调查 1,250 户，政策咨询 300 余人次。",
        town_opinion=Opinion("同意评为优秀。", "李主任", date(2025, 1, 8)),
        office_opinion=Opinion("同意。", "赵处长", date(2025, 1, 12)),
        bureau_opinion=Opinion("审核通过。", "", date(2025, 1, 15)),
    )


def town_summary():
    return TownSummaryDoc(
        year=2024,
        unit_name="新安街道社会事业服务中心",
        current_count=12,
        assessed_count=11,
        groups=[
            GradeGroup("优秀", ["王小红", "陈刚"]),
            GradeGroup("合格", ["张三", "李四", "周五", "吴六", "郑七", "孙八", "钱九", "冯十"]),
            GradeGroup("基本合格", ["褚一"]),
            GradeGroup("不合格", []),
        ],
        town_opinion=Opinion("情况属实。", "", date(2025, 1, 9)),
        head="李主任",
        filler="刘会计",
        phone="0516-88921234",
    )


def leave_slip():
    return LeaveSlipDoc(
        name="王小红",
        workplace="新安街道新华社区",
        applied_on=date(2024, 3, 1),
        category="病假",
        date_from=date(2024, 3, 4),
        date_to=date(2024, 3, 6),
        days=3,
        reason="住院手术，附医院证明。",
        phone="13912345678",
        village_opinion=Opinion("同意。", "陈书记", date(2024, 3, 1)),
        town_opinion=Opinion("同意，报市就业处备案。", "李主任", date(2024, 3, 2)),
    )


def departure_report():
    return DepartureReportDoc(
        name="陈刚",
        gender="男",
        birth=date(1990, 11, 1),
        political_status="群众",
        joined_on=date(2015, 7, 1),
        unit="新安街道新华社区",
        post="协理员",
        leave_on=date(2024, 9, 30),
        category="辞职",
        reason="考取事业编制。",
        signed_on=date(2024, 9, 1),
        personal_notes="工作文件、资料已移交。",
        village_opinion=Opinion("同意。", "陈书记", date(2024, 9, 2)),
        town_opinion=Opinion("同意。", "李主任", date(2024, 9, 3)),
        office_opinion=Opinion("同意，停发工资、停缴社保。", "赵处长", date(2024, 9, 5)),
    )


def summary():
    rows = [
        SummaryRow(
            1,
            "淹城社区",
            "湖塘镇",
            D("98"),
            D("92.5"),
            D(0),
            D(0),
            D("92.5"),
            None,
            "优秀",
            "优秀",
            D("120"),
            D("12000"),
        ),
        SummaryRow(
            2,
            "何留社区",
            "湖塘镇",
            D("95"),
            D("91"),
            D(0),
            D(0),
            D("91"),
            None,
            "优秀",
            "合格",
            D("100"),
            D("10000"),
        ),
        SummaryRow(
            3,
            "东陈村",
            "东陈镇",
            D("90"),
            D("76.5"),
            D(0),
            D(0),
            D("76.5"),
            "第 2 项「配备专职社区干事」",
            "不合格",
            "不合格",
            D("0"),
            D("0"),
        ),
    ]
    return SummaryDoc(
        title="2024年度社区（村）人社服务平台考核结果汇总表",
        year=2024,
        rows=rows,
        scope_text="全市",
        date_text=date(2025, 2, 1),
        notes=["优秀等次按考核办法不超过总数的30%。"],
    )


ALL_FORMS = {
    "registration": registration,
    "town_summary": town_summary,
    "leave_slip": leave_slip,
    "departure_report": departure_report,
    "summary": summary,
}
