"""PERSONNEL_CHANGE: every change to a coordinator's personnel record is in the security
log, old → new per field, whichever path made it (pages, admin, roster import, commands).

The record is the coordinator and the rows kept about them: attendance days and months,
leave requests and departure reports (their approval histories are their own log)."""

from audit.events import Event
from audit.tracking import watch
from staff.models import (
    AttendanceEntry,
    AttendanceMonth,
    Coordinator,
    DepartureReport,
    LeaveRequest,
)


def _coordinator(row):
    return row.coordinator


def connect() -> None:
    watch(Coordinator, event=Event.PERSONNEL_CHANGE, noun="协理员档案")
    for model in (AttendanceEntry, AttendanceMonth, LeaveRequest, DepartureReport):
        watch(
            model,
            event=Event.PERSONNEL_CHANGE,
            owner=_coordinator,
            # Who wrote the row is the event's user; when, its time.
            exclude=("recorded_by", "recorded_at", "filed_by", "filed_at"),
            labels={"coordinator": "协理员"},
        )
