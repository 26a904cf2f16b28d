"""What the rubric panels compute when they are included with ``rubric`` alone (beside the
editor): its problems, and a 试算 on sample inputs."""

from django import template

from rubrics.checks import rubric_checks
from rubrics.trial import rubric_trial

register = template.Library()


@register.simple_tag
def rubric_problems(rubric):
    return rubric_checks(rubric)


@register.simple_tag
def sample_trial(rubric):
    return rubric_trial(rubric)
