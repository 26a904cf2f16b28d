"""The overdue sheets of a cycle, per town: what is late, since when, and who should act
(the unit's coordinators for a self-assessment, the town's reviewers for a review).

Administrators see every town, a town's reviewers their own. Reads only: a page of rows
costs the same few queries however many sheets the cycle has.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, F, IntegerField, When

from accounts.models import User
from assessments import deadlines
from assessments.models import Assessment, Cycle
from assessments.policy import reviewable_sheets
from assessments.sides import Side
from kit.formatting import day, month_day
from org.models import Assignment, Unit
from org.roles import Role
from org.scope import scope_for
from staff.models import Coordinator

_TOWN_LEVEL = When(unit__kind__in=Unit.TOWN_KINDS, then=F("unit_id"))


def _towns(sheets):
    """``sheets`` with the town each belongs to (a town-level unit is its own town)."""
    return sheets.annotate(
        town_id=Case(_TOWN_LEVEL, default=F("unit__parent_id"), output_field=IntegerField()),
        town_name=Case(
            When(unit__kind__in=Unit.TOWN_KINDS, then=F("unit__name")),
            default=F("unit__parent__name"),
            output_field=CharField(),
        ),
        town_order=Case(
            When(unit__kind__in=Unit.TOWN_KINDS, then=F("unit__sort_order")),
            default=F("unit__parent__sort_order"),
            output_field=IntegerField(),
        ),
    )


def overdue_sheets(user, cycle: Cycle, *, town: int | None = None, on: date | None = None):
    """The user's overdue sheets of the cycle, town by town (a queryset annotated with
    ``self_due``, ``review_due``, ``town_id``, ``town_name``)."""
    on = on or deadlines.today()
    sheets = reviewable_sheets(scope_for(user), cycle.assessments.all())
    sheets = sheets.annotate(
        self_due=deadlines.due_expression(Side.SELF),
        review_due=deadlines.due_expression(Side.REVIEW),
    ).filter(deadlines.overdue_filter(cycle, on=on))
    sheets = _towns(sheets)
    if town:
        sheets = sheets.filter(town_id=town)
    return sheets.select_related("unit", "coordinator").order_by(
        "town_order", "town_id", "unit__sort_order", "unit_id", "phase", "id"
    )


def town_counts(sheets) -> list[dict]:
    """[{town_id, town_name, n}] of an ``overdue_sheets`` queryset, in town order."""
    return list(
        sheets.order_by()
        .values("town_id", "town_name", "town_order")
        .annotate(n=Count("id"))
        .order_by("town_order", "town_id")
    )


@dataclass
class OverdueRow:
    sheet: Assessment
    town_id: int | None
    town_name: str
    side: str
    due: date
    days_overdue: int
    extended: bool  # the date is an extension of this sheet's
    people: list  # names of those who should act

    @property
    def waiting_for(self) -> str:
        return str(deadlines.WAITING_FOR[self.side])

    @property
    def deadline_label(self) -> str:
        return str(deadlines.DEADLINE_LABELS[self.side])

    @property
    def due_text(self) -> str:
        """11月30日 within the present year, 2025年11月30日 otherwise (narrow columns)."""
        return month_day(self.due) if self.due.year == deadlines.today().year else day(self.due)


def rows(cycle: Cycle, sheets, *, on: date | None = None) -> list[OverdueRow]:
    """One row per sheet of ``sheets`` (a page of ``overdue_sheets``), with the people."""
    on = on or deadlines.today()
    sheets = list(sheets)
    waiting = deadlines.pending_states(cycle)
    found = []
    for sheet in sheets:
        sheet.cycle = cycle
        side = next(s for s, states in waiting.items() if sheet.state in states)
        due = getattr(sheet, f"{side}_due")
        found.append(
            OverdueRow(
                sheet=sheet,
                town_id=sheet.town_id,
                town_name=sheet.town_name or "",
                side=side,
                due=due,
                days_overdue=(on - due).days,
                extended=due != deadlines.side_deadline(cycle, side),
                people=[],
            )
        )
    _add_people(found)
    return found


ON_DUTY = (Coordinator.State.ACTIVE, Coordinator.State.ON_LEAVE)


def _add_people(found: list[OverdueRow]) -> None:
    """Self-assessment rows: the sheet's coordinator, else the unit's registered
    coordinators, else its coordinators' accounts. Review rows: the town's reviewers."""
    unit_ids = {r.sheet.unit_id for r in found if r.side == Side.SELF}
    town_ids = {r.town_id for r in found if r.side == Side.REVIEW and r.town_id}
    registered, accounts = defaultdict(list), defaultdict(list)
    if unit_ids:
        for unit_id, name in (
            Coordinator.objects.filter(unit_id__in=unit_ids, state__in=ON_DUTY)
            .order_by("id")
            .values_list("unit_id", "name")
        ):
            registered[unit_id].append(name)
    wanted = unit_ids | town_ids
    if wanted:
        for a in (
            Assignment.objects.filter(
                unit_id__in=wanted,
                user__is_active=True,
                user__role__in=[Role.COORDINATOR, Role.REVIEWER],
            )
            .select_related("user")
            .order_by("user_id")
        ):
            accounts[(a.unit_id, a.user.role)].append(_name(a.user))
    for row in found:
        if row.side == Side.REVIEW:
            row.people = accounts.get((row.town_id, Role.REVIEWER), [])
        elif row.sheet.coordinator_id:
            row.people = [row.sheet.coordinator.name]
        else:
            unit_id = row.sheet.unit_id
            row.people = registered.get(unit_id) or accounts.get((unit_id, Role.COORDINATOR), [])


def _name(user: User) -> str:
    return user.display_name
