"""What may be done with a rubric. The bureau's administrators author, check, import, copy,
compare and export rubrics on the /rubrics/ pages (and in the Django admin); everyone else is
refused (403) before a rubric is looked up, since rubrics are not secret. The rule of this app
is that a version in use is fixed.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from org.scope import scope_for
from rubrics.models import Rubric


def may_change_rubric(rubric: Rubric) -> bool:
    """A frozen version (a cycle scores with it) is read-only; changes go to a new version."""
    return not rubric.frozen


def may_author_rubrics(user) -> bool:
    """The rubric pages are the bureau's administrators'."""
    return bool(user.is_authenticated and scope_for(user).is_admin)


def require_rubric_author(user, message: str = "评分标准只限人社局管理员编辑。") -> None:
    if not may_author_rubrics(user):
        raise PermissionDenied(message)


# Versions and export (copy, compare, export).
may_manage_rubric_versions = may_author_rubrics


def get_rubric_version_for_user(user, pk) -> Rubric:
    """A rubric to copy, compare or export: 403 for a non-administrator, 404 if unknown."""
    require_rubric_author(user, "评分标准的版本和导出只限人社局管理员。")
    return get_object_or_404(Rubric, pk=pk)


def get_rubric_to_check(user, pk) -> tuple[Rubric, bool]:
    """A rubric for its checks and 试算, and whether it may still change: 403 for a
    non-administrator, 404 if unknown."""
    require_rubric_author(user, "评分标准只限人社局管理员编辑和试算。")
    rubric = get_object_or_404(Rubric, pk=pk)
    return rubric, may_change_rubric(rubric)


# Importing a rubric from the office's document.
may_import_rubric = may_author_rubrics


def require_rubric_importer(user) -> None:
    require_rubric_author(user, "只有人社局管理员可以导入评分标准。")
