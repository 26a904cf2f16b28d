"""What an evaluation returns. ``to_dict()`` gives JSON-ready data (Decimals as strings).

Item statuses:
- ``scored``: scored from its input (also a bonus/penalty item left empty, which counts
  as 「无」 and scores 0 — see ``sheet``);
- ``missing``: no entry; scores nothing and makes the sheet incomplete;
- ``na_full`` / ``na_zero``: not applicable, scored max / 0 by its ``na_policy``;
- ``na_average``: not applicable, scored the cycle mean of the units that have the task;
- ``na_pending``: not applicable with ``na_policy: average`` but no mean given yet
  (a single ``evaluate`` without ``na_averages``); counts 0 and makes the sheet incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Item

STATUSES = ("scored", "missing", "na_full", "na_zero", "na_average", "na_pending")


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(slots=True)
class ItemResult:
    """One item's result. The item's own fields (key, number, title, section_key,
    max_points, bonus, penalty) are read from ``item``, the rubric's ``Item``."""

    item: Item = field(repr=False)
    score: Decimal | None
    status: str
    explanation: str
    veto_failed: bool = False
    award_lost: bool = False
    components: dict[str, Decimal] | None = None

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def number(self) -> str:
        return self.item.number

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def section_key(self) -> str:
        return self.item.section_key

    @property
    def max_points(self) -> Decimal:
        return self.item.max_points

    @property
    def bonus(self) -> bool:
        return self.item.bonus

    @property
    def penalty(self) -> bool:
        return self.item.penalty

    def to_dict(self) -> dict[str, Any]:
        item = self.item
        return {
            "key": item.key,
            "number": item.number,
            "title": item.title,
            "section_key": item.section_key,
            "max_points": str(item.max_points),
            "score": _s(self.score),
            "status": self.status,
            "explanation": self.explanation,
            "bonus": item.bonus,
            "penalty": item.penalty,
            "veto_failed": self.veto_failed,
            "award_lost": self.award_lost,
            "components": None
            if self.components is None
            else {k: str(v) for k, v in self.components.items()},
        }


@dataclass(slots=True)
class SectionResult:
    key: str
    title: str
    declared_points: Decimal | None
    items_max: Decimal  # Σ max of the section's base items (not bonus, not penalty)
    subtotal: Decimal  # Σ scores of those items
    bonus: Decimal  # Σ the section's bonus items, each within its own cap
    penalties: Decimal  # Σ the section's penalty items

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "declared_points": _s(self.declared_points),
            "items_max": str(self.items_max),
            "subtotal": str(self.subtotal),
            "bonus": str(self.bonus),
            "penalties": str(self.penalties),
        }


@dataclass(frozen=True, slots=True)
class VetoFinding:
    item_key: str
    number: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"item_key": self.item_key, "number": self.number, "title": self.title}


@dataclass(slots=True)
class SheetResult:
    subject: str
    town: str | None
    items: list[ItemResult]
    sections: list[SectionResult]
    base_total: Decimal
    bonus: Decimal
    penalties: Decimal
    total: Decimal
    veto: VetoFinding | None
    grade: str
    subsidy_percent: Decimal
    award_eligible: bool
    award_reasons: list[str]  # why the sheet is not eligible for awards
    complete: bool
    missing: list[str]  # keys of items with no entry
    pending: list[str] = field(default_factory=list)  # keys of N/A items awaiting the mean
    flags: list[str] = field(default_factory=list)  # notes for the administrator

    def item(self, key: str) -> ItemResult:
        for result in self.items:
            if result.key == key:
                return result
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "town": self.town,
            "items": [r.to_dict() for r in self.items],
            "sections": [s.to_dict() for s in self.sections],
            "base_total": str(self.base_total),
            "bonus": str(self.bonus),
            "penalties": str(self.penalties),
            "total": str(self.total),
            "veto": None if self.veto is None else self.veto.to_dict(),
            "grade": self.grade,
            "subsidy_percent": str(self.subsidy_percent),
            "award_eligible": self.award_eligible,
            "award_reasons": list(self.award_reasons),
            "complete": self.complete,
            "missing": list(self.missing),
            "pending": list(self.pending),
            "flags": list(self.flags),
        }
