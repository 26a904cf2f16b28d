"""Staff records for the shared personas, built on demand from the ``world`` fixture.

Unit A (淹城社区) has coordinator A (linked to the account coordinator_a), unit B (东陈村)
coordinator B (linked to coordinator_b). Used by tests/access_table.py and tests/staff.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone


def coordinator_of(world, which: str = "a"):
    from staff.models import Coordinator

    unit = world.unit_a if which == "a" else world.unit_b
    person, _ = Coordinator.objects.get_or_create(
        unit=unit,
        name="陈静" if which == "a" else "许东",
        defaults={
            "user": world.users[f"coordinator_{which}"],
            "gender": "女" if which == "a" else "男",
            "birth_month": date(1990, 9, 1),
            "phone": "13912345678",
            "joined_on": date(2016, 3, 1),
            "certificate_no": "JS-2018-001" if which == "a" else "",
        },
    )
    return person


def leave_of(world, which: str = "a", *, state: str = "pending_village", days: int = 2):
    from staff.models import LeaveEvent, LeaveRequest

    person = coordinator_of(world, which)
    start = timezone.localdate() + timedelta(days=3)
    leave = LeaveRequest.objects.create(
        coordinator=person,
        kind=LeaveRequest.Kind.PERSONAL,
        start_date=start,
        end_date=start + timedelta(days=days - 1),
        days=days,
        phone="13912345678",
        state=state,
        needs_city=days >= 3,
        filed_by=person.user,
    )
    LeaveEvent.objects.create(
        request=leave,
        action="file",
        actor=person.user,
        actor_name="测试",
        at=timezone.now(),
        state_after=state,
    )
    return leave


def departure_of(world, which: str = "a", *, state: str = "pending_village"):
    from staff.models import DepartureReport

    return DepartureReport.objects.create(
        coordinator=coordinator_of(world, which),
        kind=DepartureReport.Kind.RESIGN,
        departure_date=timezone.localdate() + timedelta(days=30),
        state=state,
    )


def entry_of(world, which: str = "a"):
    from staff.models import AttendanceEntry

    return AttendanceEntry.objects.create(
        coordinator=coordinator_of(world, which),
        date=timezone.localdate(),
        status="absent",
        days=Decimal("1"),
    )


def month_of(world, which: str = "a"):
    from staff.models import AttendanceMonth

    return AttendanceMonth.objects.create(
        coordinator=coordinator_of(world, which),
        month=timezone.localdate().replace(day=1),
        absent_days=Decimal("1"),
    )


def make_user(username, role, units=()):
    from accounts.models import User

    user = User.objects.create_user(username, password="pw-" + username, role=role)
    user.first_name = username
    user.save()
    user.units.set(units)
    return user
