"""What may be done with a rubric, and the one way the rubric pages fetch one.

Rubrics belong to the bureau's administrators; the rule of this app is that a version in
use is fixed (frozen): it is shown, copied to a new version, exported, never changed.
An outsider (anyone not an administrator) is refused with 403: every rubric page is an
administrator's page, and the rubrics themselves are printed on every sheet, so their
existence is no secret.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from org.scope import scope_for
from rubrics.models import Rubric


@dataclass(frozen=True)
class RubricActions:
    """What a user may do to one rubric."""

    edit: bool  # a draft: its settings, sections and items
    copy: bool  # 复制为新版本
    export: bool  # download as .xlsx / .docx
    delete: bool  # a draft no cycle uses


def may_change_rubric(rubric: Rubric) -> bool:
    """A frozen version (a cycle scores with it) is read-only; changes go to a new version."""
    return not rubric.frozen


def may_author_rubrics(user) -> bool:
    """The rubric pages are the bureau's administrators'."""
    return bool(user.is_authenticated and scope_for(user).is_admin)


def require_rubric_author(user, message: str = "评分标准只限人社局管理员编辑。") -> None:
    if not may_author_rubrics(user):
        raise PermissionDenied(message)


def rubric_actions(rubric: Rubric, *, in_use: bool | None = None) -> RubricActions:
    if in_use is None:
        in_use = rubric.cycles.exists()
    draft = may_change_rubric(rubric)
    return RubricActions(edit=draft, copy=True, export=True, delete=draft and not in_use)


def get_rubric_for_user(user, pk, *, write: bool = False) -> tuple[Rubric, RubricActions]:
    """The rubric and what the user may do to it. Not an administrator: 403; ``write`` on a
    frozen rubric: 403 (the page offers 「复制为新版本」 instead)."""
    require_rubric_author(user)
    rubric = get_object_or_404(Rubric, pk=pk)
    can = rubric_actions(rubric)
    if write and not can.edit:
        raise PermissionDenied("这一版评分标准已被考核周期使用并冻结，不能修改；请复制为新版本。")
    return rubric, can


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
