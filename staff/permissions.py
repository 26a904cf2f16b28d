"""Who may see and do what with coordinators and their requests.

Plain predicates over a user and an object; ``staff/access.py`` turns them into 404/403 for
views and ``staff/services.py`` checks them again before writing.

Approvers (新沂 管理制度 考勤制度第4条, 附件4, 附件5):

- 村（社区）负责人: a user in the Django group 「村（社区）负责人」 whose units include the
  community or village. The town centre (or a bureau administrator) may record the village
  head's signature from the paper slip instead (代录, with the signer's name).
- 镇（街道）社会事业服务中心负责人: a reviewer of the coordinator's town, or an administrator.
- 市就业处: a user in the group 「市就业处」, or a bureau administrator.

Nobody decides on a request concerning themselves.
"""

from accounts.models import User
from org.scope import scope_for
from staff.models import ApprovalStep, Coordinator

VILLAGE_HEAD_GROUP = "村（社区）负责人"
CITY_OFFICE_GROUP = "市就业处"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _groups(user) -> frozenset:
    cached = getattr(user, "_staff_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._staff_groups = cached
    return cached


def is_bureau_admin(user) -> bool:
    if not _active(user):
        return False
    scope = scope_for(user)
    return scope.is_admin


def is_city_office(user) -> bool:
    return _active(user) and (is_bureau_admin(user) or CITY_OFFICE_GROUP in _groups(user))


def headed_unit_ids(user) -> frozenset:
    """The communities and villages this user heads (村（社区）负责人)."""
    if not _active(user) or VILLAGE_HEAD_GROUP not in _groups(user):
        return frozenset()
    cached = getattr(user, "_headed_units", None)
    if cached is None:
        from org.models import Unit

        cached = frozenset(
            user.units.filter(kind__in=Unit.GRASSROOTS_KINDS).values_list("pk", flat=True)
        )
        user._headed_units = cached
    return cached


def is_own_coordinator_role(user) -> bool:
    """A coordinator account: sees only its own record (and the units it heads, if any)."""
    return user.role == User.Role.COORDINATOR and not user.is_superuser


def managed_town_ids(user) -> frozenset:
    """Towns whose coordinators this user manages (town reviewers); empty for others."""
    if not _active(user):
        return frozenset()
    scope = scope_for(user)
    return frozenset() if scope.read_only else scope.town_ids


def can_manage_unit(user, unit) -> bool:
    """Keep records (create/edit, attendance) for coordinators of this unit."""
    if is_bureau_admin(user):
        return True
    return unit is not None and unit.town_id in managed_town_ids(user)


def can_manage(user, coordinator: Coordinator) -> bool:
    return can_manage_unit(user, coordinator.unit)


def can_manage_any(user) -> bool:
    return is_bureau_admin(user) or bool(managed_town_ids(user))


def can_see(user, coordinator: Coordinator) -> bool:
    if not _active(user):
        return False
    if coordinator.user_id == user.pk or coordinator.unit_id in headed_unit_ids(user):
        return True
    if is_city_office(user):
        return True
    if is_own_coordinator_role(user):
        return False
    return scope_for(user).can_see(coordinator.unit)


def step_of(state: str) -> str | None:
    return {
        "pending_village": ApprovalStep.VILLAGE,
        "pending_town": ApprovalStep.TOWN,
        "pending_city": ApprovalStep.CITY,
    }.get(state)


def step_role(user, coordinator: Coordinator, step: str) -> str | None:
    """How this user may act at this step: "self" (in their own right), "behalf" (recording a
    village head's paper signature), or None (not at all)."""
    if not _active(user) or coordinator.user_id == user.pk:
        return None
    if step == ApprovalStep.VILLAGE:
        if coordinator.unit_id in headed_unit_ids(user):
            return "self"
        return "behalf" if can_manage(user, coordinator) else None
    if step == ApprovalStep.TOWN:
        return "self" if can_manage(user, coordinator) else None
    if step == ApprovalStep.CITY:
        return "self" if is_city_office(user) else None
    return None


def can_file_for(user, coordinator: Coordinator) -> bool:
    """File a leave request: the coordinator, or the town centre on their behalf
    (考勤制度第3条: 由亲属代为办理 — the town records it)."""
    if not _active(user):
        return False
    return coordinator.user_id == user.pk or can_manage(user, coordinator)


def can_follow_up(user, coordinator: Coordinator) -> bool:
    """Return (销假), extend (续假) or withdraw: the coordinator or the town centre."""
    return can_file_for(user, coordinator)
