"""The one home of a sheet's deadline: the cycle's date for the side the sheet waits on
(自评截止 while the unit has not submitted, 审核截止 while the town has not reviewed), unless
an administrator extended it for that sheet (the latest ``DeadlineExtension`` counts); the
days left, and whether it is overdue.

The same rules are written twice, once over one sheet in Python (the sheet page, the home
page) and once as SQL annotations over many (the overdue list, the reminders); the tests
hold them to the same answers.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, Cycle, DeadlineExtension
from assessments.sides import SIDES, Side, heading
from kit.formatting import day

# The cycle field holding each side's deadline, and what the date is called.
DEADLINE_FIELDS = {Side.SELF: "self_deadline", Side.REVIEW: "review_deadline"}
DEADLINE_LABELS = {Side.SELF: gettext_lazy("自评截止"), Side.REVIEW: gettext_lazy("审核截止")}
STAGE_OVER = {
    Side.SELF: gettext_lazy("自评阶段已结束"),
    Side.REVIEW: gettext_lazy("审核阶段已结束"),
}
# What is late when the side is overdue (the overdue list's column, the reminders' text).
WAITING_FOR = {Side.SELF: gettext_lazy("提交自评"), Side.REVIEW: gettext_lazy("完成审核")}

State = Assessment.State


def today() -> date:
    return timezone.localdate()


def side_deadline(cycle: Cycle, side: str) -> date | None:
    """The cycle's own deadline for ``side`` (before any extension)."""
    field = DEADLINE_FIELDS.get(side)
    return getattr(cycle, field) if field else None


def pending_states(cycle: Cycle) -> dict[str, tuple]:
    """{side: the sheet states in which the sheet waits on that side} for the sides that are
    open in the cycle's present state (``SIDES[side].open_in``). A rubric without a
    self-assessment column waits on the review from the start."""
    has_self = heading(cycle.rubric.columns, Side.SELF) is not None
    waiting = (
        {Side.SELF: (State.DRAFT, State.RETURNED), Side.REVIEW: (State.SUBMITTED,)}
        if has_self
        else {Side.REVIEW: (State.DRAFT, State.RETURNED, State.SUBMITTED)}
    )
    return {side: states for side, states in waiting.items() if cycle.state in SIDES[side].open_in}


def pending_side(sheet: Assessment) -> str | None:
    """The side the sheet waits on now, or None (done, or the cycle is not open)."""
    for side, states in pending_states(sheet.cycle).items():
        if sheet.state in states:
            return side
    return None


def extendable_sides(sheet: Assessment) -> list[str]:
    """The sides whose deadline may still be extended for this sheet: the cycle has a date
    for them, the cycle is not finalised, and that side's work is not done yet."""
    if sheet.cycle.locked:
        return []
    has_self = heading(sheet.cycle.rubric.columns, Side.SELF) is not None
    not_done = {
        Side.SELF: (State.DRAFT, State.RETURNED) if has_self else (),
        Side.REVIEW: (State.DRAFT, State.RETURNED, State.SUBMITTED),
    }
    return [
        side
        for side in DEADLINE_FIELDS
        if side_deadline(sheet.cycle, side) is not None and sheet.state in not_done[side]
    ]


def latest_extension(sheet: Assessment, side: str) -> DeadlineExtension | None:
    """The extension in force for ``side`` (reads ``prefetch_related("extensions")`` when
    the sheet has it)."""
    cache = getattr(sheet, "_prefetched_objects_cache", {})
    if "extensions" in cache:
        rows = [e for e in cache["extensions"] if e.side == side]
        return max(rows, key=lambda e: e.pk) if rows else None
    return sheet.extensions.filter(side=side).order_by("-id").first()


@dataclass(frozen=True)
class Deadline:
    side: str
    date: date
    days_left: int  # negative once overdue
    extended: bool  # an administrator moved it for this sheet
    reason: str = ""  # why, when extended

    @property
    def label(self) -> str:
        return str(DEADLINE_LABELS[self.side])

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def soon(self) -> bool:
        """Three days or fewer left (the first reminder goes out then)."""
        return 0 <= self.days_left <= 3

    @property
    def days_text(self) -> str:
        return days_text(self.days_left)


def days_text(days_left: int) -> str:
    if days_left < 0:
        return _("已逾期 %(n)d 天") % {"n": -days_left}
    if days_left == 0:
        return _("今天截止")
    return _("还剩 %(n)d 天") % {"n": days_left}


