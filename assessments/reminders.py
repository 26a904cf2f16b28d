"""Deadline reminders: periodic work (``jobs.schedule``) that tells whoever a sheet waits on
that its deadline is 3 days away, 1 day away, or past.

Each reminder's key names the sheet, the side, the kind and the deadline date, so it
reaches each person once however often the work runs, and an extension (a new date) starts
the reminders again for that date. A run that was missed catches up: a sheet with 2 days
left still gets its 「3 天」 reminder, and one that is already overdue gets only the overdue
one.
"""

from datetime import date, timedelta

from django.urls import reverse

from assessments import deadlines
from assessments.models import Cycle
from assessments.recipients import side_writers
from jobs.schedule import periodic
from kit.formatting import day
from notices.services import notify

# (kind, the most days left at which it is sent); the first that applies is sent.
STAGES = (("1", 1), ("3", 3))
FIRST_REMINDER_DAYS = max(days for _kind, days in STAGES)


@periodic("assessment_deadline_reminders", every=timedelta(hours=1))
def send_deadline_reminders() -> str:
    told = remind()
    return f"截止提醒 {told['near']} 条，逾期提醒 {told['overdue']} 条。"


def remind(*, on: date | None = None) -> dict:
    """Send what is due on ``on`` (today); returns how many notices went out, by kind."""
    on = on or deadlines.today()
    told = {"near": 0, "overdue": 0}
    cycles = Cycle.objects.filter(state__in=[Cycle.State.SELF_OPEN, Cycle.State.REVIEW])
    for cycle in cycles.select_related("rubric"):
        for side in deadlines.pending_states(cycle):
            sheets = (
                deadlines.waiting_on(cycle, side)
                .filter(due__lte=on + timedelta(days=FIRST_REMINDER_DAYS))
                .select_related("unit__parent", "coordinator__user")
                .order_by("id")
            )
            for sheet in sheets.iterator(chunk_size=500):
                sheet.cycle = cycle
                kind = "overdue" if sheet.due < on else "near"
                told[kind] += len(_tell(sheet, side, sheet.due, on))
    return told


def _tell(sheet, side: str, due: date, on: date) -> list:
    days_left = (due - on).days
    label = str(deadlines.DEADLINE_LABELS[side])
    what = str(deadlines.WAITING_FOR[side])
    where = f"{sheet.cycle.title} · {sheet.subject_name}（{sheet.get_phase_display()}）"
    link = reverse("assessments:sheet_detail", args=[sheet.pk])
    recipients = side_writers(sheet, side)
    if days_left < 0:
        return notify(
            recipients,
            event="overdue",
            title=f"「{sheet.subject_name}」已逾期 {-days_left} 天未{what}",
            body=f"{where}\n{label}：{day(due)}，已逾期 {-days_left} 天，请尽快{what}。"
            "如需延期，请联系人社局。",
            link=link,
            key=f"overdue:{sheet.pk}:{side}:{due.isoformat()}",
        )
    stage = next(kind for kind, most in STAGES if days_left <= most)
    return notify(
        recipients,
        event="deadline_near",
        title=f"「{sheet.subject_name}」的{label}日期是 {day(due)}（{deadlines.days_text(days_left)}）",
        body=f"{where}\n{label}：{day(due)}（{deadlines.days_text(days_left)}），请按时{what}。",
        link=link,
        key=f"deadline_{stage}:{sheet.pk}:{side}:{due.isoformat()}",
    )
