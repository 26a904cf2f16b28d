"""The one way views of this app fetch coordinators, requests and towns for a user.

An outsider gets 404 (existence is not disclosed); someone who may see but not do gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from org.models import Unit
from org.scope import scope_for
from staff import permissions as perm
from staff.models import (
    AttendanceEntry,
    AttendanceMonth,
    Coordinator,
    DepartureReport,
    LeaveRequest,
)

_COORDINATOR = Coordinator.objects.select_related("unit", "unit__parent", "user")


def get_coordinator_for_user(user, pk, *, write: bool = False) -> Coordinator:
    coordinator = get_object_or_404(_COORDINATOR, pk=pk)
    if not perm.can_see(user, coordinator):
        raise Http404("没有找到该协理员。")
    if write and not perm.can_manage(user, coordinator):
        raise PermissionDenied("只有人社局管理员和本镇（街道）社会事业服务中心可以修改协理员信息。")
    return coordinator


def get_coordinator_for_filing(user, pk) -> Coordinator:
    """A coordinator for whom this user may file a leave request or a departure report."""
    coordinator = get_coordinator_for_user(user, pk)
    if not perm.can_file_for(user, coordinator):
        raise PermissionDenied("只有协理员本人和本镇（街道）社会事业服务中心可以办理。")
    return coordinator


def require_manager(user) -> None:
    """Creating and importing coordinators: administrators and town reviewers."""
    if not perm.can_manage_any(user):
        raise PermissionDenied("只有人社局管理员和镇（街道）社会事业服务中心可以办理。")


def get_leave_for_user(user, pk, *, action: str | None = None) -> LeaveRequest:
    """action: None (look), "decide", "follow_up" (销假/续假/撤回)."""
    leave = get_object_or_404(
        LeaveRequest.objects.select_related(
            "coordinator", "coordinator__unit", "coordinator__unit__parent", "extends"
        ),
        pk=pk,
    )
    if not perm.can_see(user, leave.coordinator):
        raise Http404("没有找到该请假申请。")
    if action == "decide":
        step = perm.step_of(leave.state)
        if step is None or perm.step_role(user, leave.coordinator, step) is None:
            raise PermissionDenied("您不是这一环节的审批人。")
    elif action == "follow_up" and not perm.can_follow_up(user, leave.coordinator):
        raise PermissionDenied("只有协理员本人和本镇（街道）社会事业服务中心可以办理。")
    return leave


def get_departure_for_user(user, pk, *, action: str | None = None) -> DepartureReport:
    report = get_object_or_404(
        DepartureReport.objects.select_related(
            "coordinator", "coordinator__unit", "coordinator__unit__parent"
        ),
        pk=pk,
    )
    if not perm.can_see(user, report.coordinator):
        raise Http404("没有找到该离职呈报。")
    if action == "decide":
        step = perm.step_of(report.state)
        if step is None or perm.step_role(user, report.coordinator, step) is None:
            raise PermissionDenied("您不是这一环节的审批人。")
    elif action == "follow_up" and not perm.can_follow_up(user, report.coordinator):
        raise PermissionDenied("只有协理员本人和本镇（街道）社会事业服务中心可以办理。")
    return report


def get_attendance_entry_for_user(user, pk) -> AttendanceEntry:
    entry = get_object_or_404(AttendanceEntry, pk=pk)
    get_coordinator_for_user(user, entry.coordinator_id, write=True)
    return entry


def get_attendance_month_for_user(user, pk) -> AttendanceMonth:
    month = get_object_or_404(AttendanceMonth, pk=pk)
    get_coordinator_for_user(user, month.coordinator_id, write=True)
    return month


def get_town_for_user(user, pk, *, write: bool = False) -> Unit:
    town = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    if not town.is_town_level or not scope_for(user).can_see(town):
        raise Http404("没有找到该镇（街道）。")
    if write and not perm.can_manage_unit(user, town):
        raise PermissionDenied("只有人社局管理员和本镇（街道）社会事业服务中心可以修改。")
    return town
