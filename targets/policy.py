"""Who may do what with units, targets and actuals: predicates over (scope, object), and the
one way views of this app fetch units for a user.

An outsider gets 404 (the unit's existence is not disclosed); someone who may see the
unit but not change it gets 403 on writes.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from org.models import Unit
from org.scope import Scope, scope_for


@dataclass(frozen=True)
class UnitActions:
    """What a user may do to one unit."""

    edit: bool  # the unit's name, aliases and whether it is in use
    enter_actuals: bool  # the actuals of a town-level unit and its communities


def may_edit_unit(scope: Scope, unit: Unit) -> bool:
    # Unit master data belongs to the bureau's administrators.
    return scope.is_admin


def may_enter_actuals(scope: Scope, town: Unit) -> bool:
    """The bureau's administrators for every town, a reviewer for the towns assigned."""
    return town.is_town_level and (scope.is_admin or scope.reviews_town(town))


def may_manage_targets(scope: Scope) -> bool:
    """Importing target tables, correcting them, reading the import log."""
    return scope.is_admin


def unit_actions(scope: Scope, unit: Unit) -> UnitActions:
    return UnitActions(
        edit=may_edit_unit(scope, unit), enter_actuals=may_enter_actuals(scope, unit)
    )


def get_unit_for_user(user, pk, *, write: bool = False) -> tuple[Unit, UnitActions]:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    scope = scope_for(user)
    if not scope.covers_unit(unit):
        raise Http404("没有找到该单位。")
    can = unit_actions(scope, unit)
    if write and not can.edit:
        raise PermissionDenied("只有人社局管理员可以修改单位信息。")
    return unit, can


def require_admin(user) -> None:
    if not may_manage_targets(scope_for(user)):
        raise PermissionDenied("此操作只限人社局管理员。")


def get_town_for_actuals(user, pk) -> Unit:
    """A town-level unit whose units' actuals the user may enter. Outsiders 404, read-only
    users 403."""
    town, can = get_unit_for_user(user, pk)
    if not town.is_town_level:
        raise Http404("没有找到该镇（街道）。")
    if not can.enter_actuals:
        raise PermissionDenied("只有本镇（街道）的考核人员或人社局管理员可以录入完成数。")
    return town
