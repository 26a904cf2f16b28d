"""Reads of the staff app. The appraisal (assessments/) and the platform rubrics call:

- ``attendance_veto(coordinator, year) -> str | None``       考勤制度第5条 (一票否决 text)
- ``termination_flag(coordinator, year) -> str | None``      考勤制度第6条 (>7 days away)
- ``attendance_tally(coordinator, year) -> rules.Tally``     the days and where they came from
- ``window_staff(unit, year) -> WindowStaffing | None``      新建 附件1
- ``extra_window_staff(unit, year) -> int``                  新建 五.3 (staff beyond 3)
- ``certified_fulltime_coordinator(unit) -> bool``           常州 一票否决 2
- ``coordinators_in_post(town=None, unit=None)``             queryset, for quotas and forms
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from org.models import Unit
from org.scope import scope_for
from staff import approvals, rules
from staff import policy as perm
from staff.models import (
    ApprovalRequest,
    AttendanceEntry,
    AttendanceMonth,
    Coordinator,
    DepartureReport,
    LeaveRequest,
    WindowStaffing,
)

REQUIRED_WINDOW_STAFF = 3  # 新建: 专窗工作人员要按照不少于3人的标准配备

IN_POST = (Coordinator.State.ACTIVE, Coordinator.State.ON_LEAVE)


# --- coordinators ----------------------------------------------------------------------


def visible_coordinators(user):
    qs = Coordinator.objects.select_related("unit", "unit__parent", "user")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if perm.is_city_office(user):
        return qs
    mine = Q(user=user) | Q(unit_id__in=perm.headed_unit_ids(user))
    if perm.is_own_coordinator_role(user):
        return qs.filter(mine)
    scope = scope_for(user)
    if scope.all_units:
        return qs
    return qs.filter(mine | Q(unit_id__in=scope.unit_ids))


def filter_coordinators(qs, *, town_id=None, unit_id=None, state=None, q=""):
    if town_id:
        qs = qs.filter(unit__parent_id=town_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(phone__icontains=q) | Q(unit__name__icontains=q))
    return qs


def coordinator_for_user(user) -> Coordinator | None:
    if not user.is_authenticated:
        return None
    return Coordinator.objects.select_related("unit").filter(user=user).first()


def coordinators_in_post(*, town=None, unit=None):
    """Coordinators holding a post (在岗 or 请假中), full-time or not."""
    qs = Coordinator.objects.filter(state__in=IN_POST).select_related("unit", "unit__parent")
    if town is not None:
        qs = qs.filter(unit__parent=town)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def writable_grassroots_units(user):
    """Communities and villages this user may keep coordinator records for."""
    qs = Unit.objects.filter(kind__in=Unit.GRASSROOTS_KINDS, active=True).select_related("parent")
    if perm.is_bureau_admin(user):
        return qs
    return qs.filter(parent_id__in=perm.managed_town_ids(user))


def visible_towns(user):
    scope = scope_for(user)
    qs = Unit.objects.filter(kind__in=Unit.TOWN_KINDS, active=True).order_by("sort_order", "id")
    return qs if scope.all_units else qs.filter(pk__in=scope.unit_ids)


# --- staffing (新建 附件1, 常州 veto 2) ---------------------------------------------------


def window_staff(unit, year: int) -> WindowStaffing | None:
    return WindowStaffing.objects.filter(unit=unit, year=year).first()


def extra_window_staff(unit, year: int) -> int:
    """Window staff beyond the 3 required (新建 五.3 awards 0.5 each, at most 2 points: the
    rubric applies the rate and the cap). 0 when the town has not reported its staffing."""
    row = window_staff(unit, year)
    return max(0, row.window_staff - REQUIRED_WINDOW_STAFF) if row else 0


def certified_fulltime_coordinator(unit) -> bool:
    """常州 一票否决 2: 有不少于1名持有劳动保障协理员职业资格证书的专职工作人员.
    A full-time coordinator in post (在岗 or 请假中) with a certificate number."""
    return (
        Coordinator.objects.filter(unit=unit, state__in=IN_POST, is_fulltime=True)
        .exclude(certificate_no="")
        .exists()
    )


@dataclass
class StaffingRow:
    unit: Unit
    coordinators: list = field(default_factory=list)  # in post
    tallies: dict = field(default_factory=dict)

    @property
    def vacant(self) -> bool:
        return not self.coordinators

    @property
    def pairs(self) -> list:
        return [(c, self.tallies[c.pk]) for c in self.coordinators]


def town_staffing(town, year: int, *, today: date | None = None) -> list[StaffingRow]:
    """Each community/village of the town with its coordinators in post, or 空缺."""
    units = list(town.children.filter(active=True).order_by("sort_order", "id"))
    people = list(
        Coordinator.objects.filter(unit__in=units, state__in=IN_POST).order_by("name", "id")
    )
    tallies = attendance_tallies(people, year, today=today)
    by_unit = defaultdict(list)
    for person in people:
        by_unit[person.unit_id].append(person)
    return [
        StaffingRow(
            unit=u,
            coordinators=by_unit.get(u.pk, []),
            tallies={p.pk: tallies[p.pk] for p in by_unit.get(u.pk, [])},
        )
        for u in units
    ]


def former_coordinators(town):
    return (
        Coordinator.objects.filter(unit__parent=town, state=Coordinator.State.LEFT)
        .select_related("unit")
        .order_by("-left_on", "name")
    )


# --- attendance ------------------------------------------------------------------------


def _leave_spans(requests) -> dict[int, list[rules.LeaveSpan]]:
    """Approved (or returned) pieces whose overrun can count, per coordinator."""
    requests = list(requests)
    pending_ext_end: dict[int, date] = {}
    for r in requests:
        if r.extends_id and r.is_pending:
            current = pending_ext_end.get(r.extends_id)
            pending_ext_end[r.extends_id] = max(current, r.end_date) if current else r.end_date
    spans = defaultdict(list)
    for r in requests:
        if r.state not in (LeaveRequest.State.APPROVED, LeaveRequest.State.RETURNED):
            continue
        label = f"{r.kind_label}（{rules.fmt_date(r.start_date)}至{rules.fmt_date(r.end_date)}）"
        spans[r.coordinator_id].append(
            rules.LeaveSpan(
                label=label,
                start=r.start_date,
                end=r.end_date,
                returned_on=r.returned_on,
                covered_until=pending_ext_end.get(r.pk),
            )
        )
    return spans


def attendance_tallies(coordinators, year: int, *, today: date | None = None) -> dict:
    """{coordinator pk: rules.Tally} in three queries, whatever the number of coordinators."""
    today = today or timezone.localdate()
    people = list(coordinators)
    ids = [c.pk for c in people]
    entries = defaultdict(list)
    # Runs from late December count towards 「连续」 only within the year; entries belong to
    # the year of their first day.
    for e in AttendanceEntry.objects.filter(coordinator_id__in=ids, date__year=year):
        entries[e.coordinator_id].append(rules.DayEntry(e.date, e.status, e.days))
    months = defaultdict(list)
    for m in AttendanceMonth.objects.filter(coordinator_id__in=ids, month__year=year):
        months[m.coordinator_id].append(rules.MonthSummary(m.month, m.absent_days, m.off_post_days))
    leaves = _leave_spans(
        LeaveRequest.objects.filter(coordinator_id__in=ids)
        # A leave of an earlier year still not returned keeps running into this one.
        .filter(
            Q(end_date__year__gte=year)
            | Q(returned_on__year__gte=year)
            | Q(state=LeaveRequest.State.APPROVED)
        )
        .filter(start_date__year__lte=year)
    )
    return {
        c.pk: rules.tally(
            year=year,
            entries=entries.get(c.pk, []),
            months=months.get(c.pk, []),
            leaves=leaves.get(c.pk, []),
            today=today,
            fulltime=c.is_fulltime,
        )
        for c in people
    }


def attendance_tally(coordinator, year: int, *, today: date | None = None) -> rules.Tally:
    return attendance_tallies([coordinator], year, today=today)[coordinator.pk]


def attendance_veto(coordinator, year: int, *, today: date | None = None) -> str | None:
    """The one-vote veto of 考勤制度第5条 as a sentence naming the rule, or None.

    「全年累计旷工 5 天（含五天以上为不合格，考勤制度第5条）」; 脱岗 and days after a leave
    ended without 销假/续假 count as 旷工 (第6条) and are named in the sentence.
    """
    return attendance_tally(coordinator, year, today=today).veto


def termination_flag(coordinator, year: int, *, today: date | None = None) -> str | None:
    """考勤制度第6条: a full-time coordinator away from the post more than 7 days."""
    return attendance_tally(coordinator, year, today=today).termination_flag


def attendance_entries(coordinator, year: int):
    return coordinator.attendance_entries.filter(date__year=year).select_related("recorded_by")


def attendance_months(coordinator, year: int):
    return coordinator.attendance_months.filter(month__year=year)


# --- leave and departures --------------------------------------------------------------


def chain_root(leave: LeaveRequest) -> LeaveRequest:
    node = leave
    while node.extends_id:
        node = node.extends
    return node


def chain_days(root: LeaveRequest, *, extra: int = 0) -> int:
    """Days of a leave and all its extensions still standing (pending or approved)."""
    total, todo = root.days, [root]
    while todo:
        node = todo.pop()
        for ext in node.extensions.exclude(
            state__in=(LeaveRequest.State.REJECTED, LeaveRequest.State.WITHDRAWN)
        ):
            total += ext.days
            todo.append(ext)
    return total + extra


def overlapping_leave(coordinator, start: date, end: date, *, exclude_ids=()):
    """The first request of this coordinator whose days meet [start, end], or None."""
    candidates = (
        LeaveRequest.objects.filter(coordinator=coordinator, state__in=LeaveRequest.HOLDING)
        .filter(start_date__lte=end, end_date__gte=start)
        .exclude(pk__in=exclude_ids)
        .order_by("start_date")
    )
    for other in candidates:
        # A leave returned early frees its remaining days.
        last = other.end_date
        if other.state == LeaveRequest.State.RETURNED and other.returned_on:
            last = min(last, other.returned_on - timedelta(days=1))
        if other.start_date <= end and last >= start:
            return other
    return None


def visible_leave(user):
    return LeaveRequest.objects.filter(
        coordinator__in=visible_coordinators(user).values("pk")
    ).select_related("coordinator", "coordinator__unit", "coordinator__unit__parent")


def visible_departures(user):
    return DepartureReport.objects.filter(
        coordinator__in=visible_coordinators(user).values("pk")
    ).select_related("coordinator", "coordinator__unit", "coordinator__unit__parent")


def waiting_for(user):
    """(leave requests, departure reports) at a step this user may act on, oldest first,
    each with ``on_behalf`` (recording a village head's paper signature)."""
    if not user.is_authenticated or not user.is_active:
        return [], []
    out = []
    for qs in (visible_leave(user), visible_departures(user)):
        items = []
        for item in qs.filter(state__in=ApprovalRequest.PENDING).order_by("filed_at", "id"):
            decision = approvals.decision_for(item, user)
            if decision is not None:
                item.on_behalf = decision.behalf
                items.append(item)
        out.append(items)
    return out[0], out[1]


def step_signatures(events) -> dict[str, object]:
    """The approving event of each step: {ApprovalStep.VILLAGE: event, …}."""
    found = {}
    for event in events:
        if event.action == approvals.Action.APPROVE and event.step:
            found[event.step] = event
    return found
