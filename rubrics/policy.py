"""What may be done with a rubric. Rubrics are edited in the Django admin, by the bureau's
administrators (Django permissions); the rule of this app is that a version in use is fixed.
"""

from rubrics.models import Rubric


def may_change_rubric(rubric: Rubric) -> bool:
    """A frozen version (a cycle scores with it) is read-only; changes go to a new version."""
    return not rubric.frozen


def may_import_rubric(user) -> bool:
    """Importing a rubric from the office's document: the bureau's administrators."""
    from org.scope import scope_for

    return bool(user.is_authenticated and scope_for(user).is_admin)


def require_rubric_importer(user) -> None:
    from django.core.exceptions import PermissionDenied

    if not may_import_rubric(user):
        raise PermissionDenied("只有人社局管理员可以导入评分标准。")
