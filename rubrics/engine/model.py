"""A rubric (评分表) as frozen dataclasses: what is scored, and how.

Built by ``loader.rubric_from_dict``, which compiles everything once: ``Item.params`` is
the normalised parameter dict (Decimals as ``Decimal``, defaults filled in); ``Item.spec``
is the same parameters parsed into the rule's own object and ``Item.rule`` the kind's
description (``rules.kind.RuleKind``), which the scorers use. ``Rubric.items`` and
``Rubric.plan`` (the per-rubric lookups that evaluation needs) are built with the rubric.
Nothing here changes after construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .plan import EvaluationPlan

NA_POLICIES = ("none", "average", "full", "zero")
SUBJECTS = ("unit", "coordinator")
QUOTA_SCOPES = ("cycle", "town")


@dataclass(frozen=True)
class GradeBand:
    label: str
    min: Decimal | None  # None only for the fallback grade
    subsidy_percent: Decimal


@dataclass(frozen=True)
class Quota:
    grade: str
    percent: Decimal
    scope: str = "cycle"  # cycle | town
    enforced: bool = True
    # How sheets tied on total at the quota boundary are ordered, in turn (higher first):
    # "section:<key>" (that section's subtotal) or "base_total". A tie these leave is the
    # administrator's explicit decision; it is never broken by name.
    tie_break: tuple[str, ...] = ()


@dataclass(frozen=True)
class Columns:
    project: str | None = "考核项目"
    number: str | None = "序号"
    requirement: str | None = "考核内容"
    points: str | None = "分值"
    rule: str | None = "评分标准"
    self: str | None = "自评得分"
    review: str | None = "考核得分"


@dataclass(frozen=True)
class Item:
    key: str
    number: str
    title: str
    requirement: str
    rule_text: str
    max_points: Decimal
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    bonus: bool = False
    penalty: bool = False
    na_policy: str = "none"
    indicator: str | None = None
    section_key: str = ""
    spec: Any = field(default=None, compare=False, repr=False)
    rule: Any = field(default=None, compare=False, repr=False)  # rules.kind.RuleKind

    @property
    def label(self) -> str:
        """How messages name the item: 第 6 项「企业信息」."""
        if self.number:
            return f"第 {self.number} 项「{self.title}」"
        return f"「{self.title}」"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    declared_points: Decimal | None
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Rubric:
    code: str
    version: int
    title: str
    sections: tuple[Section, ...]
    grades: tuple[GradeBand, ...]
    fallback_grade: GradeBand
    veto_grade: str
    issuer: str = ""
    year: int | None = None
    subject: str = "unit"
    declared_total: Decimal | None = None
    columns: Columns = field(default_factory=Columns)
    rounding: int = 2
    quota: Quota | None = None
    bonus_cap: Decimal | None = None
    notes: str = ""
    items: tuple[Item, ...] = field(init=False, compare=False, repr=False)
    plan: EvaluationPlan = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        items = tuple(item for section in self.sections for item in section.items)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "plan", EvaluationPlan(self))

    def item(self, key: str) -> Item:
        return self.plan.entries_by_key[key].item

    def grade_labels(self) -> list[str]:
        return [band.label for band in self.grades] + [self.fallback_grade.label]
