"""Per-rubric lookups built with the rubric (``Rubric.plan``) so that scoring a sheet only
does dictionary look-ups and arithmetic: each item with its reader and scorer resolved, the
grade bands as tuples, the band below each grade, the subsidy percent of each grade.

A plan is plain, immutable data: a rubric cached for the whole process is shared by every
evaluation. What an evaluation remembers (``sheet.Memo``) belongs to that evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .rounding import round_points

if TYPE_CHECKING:
    from .model import Item, Rubric


@dataclass(frozen=True, slots=True)
class PlanEntry:
    index: int
    key: str
    item: Item
    read: Any
    score: Any
    section_index: int
    is_base: bool  # neither bonus nor penalty
    na_policy: str
    memo_field: str | None  # see RuleKind.memo_field


class EvaluationPlan:
    def __init__(self, rubric: Rubric):
        self.places = rubric.rounding
        self.zero = round_points(Decimal(0), self.places)
        entries = []
        for s_index, section in enumerate(rubric.sections):
            for item in section.items:
                kind = item.rule
                if kind is None or item.spec is None:
                    raise ValueError(f"item {item.key!r} was not compiled by the loader")
                entries.append(
                    PlanEntry(
                        index=len(entries),
                        key=item.key,
                        item=item,
                        read=kind.read,
                        score=kind.score,
                        section_index=s_index,
                        is_base=not (item.bonus or item.penalty),
                        na_policy=item.na_policy,
                        memo_field=kind.memo_field,
                    )
                )
        self.entries: tuple[PlanEntry, ...] = tuple(entries)
        self.entries_by_key: dict[str, PlanEntry] = {e.key: e for e in entries}
        self.average_entries = tuple(e for e in entries if e.na_policy == "average")
        self.sections = rubric.sections
        self.bonus_cap = rubric.bonus_cap
        self.veto_grade = rubric.veto_grade
        self.bands = tuple((band.min, band.label, band.subsidy_percent) for band in rubric.grades)
        self.fallback = rubric.fallback_grade
        self.percent_of: dict[str, Decimal] = {b.label: b.subsidy_percent for b in rubric.grades}
        self.percent_of[rubric.fallback_grade.label] = rubric.fallback_grade.subsidy_percent
        labels = [band.label for band in rubric.grades] + [rubric.fallback_grade.label]
        self.band_below: dict[str, str] = {
            label: labels[min(i + 1, len(labels) - 1)] for i, label in enumerate(labels)
        }
        self.section_items_max = tuple(
            sum((i.max_points for i in s.items if not (i.bonus or i.penalty)), Decimal(0))
            for s in rubric.sections
        )

    def grade_for(self, total: Decimal) -> tuple[str, Decimal]:
        """The first band whose min ≤ total, else the fallback; with its subsidy percent."""
        for low, label, percent in self.bands:
            if low <= total:
                return label, percent
        return self.fallback.label, self.fallback.subsidy_percent
