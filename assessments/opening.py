"""开放自评 (``open_self``) with its rubric checked first.

Opening a cycle freezes its rubric and lets the coordinators fill their self-assessment.
Before it the administrator sees what that means for this cycle: how many units (or
coordinators) it reaches; a rubric without a self-assessment column, whose sheets go
straight to the towns' review, is opened only on an explicit confirmation that names the
consequence; a rubric with errors that make scoring or grading impossible (the rubric's
checks, ``rubrics.checks``) is not opened at all, and the page links to its editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from assessments.models import Cycle
from assessments.services import WorkflowError, cycle_step
from rubrics import engine
from rubrics.checks import blocking, rubric_checks
from rubrics.engine.validation import NO_SELF_COLUMN
from rubrics.selectors import engine_rubric_for

ACTION = "open_self"


@dataclass
class Opening:
    cycle: Cycle
    subjects: int  # units (or coordinators) with a sheet in the cycle
    coordinators: bool  # the rubric assesses coordinators, not units
    no_self: bool  # the rubric has no self-assessment column
    problems: list[dict] = field(default_factory=list)

    @property
    def errors(self) -> list[dict]:
        return blocking(self.problems)

    @property
    def warnings(self) -> list[dict]:
        """The other warnings (the missing self column is said as the consequence)."""
        return [
            p for p in self.problems if p["level"] != "error" and p["message"] != NO_SELF_COLUMN
        ]

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def needs_confirmation(self) -> bool:
        return self.no_self

    @property
    def who(self) -> str:
        """Who the opening reaches: 「44 个单位的协理员」 or 「12 名协理员」."""
        if self.coordinators:
            return f"{self.subjects} 名协理员"
        return f"{self.subjects} 个单位的协理员"

    @property
    def consequence(self) -> str:
        """What opening does to them, said before confirming."""
        if self.no_self:
            return (
                f"该评分标准没有自评栏：本周期 {self.who}将不能填报自评，"
                "考核表直接由镇（街道）审核。"
            )
        return f"本周期 {self.who}可以开始填报自评，提交后由镇（街道）审核。"


def opening_check(cycle: Cycle) -> Opening:
    """What opening ``cycle`` would mean, and whether its rubric allows it."""
    rubric = cycle.rubric
    problems = rubric_checks(rubric)
    no_self = False
    if not blocking(problems):
        try:
            no_self = engine_rubric_for(rubric).columns.self is None
        except engine.RubricFormatError:  # already among the problems
            pass
    field_name = "coordinator" if rubric.subject == "coordinator" else "unit"
    subjects = cycle.assessments.values(field_name).distinct().count()
    return Opening(cycle, subjects, field_name == "coordinator", no_self, problems)


@transaction.atomic
def cycle_open(*, cycle: Cycle, user, confirmed: bool = False) -> tuple[Cycle, Opening]:
    """Take ``open_self`` once the rubric's checks allow it; a rubric without a self column
    only with ``confirmed``."""
    opening = opening_check(cycle)
    if opening.refused:
        first = opening.errors[0]["message"]
        raise WorkflowError(
            f"评分标准「{cycle.rubric.title}」有 {len(opening.errors)} 个错误（{first}），"
            "无法评分，请先在评分标准中改正。"
        )
    if opening.needs_confirmation and not confirmed:
        raise WorkflowError(f"{opening.consequence}请勾选确认后再开放自评。")
    return cycle_step(cycle=cycle, action=ACTION, user=user), opening
