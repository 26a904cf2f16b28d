"""What may be done with a rubric. Rubrics are edited in the Django admin, by the bureau's
administrators (Django permissions); the rule of this app is that a version in use is fixed.
"""

from rubrics.models import Rubric


def may_change_rubric(rubric: Rubric) -> bool:
    """A frozen version (a cycle scores with it) is read-only; changes go to a new version."""
    return not rubric.frozen
