"""Who may see and do what with coordinators and their requests, and the one way views
fetch them.

Plain predicates over a user (their scope and role) and an object; services check the same
predicates before writing. Fetchers turn them into answers for views: an outsider gets 404
(existence is not disclosed), someone who may see but not do gets 403. What a user may do
with a leave request or a departure report is read from the transition table in
``staff/approvals.py`` (``get_request_for_user`` there returns the request with it).

Approvers (新沂 管理制度 考勤制度第4条, 附件4, 附件5):

- 村（社区）负责人: a user with the role ``village_head`` whose units include the community
  or village. The town centre (or a bureau administrator) may record the village head's
  signature from the paper slip instead (代录, with the signer's name).
- 镇（街道）社会事业服务中心负责人: a reviewer of the coordinator's town, or an administrator.
- 市就业处: a user with the role ``city_office``, or a bureau administrator.

Nobody decides on a request concerning themselves.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from org.models import Unit
from org.roles import Role
from org.scope import scope_for
from staff.models import AttendanceEntry, AttendanceMonth, Coordinator

# --- predicates ------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_bureau_admin(user) -> bool:
    return _active(user) and scope_for(user).is_admin


def is_city_office(user) -> bool:
    return _active(user) and (is_bureau_admin(user) or user.role == Role.CITY_OFFICE)


def headed_unit_ids(user) -> frozenset:
    """The communities and villages this user heads (村（社区）负责人)."""
    if not _active(user) or user.role != Role.VILLAGE_HEAD:
        return frozenset()
    return scope_for(user).unit_ids


def is_own_coordinator_role(user) -> bool:
    """A coordinator account: sees only its own record."""
    return user.role == Role.COORDINATOR and not user.is_superuser


def managed_town_ids(user) -> frozenset:
    """Towns whose coordinators this user manages (town reviewers); empty for others."""
    if not _active(user):
        return frozenset()
    scope = scope_for(user)
    return scope.town_ids if scope.can_write else frozenset()


def can_manage_unit(user, unit) -> bool:
    """Keep records (create/edit, attendance) for coordinators of this unit."""
    if is_bureau_admin(user):
        return True
    return unit is not None and _active(user) and scope_for(user).reviews_town(unit.town_id)


def can_manage(user, coordinator: Coordinator) -> bool:
    return can_manage_unit(user, coordinator.unit)


def can_manage_any(user) -> bool:
    return is_bureau_admin(user) or bool(managed_town_ids(user))


def is_subject(user, coordinator: Coordinator) -> bool:
    """The coordinator's own account: nobody decides on a request about themselves."""
    return _active(user) and coordinator.user_id == user.pk


def heads(user, coordinator: Coordinator) -> bool:
    """The village head of the coordinator's community or village."""
    return coordinator.unit_id in headed_unit_ids(user)


def can_see(user, coordinator: Coordinator) -> bool:
    if not _active(user):
        return False
    if is_subject(user, coordinator) or heads(user, coordinator):
        return True
    if is_city_office(user):
        return True
    if is_own_coordinator_role(user):
        return False
    return scope_for(user).covers_unit(coordinator.unit)


def can_file_for(user, coordinator: Coordinator) -> bool:
    """File a leave request: the coordinator, or the town centre on their behalf
    (考勤制度第3条: 由亲属代为办理 — the town records it)."""
    if not _active(user):
        return False
    return is_subject(user, coordinator) or can_manage(user, coordinator)


def can_follow_up(user, coordinator: Coordinator) -> bool:
    """Return (销假) or extend (续假): the coordinator or the town centre."""
    return can_file_for(user, coordinator)


def is_applicant(user, request) -> bool:
    """Who asked: the coordinator the request is about, or whoever filed it for them (the
    town centre filing on a relative's word, 考勤制度第3条)."""
    if not _active(user):
        return False
    return is_subject(user, request.coordinator) or (
        request.filed_by_id is not None and request.filed_by_id == user.pk
    )


def can_withdraw(user, request) -> bool:
    """Withdrawing is the applicant's own choice; an administrator may correct a mistake.
    An approver decides (同意/驳回 with a reason), never withdraws someone else's request."""
    return is_applicant(user, request) or is_bureau_admin(user)


# --- fetchers --------------------------------------------------------------------------

_COORDINATOR = Coordinator.objects.select_related("unit", "unit__parent", "user")


def get_coordinator_for_user(user, pk, *, write: bool = False) -> Coordinator:
    coordinator = get_object_or_404(_COORDINATOR, pk=pk)
    if not can_see(user, coordinator):
        raise Http404("没有找到该协理员。")
    if write and not can_manage(user, coordinator):
        raise PermissionDenied("只有人社局管理员和本镇（街道）社会事业服务中心可以修改协理员信息。")
    return coordinator


def get_coordinator_for_filing(user, pk) -> Coordinator:
    """A coordinator for whom this user may file a leave request or a departure report."""
    coordinator = get_coordinator_for_user(user, pk)
    if not can_file_for(user, coordinator):
        raise PermissionDenied("只有协理员本人和本镇（街道）社会事业服务中心可以办理。")
    return coordinator


def require_manager(user) -> None:
    """Creating and importing coordinators: administrators and town reviewers."""
    if not can_manage_any(user):
        raise PermissionDenied("只有人社局管理员和镇（街道）社会事业服务中心可以办理。")


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
    if not town.is_town_level or not scope_for(user).covers_unit(town):
        raise Http404("没有找到该镇（街道）。")
    if write and not can_manage_unit(user, town):
        raise PermissionDenied("只有人社局管理员和本镇（街道）社会事业服务中心可以修改。")
    return town
