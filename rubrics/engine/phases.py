"""Combining the phases of one subject (新建: 30% process + 70% annual) into one result.

The combined total is ``weight_phases`` of the phase totals; base total, bonus and
penalties are weighted the same way so the printed lines still add up. A veto failed in
any phase holds for the year; award eligibility is lost if lost in any phase. The grade
is taken from the combined total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from .cycle import weight_phases
from .model import Rubric
from .results import SheetResult, VetoFinding


def combine_phases(
    rubric: Rubric, results: Mapping[str, SheetResult | None], weights: Mapping[str, Decimal]
) -> SheetResult:
    present = {name: r for name, r in results.items() if r is not None}
    if not present:
        raise ValueError("没有任何阶段的考核结果")
    if len(results) == 1:
        return next(iter(present.values()))
    places = rubric.rounding

    def weighted(attr: str) -> Decimal:
        outcome = weight_phases(
            {name: (getattr(r, attr) if r is not None else None) for name, r in results.items()},
            weights,
            places=places,
        )
        return outcome.total

    outcome = weight_phases(
        {name: (r.total if r is not None else None) for name, r in results.items()},
        weights,
        places=places,
    )
    # The annual sheet (the last phase) carries the items shown with the combined result.
    base = present.get("annual") or next(reversed(present.values()))
    veto = next((r.veto for r in present.values() if r.veto is not None), None)
    if veto is not None:
        grade = rubric.veto_grade
        percent = rubric.plan.percent_of[grade]
    else:
        grade, percent = rubric.plan.grade_for(outcome.total)
    reasons = [reason for r in present.values() for reason in r.award_reasons]
    return replace(
        base,
        base_total=weighted("base_total"),
        bonus=weighted("bonus"),
        penalties=weighted("penalties"),
        total=outcome.total,
        veto=veto,
        grade=grade,
        subsidy_percent=percent,
        award_eligible=not reasons,
        award_reasons=reasons,
        complete=all(r.complete for r in present.values()) and len(present) == len(results),
        flags=[*base.flags, *outcome.flags],
    )


def with_outside_veto(rubric: Rubric, result: SheetResult, reason: str) -> SheetResult:
    """A result failed by a rule outside the score sheet, e.g. 新沂 考勤制度第5条: absence of
    five days or more in a year makes the coordinator's appraisal 不合格 whatever the points."""
    grade = rubric.veto_grade
    return replace(
        result,
        veto=result.veto or VetoFinding("", "", reason),
        grade=grade,
        subsidy_percent=rubric.plan.percent_of[grade],
        award_eligible=False,
        award_reasons=[*result.award_reasons, reason],
    )