def effective_deadline(sheet: Assessment, side: str, *, on: date | None = None) -> Deadline | None:
    """``side``'s deadline for this sheet: the latest extension's date, else the cycle's."""
    cycle_date = side_deadline(sheet.cycle, side)
    if cycle_date is None:
        return None
    extension = latest_extension(sheet, side)
    due = extension.new_date if extension else cycle_date
    return Deadline(
        side=side,
        date=due,
        days_left=(due - (on or today())).days,
        extended=extension is not None,
        reason=extension.reason if extension else "",
    )


def sheet_deadline(sheet: Assessment, *, on: date | None = None) -> Deadline | None:
    """The deadline of what the sheet waits on now; None when it waits on nothing with a
    date."""
    side = pending_side(sheet)
    return effective_deadline(sheet, side, on=on) if side else None


def cycle_deadline(cycle: Cycle, *, on: date | None = None) -> Deadline | None:
    """The cycle's own deadline of its present stage (self-assessment while it is open,
    then the review), before any unit's extension: what the cycle and home pages show."""
    sides = [s for s in pending_states(cycle) if side_deadline(cycle, s) is not None]
    if not sides:
        return None
    # While both sides are open, the stage is the self-assessment until its date passes.
    on = on or today()
    side = sides[0]
    if len(sides) > 1 and side_deadline(cycle, side) < on:
        side = sides[1]
    due = side_deadline(cycle, side)
    return Deadline(side=side, date=due, days_left=(due - on).days, extended=False)


def stage_deadlines(cycle: Cycle, *, on: date | None = None) -> dict[str, Deadline | str]:
    """{deadline field: the cycle's Deadline (days left counted from ``on``), or why none is
    counted: 「自评阶段已结束」 once the cycle has moved past that stage}. Only the dates set."""
    on = on or today()
    passed = {
        Side.SELF: cycle.state
        in (Cycle.State.REVIEW, Cycle.State.FINALISED, Cycle.State.PUBLISHED),
        Side.REVIEW: cycle.locked,
    }
    out: dict[str, Deadline | str] = {}
    for side, field in DEADLINE_FIELDS.items():
        due = getattr(cycle, field)
        if due is None:
            continue
        if passed[side]:
            out[field] = str(STAGE_OVER[side])
        else:
            out[field] = Deadline(side=side, date=due, days_left=(due - on).days, extended=False)
    return out


# The cycle's dates, in form order, with their names.
CYCLE_DATES = {
    "self_deadline": "自评截止",
    "review_deadline": "审核截止",
    "publicity_start": "公示开始",
    "publicity_end": "公示截止",
}


def dates_problem(dates: dict) -> tuple[str, str] | None:
    """(field, message) when the dates contradict each other; None when they agree."""
    order = [
        ("review_deadline", "self_deadline", "审核截止日期不能早于自评截止日期（{a}）。"),
        ("publicity_start", "review_deadline", "公示开始日期不能早于审核截止日期（{a}）。"),
        ("publicity_end", "publicity_start", "公示截止日期不能早于公示开始日期（{a}）。"),
    ]
    for later, earlier, message in order:
        a, b = dates.get(earlier), dates.get(later)
        if a and b and b < a:
            return later, message.format(a=day(a))
    if dates.get("publicity_end") and not dates.get("publicity_start"):
        return "publicity_start", "填写了公示截止日期，请同时填写公示开始日期。"
    return None


# ---------------------------------------------------------------- the same, in SQL


def due_expression(side: str):
    """The effective deadline of ``side`` as an expression over ``Assessment`` rows."""
    latest = (
        DeadlineExtension.objects.filter(sheet=OuterRef("pk"), side=side)
        .order_by("-id")
        .values("new_date")[:1]
    )
    return Coalesce(
        Subquery(latest, output_field=DateField()), F(f"cycle__{DEADLINE_FIELDS[side]}")
    )


def waiting_on(cycle: Cycle, side: str, sheets=None):
    """The cycle's sheets that wait on ``side`` now, annotated with ``due`` (the effective
    deadline); none when the side is not open or has no date."""
    sheets = cycle.assessments.all() if sheets is None else sheets
    states = pending_states(cycle).get(side)
    if not states or side_deadline(cycle, side) is None:
        return sheets.none().annotate(due=due_expression(side))
    return sheets.filter(state__in=states).annotate(due=due_expression(side))


def overdue_filter(cycle: Cycle, *, on: date | None = None) -> Q:
    """A filter over the cycle's sheets: those overdue on the side they wait on (annotate
    ``self_due`` and ``review_due`` with ``due_expression`` first)."""
    on = on or today()
    found = Q(pk__in=[])
    for side, states in pending_states(cycle).items():
        if side_deadline(cycle, side) is None:
            continue
        found |= Q(state__in=states, **{f"{side}_due__lt": on})
    return found
