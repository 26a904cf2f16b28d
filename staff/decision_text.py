"""What a decision on a leave request or a departure report does, in words: the question a
confirmation page asks before it, and the notice the applicant gets after it.

The consequences are read from the transition table (``staff/approvals.py``): where the
request goes next and whose step that is.
"""

from staff import approvals
from staff.approvals import Action, State, Step
from staff.models import ApprovalRequest, LeaveRequest
from staff.rules import fmt_full_date

STEP_OFFICE = {
    Step.VILLAGE: "村（社区）负责人",
    Step.TOWN: "镇（街道）社会事业服务中心",
    Step.CITY: "市就业处",
}
EVENTS = {"leave": "leave_decided", "departure": "departure_decided"}


def kind_name(item: ApprovalRequest) -> str:
    return "leave" if isinstance(item, LeaveRequest) else "departure"


def describe(item: ApprovalRequest) -> str:
    """「陈静（淹城社区）的事假申请（2026年3月1日至2026年3月3日，共 3 天）」."""
    c = item.coordinator
    who = f"{c.name}（{c.unit.name}）"
    if isinstance(item, LeaveRequest):
        span = f"{fmt_full_date(item.start_date)}至{fmt_full_date(item.end_date)}"
        return f"{who}的{item.kind_label}申请（{span}，共 {item.days} 天）"
    return (
        f"{who}的离职呈报（{item.get_kind_display()}，拟离职时间 "
        f"{fmt_full_date(item.departure_date)}）"
    )


def _next(item: ApprovalRequest, action: Action) -> str:
    """What the request becomes after ``action``."""
    row = approvals.transition_for(item, action)
    if row is None:
        return ""
    if row.target == State.APPROVED:
        if isinstance(item, LeaveRequest):
            return "审批完成，请假获批准"
        return "审批完成：协理员办结离职，登录账号停用，岗位显示为空缺"
    if row.target == State.REJECTED:
        return "申请被驳回，审批结束"
    if row.target == State.WITHDRAWN:
        return "申请撤回，审批结束，不能恢复"
    step = approvals.step_of(row.target)
    return f"转交{STEP_OFFICE[step]}审批" if step else ""


def confirm_text(item: ApprovalRequest, action: Action, *, note: str = "") -> list[str]:
    """The lines of the confirmation page: what will happen, and who is told."""
    c = item.coordinator
    verb = {Action.APPROVE: "同意", Action.REJECT: "驳回", Action.WITHDRAW: "撤回"}[action]
    lines = [f"您将{verb}{describe(item)}。", f"之后：{_next(item, action)}。"]
    if action == Action.REJECT and note:
        lines.append(f"驳回理由「{note}」将告知{c.name}。")
    if action == Action.WITHDRAW:
        lines.append("撤回后如仍需请假，须重新提交申请。" if kind_name(item) == "leave" else "")
    elif _ends(item, action):
        lines.append(f"{c.name}将收到审批结果的通知。")
    return [line for line in lines if line]


def _ends(item: ApprovalRequest, action: Action) -> bool:
    row = approvals.transition_for(item, action)
    return row is not None and row.target in approvals.DECIDED


def decided_notice(item: ApprovalRequest, *, note: str = "") -> dict:
    """The notice of a finished approval for the applicant: title and body."""
    what = describe(item)
    if item.state == State.APPROVED:
        return {"title": f"已批准：{what}", "body": f"{what}已审批通过。"}
    body = f"{what}已被驳回。"
    if note:
        body += f"驳回理由：{note}"
    return {"title": f"已驳回：{what}", "body": body}
