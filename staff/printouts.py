"""The printed forms of this app (新沂 附件4 请假审批单, 附件5 离职呈报单), filled from the
records and their approval history. ``printing`` renders them."""

from django.utils import timezone

from printing.documents import Opinion
from staff.approvals import Action
from staff.models import ApprovalStep, LeaveRequest
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
    city = opinions.get(ApprovalStep.CITY)
    # 三天以上 the 市就业处 decides last, in a box of its own; a slip printed before it has
    # decided says it is still waiting (the leave is not approved yet).
    waiting = leave.needs_city and city is None and leave.state in LeaveRequest.PENDING
    city_note = ""
    if leave.needs_city and city is None and not waiting:
        city_note = "（未报市就业处：审批已在此前结束）"
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
        town_opinion=opinions.get(ApprovalStep.TOWN, Opinion()),
        needs_city=leave.needs_city,
        city_opinion=city or Opinion(),
        city_waiting=waiting,
        city_note=city_note,
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
