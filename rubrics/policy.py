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
    """Writing and reading rubrics on the rubric pages: the bureau's administrators."""
    return scope_for(user).is_admin


def require_rubric_author(user) -> None:
    if not may_author_rubrics(user):
        raise PermissionDenied("评分标准只限人社局管理员编辑。")


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
