"""The kinds of notice, each with its Chinese name (the inbox's filter and the e-mail's
subject prefix). A new kind is a new row here."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "sheet_returned": _("考核表退回"),
    "sheet_reviewed": _("考核表已审核"),
    "sheet_not_submitted": _("记为未提交"),
    "deadline_near": _("截止提醒"),
    "overdue": _("逾期提醒"),
    "deadline_extended": _("截止延期"),
    "results_published": _("结果公布"),
    "publicity_started": _("公示开始"),
    "publicity_ended": _("公示结束"),
    "objection_filed": _("异议提出"),
    "objection_answered": _("异议答复"),
    "leave_decided": _("请假审批"),
    "departure_decided": _("离职审批"),
    "rating_requested": _("评议提醒"),
}


def event_label(event: str) -> str:
    return str(EVENTS.get(event, event))
