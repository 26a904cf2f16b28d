"""Reading the security log: the filters of the log page and of its export."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from audit.models import SecurityEvent


@dataclass(frozen=True)
class LogFilter:
    start: date | None = None  # first day, inclusive
    end: date | None = None  # last day, inclusive
    username: str = ""  # part of the name
    event: str = ""
    outcome: str = ""
    address: str = ""  # an address, or its beginning (``10.2.``)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_matching(f: LogFilter):
    """The rows that match, newest first."""
    qs = SecurityEvent.objects.all()
    if f.start:
        qs = qs.filter(at__gte=_day_start(f.start))
    if f.end:
        qs = qs.filter(at__lt=_day_start(f.end + timedelta(days=1)))
    if f.username:
        qs = qs.filter(username__icontains=f.username)
    if f.event:
        qs = qs.filter(event=f.event)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.address:
        qs = qs.filter(address__startswith=f.address)
    return qs.order_by("-at", "-pk")
