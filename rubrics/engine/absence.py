"""What a sheet recorded as not submitted (未提交) gets: the rubric's lowest grade.

None of the documents says what happens to a unit that hands in nothing; the reading chosen
is the rubric's own floor: such a sheet is not scored, it gets the fallback grade (below the
lowest band, e.g. 常州 「60分以下为不合格」) with that grade's subsidy, and ranks after every
sheet that was scored. The explanation says so, in the user's words, before the
administrator confirms and on every result it applies to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Rubric
from .rounding import fmt


@dataclass(frozen=True, slots=True)
class AbsenceOutcome:
    grade: str
    subsidy_percent: Decimal
    explanation: str


def absence_outcome(rubric: Rubric) -> AbsenceOutcome:
    fallback = rubric.fallback_grade
    lowest = rubric.grades[-1] if rubric.grades else None
    band = f"（低于 {fmt(lowest.min)} 分为{fallback.label}）" if lowest is not None else ""
    text = (
        f"未提交考核表：不计分，按评分标准的最低等次「{fallback.label}」{band}计，"
        f"补助 {fmt(fallback.subsidy_percent)}%，排在参加评分的单位之后"
    )
    return AbsenceOutcome(fallback.label, fallback.subsidy_percent, text)
