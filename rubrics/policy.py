"""What may be done with a rubric. Rubrics are edited in the Django admin, by the bureau's
administrators (Django permissions); the rule of this app is that a version in use is fixed.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from org.scope import scope_for
from rubrics.models import Rubric


def may_change_rubric(rubric: Rubric) -> bool:
    """A frozen version (a cycle scores with it) is read-only; changes go to a new version."""
    return not rubric.frozen


# Versions and export (copy, compare, export): the bureau's administrators only.


def may_manage_rubric_versions(user) -> bool:
    return scope_for(user).is_admin


def get_rubric_version_for_user(user, pk) -> Rubric:
    """A rubric to copy, compare or export. Rubrics are not secret: a non-administrator is
    refused (403) before the rubric is looked up; an unknown one is 404."""
    if not may_manage_rubric_versions(user):
        raise PermissionDenied("评分标准的版本和导出只限人社局管理员。")
    return get_object_or_404(Rubric, pk=pk)


def get_rubric_to_check(user, pk) -> tuple[Rubric, bool]:
    """A rubric for its checks and 试算: the bureau's administrators only (403 for everyone
    else, 404 when there is no such rubric). Returns it and whether it may still change."""
    rubric = get_object_or_404(Rubric, pk=pk)
    if not scope_for(user).is_admin:
        raise PermissionDenied("评分标准只限人社局管理员编辑和试算。")
    return rubric, may_change_rubric(rubric)
