"""The one way views of this app fetch units for a user.

An outsider gets 404 (the unit's existence is not disclosed); someone who may see the
unit but not change it gets 403 on writes.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from org.models import Unit
from org.scope import scope_for


def get_unit_for_user(user, pk, *, write: bool = False) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    scope = scope_for(user)
    if not scope.can_see(unit):
        raise Http404("没有找到该单位。")
    if write and not (scope.all_units and not scope.read_only):
        # Unit master data belongs to the bureau's administrators.
        raise PermissionDenied("只有人社局管理员可以修改单位信息。")
    return unit


def require_admin(user) -> None:
    scope = scope_for(user)
    if not (scope.all_units and not scope.read_only):
        raise PermissionDenied("此操作只限人社局管理员。")


def get_town_for_actuals(user, pk) -> Unit:
    """A town-level unit whose units' actuals the user may enter: the bureau's administrators
    for every town, a reviewer for the towns assigned. Outsiders 404, read-only users 403."""
    town = get_unit_for_user(user, pk)
    if not town.is_town_level:
        raise Http404("没有找到该镇（街道）。")
    scope = scope_for(user)
    may_write = (scope.all_units and not scope.read_only) or town.pk in scope.town_ids
    if not may_write:
        raise PermissionDenied("只有本镇（街道）的考核人员或人社局管理员可以录入完成数。")
    return town


def may_enter_actuals(user, town: Unit) -> bool:
    scope = scope_for(user)
    return (scope.all_units and not scope.read_only) or town.pk in scope.town_ids
