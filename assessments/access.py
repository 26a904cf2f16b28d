"""The one way views of this app fetch cycles, sheets and results for a user.

Outsiders get 404; people who may look but not do the thing asked get 403 with the reason.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.scope import scope_for
from assessments.models import Assessment, Cycle
from assessments.sides import SIDES


def is_admin(user) -> bool:
    scope = scope_for(user)
    return scope.all_units and not scope.read_only


def require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied("此操作只限人社局管理员。")


def get_cycle_for_user(user, pk, *, admin: bool = False) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("rubric"), pk=pk)
    if admin:
        require_admin(user)
    elif cycle.state == Cycle.State.DRAFT and not is_admin(user):
        raise Http404("没有找到该考核周期。")
    return cycle


def get_assessment_for_user(user, pk, *, action: str = "view") -> Assessment:
    """action: view | a score side from ``SIDES`` (self: fill the self-assessment, review:
    enter review scores) | admin (reopen, finalise)."""
    sheet = get_object_or_404(
        Assessment.objects.select_related("cycle__rubric", "unit__parent", "coordinator"), pk=pk
    )
    scope = scope_for(user)
    if not scope.can_see(sheet.unit) or (
        sheet.cycle.state == Cycle.State.DRAFT and not is_admin(user)
    ):
        raise Http404("没有找到该考核表。")
    if action == "view":
        return sheet
    if action == "admin":
        require_admin(user)
        return sheet
    if scope.read_only:
        raise PermissionDenied("您是只读用户，不能修改考核表。")
    if action in SIDES:  # writing one score side: who may is that side's description
        side = SIDES[action]
        if not (is_admin(user) or side.may_write(user, scope, sheet)):
            raise PermissionDenied(side.write_refused)
        return sheet
    raise ValueError(action)
