"""The printed forms of this app (新沂 附件4 请假审批单, 附件5 离职呈报单), filled from the
records and their approval history. ``printing`` renders them."""

from django.utils import timezone

from printing.documents import Opinion
from staff.approvals import Action
from staff.models import ApprovalStep
from staff.print_documents import DepartureReportDoc, LeaveSlipDoc

# How the paper form words each decision of a step (the page says 驳回, the form 不同意).
VERDICTS = {Action.APPROVE: "同意", Action.REJECT: "不同意"}


def _opinions(events) -> dict:
    """{step: Opinion} from the approval history; the last decision of a step wins."""
    found = {}
    for e in events:
        verdict = VERDICTS.get(e.action)
        if not e.step or verdict is None:
            continue
        text = f"{verdict}。{e.note}" if e.note else f"{verdict}。"
        found[e.step] = Opinion(
            text=text,
            signer=e.signer_name or e.actor_name,
            date=timezone.localtime(e.at).date(),
        )
    return found


def _workplace(coordinator) -> str:
    unit = coordinator.unit
    return f"{unit.parent.name}{unit.name}" if unit.parent_id else unit.name


def leave_slip_doc(leave) -> LeaveSlipDoc:
    opinions = _opinions(leave.events.all())
    town = opinions.get(ApprovalStep.TOWN, Opinion())
    city = opinions.get(ApprovalStep.CITY)
    if city is not None:
        # The paper slip has no 市就业处 box; 三天以上 the town head's box carries it.
        town = Opinion(
            text=f"{town.text}报市就业处：{city.text}（{city.signer}，{city.date:%Y年%m月%d日}）",
            signer=town.signer,
            date=town.date,
        )
    reason = leave.reason
    if leave.extends_id:
        reason = f"续假（接{leave.extends.start_date:%m月%d日}起的请假）。{reason}"
    if leave.after_the_fact:
        reason = f"{reason}（事后补办：{leave.after_the_fact_note}）"
    return LeaveSlipDoc(
        name=leave.coordinator.name,
        workplace=_workplace(leave.coordinator),
        applied_on=timezone.localtime(leave.filed_at).date(),
        category=leave.get_kind_display(),
        date_from=leave.start_date,
        date_to=leave.end_date,
        days=leave.days,
        reason=reason,
        phone=leave.phone,
        village_opinion=opinions.get(ApprovalStep.VILLAGE, Opinion()),
        town_opinion=town,
    )


def departure_report_doc(report) -> DepartureReportDoc:
    c = report.coordinator
    opinions = _opinions(report.events.all())
    notes = report.personal_notes
    handover = "；".join(
        [
            "工作文件、资料" + ("已移交" if report.handover_files else "未移交"),
            "办公设备" + ("已移交" if report.handover_equipment else "未移交"),
        ]
    )
    notes = f"{notes}\n移交情况：{handover}" + (
        f"。{report.handover_note}" if report.handover_note else ""
    )
    return DepartureReportDoc(
        name=c.name,
        gender=c.gender,
        birth=c.birth_month,
        political_status=c.political_status,
        joined_on=c.joined_on,
        unit=_workplace(c),
        post=c.position or "协理员",
        leave_on=report.departure_date,
        category=report.get_kind_display(),
        reason=report.reason,
        signed_on=timezone.localtime(report.filed_at).date(),
        personal_notes=notes.strip(),
        village_opinion=opinions.get(ApprovalStep.VILLAGE, Opinion()),
        town_opinion=opinions.get(ApprovalStep.TOWN, Opinion()),
        office_opinion=opinions.get(ApprovalStep.CITY, Opinion()),
    )
