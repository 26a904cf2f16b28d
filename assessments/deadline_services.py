"""Writes of deadlines: a cycle's dates, and one sheet's extension. Each runs in one
transaction and is recorded (``Change``), with the people concerned told of an extension."""

from datetime import date

from django.db import transaction

from assessments import deadlines, policy
from assessments.models import Assessment, Change, Cycle, DeadlineExtension
from assessments.services import WorkflowError
from assessments.sheet_notices import tell_extended
from kit.formatting import day
from org.scope import scope_for


@transaction.atomic
def cycle_set_deadlines(*, cycle: Cycle, user, dates: dict) -> list[str]:
    """Set the cycle's dates; returns what changed, as 「自评截止：… → …」 lines."""
    policy.require_admin(user)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    problem = deadlines.dates_problem({k: dates.get(k) for k in deadlines.CYCLE_DATES})
    if problem:
        raise WorkflowError(problem[1])
    changed, lines = [], []
    for field, label in deadlines.CYCLE_DATES.items():
        old, new = getattr(cycle, field), dates.get(field)
        if old == new:
            continue
        setattr(cycle, field, new)
        changed.append(field)
        lines.append(f"{label}：{day(old, '未设')} → {day(new, '未设')}")
    if changed:
        cycle.save(update_fields=changed)
        Change.objects.create(
            cycle=cycle, user=user, what="cycle_deadlines", old="", new="；".join(lines)
        )
    return lines


@transaction.atomic
def deadline_extend(
    *, sheet: Assessment, side: str, new_date: date, reason: str, user
) -> DeadlineExtension:
    """Move one sheet's deadline for ``side`` to ``new_date``, with the reason recorded;
    the people who write that side are told."""
    if not policy.may_extend_deadline(scope_for(user), sheet):
        raise WorkflowError("只有人社局管理员可以延长截止日期。")
    sheet = (
        # Only the sheet's row is locked: PostgreSQL locks no nullable side of a join.
        Assessment.objects.select_for_update(of=("self",))
        .select_related("cycle__rubric", "unit__parent", "coordinator__user")
        .get(pk=sheet.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请填写延期原因，它会记录在考核表的修改记录中。")
    label = str(deadlines.DEADLINE_LABELS.get(side, ""))
    if side not in deadlines.extendable_sides(sheet):
        raise WorkflowError(f"「{sheet.subject_name}」的{label or '这一项'}已不能延期。")
    current = deadlines.effective_deadline(sheet, side)
    if new_date <= current.date:
        raise WorkflowError(f"延至的日期应晚于现在的{label}日期（{day(current.date)}）。")
    if new_date < deadlines.today():
        raise WorkflowError(f"延至的日期（{day(new_date)}）已经过去。")
    extension = DeadlineExtension.objects.create(
        sheet=sheet, side=side, new_date=new_date, reason=reason, by=user
    )
    Change.objects.create(
        assessment=sheet,
        cycle=sheet.cycle,
        user=user,
        what="deadline_extended",
        old=f"{label} {day(current.date)}",
        new=f"{label} {day(new_date)}",
        reason=reason,
        sheet_version=sheet.version,
    )
    tell_extended(sheet, side=side, label=label, old=current.date, new=new_date, reason=reason)
    return extension
