"""What the people of a sheet are told when it moves: returned (with the reason), reviewed,
its deadline extended. Each notice names its event with the sheet's version (or the new
date), so it reaches each person once."""

from django.urls import reverse

from assessments.models import Assessment
from assessments.recipients import side_writers, unit_coordinators
from kit.formatting import day
from notices.services import notify


def _where(sheet: Assessment) -> str:
    return f"{sheet.cycle.title} · {sheet.subject_name}（{sheet.get_phase_display()}）"


def _link(sheet: Assessment) -> str:
    return reverse("assessments:sheet_detail", args=[sheet.pk])


def tell_returned(sheet: Assessment, *, reason: str, by) -> list:
    who = by.display_name if by else "审核人员"
    return notify(
        unit_coordinators(sheet),
        event="sheet_returned",
        title=f"「{sheet.subject_name}」的考核表被退回，请修改后重新提交",
        body=f"{_where(sheet)}\n退回人：{who}\n退回原因：{reason.strip()}",
        link=_link(sheet),
        key=f"sheet_returned:{sheet.pk}:{sheet.version}",
    )


def tell_reviewed(sheet: Assessment, *, by) -> list:
    who = by.display_name if by else "审核人员"
    return notify(
        unit_coordinators(sheet),
        event="sheet_reviewed",
        title=f"「{sheet.subject_name}」的考核表已审核",
        body=f"{_where(sheet)}\n审核人：{who}。可在考核表中查看考核得分和审核意见。",
        link=_link(sheet),
        key=f"sheet_reviewed:{sheet.pk}:{sheet.version}",
    )


def tell_extended(sheet: Assessment, *, side: str, label: str, old, new, reason: str) -> list:
    return notify(
        side_writers(sheet, side),
        event="deadline_extended",
        title=f"「{sheet.subject_name}」的{label}日期延至 {day(new)}",
        body=f"{_where(sheet)}\n{label}：{day(old)} → {day(new)}\n原因：{reason}",
        link=_link(sheet),
        key=f"deadline_extended:{sheet.pk}:{side}:{new.isoformat()}",
    )
