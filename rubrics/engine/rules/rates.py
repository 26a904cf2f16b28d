"""Rules on a rate in percent: points off per percentage point below a threshold
(「社区管理率每降低1个百分点扣1分」), and tiered brackets (「调撤率低于40%的不得分，
40%-50%得1分，50%-60%得2分，依次类推」).

Interpretations:
- rate_below with ``partial: floor`` (default) counts whole percentage points only:
  97.5% against 100% is 2 points below, not 2.5;
- brackets have inclusive lower bounds (40 → 1 point, 39.9 → 0, 50 → 2), must be listed
  from low to high, and the top bracket is open-ended (95 → 6 with 40/50/…/90); a
  bracket worth more than the item is clamped to the item's max;
- brackets take an optional ``unit`` (default %) for the explanation;
- a rate is at most 100 % (rate_below: or its threshold, if higher; brackets in %: or the
  top bracket's lower bound, if higher); brackets in another unit have no upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from ..rounding import fmt, round_points
from .base import HUNDRED, ZERO, ItemOutcome, ParamReader, at_most, clamp, number, qty
from .kind import Param, RuleKind, Sample, num, one_field, rows_of

# ----------------------------------------------------------------------- rate_below


@dataclass(frozen=True)
class RateBelowSpec:
    threshold: Decimal
    points_per_point: Decimal
    partial: str
    threshold_text: str = field(init=False, repr=False, compare=False)
    rule: str = field(init=False, repr=False, compare=False)  # 「每个百分点扣 1 分」

    def __post_init__(self):
        object.__setattr__(self, "threshold_text", f"{fmt(self.threshold)}%")
        object.__setattr__(self, "rule", f"每个百分点扣 {fmt(self.points_per_point)} 分")

    def to_params(self) -> dict:
        return {
            "threshold": self.threshold,
            "points_per_point": self.points_per_point,
            "partial": self.partial,
        }


def parse_rate_below(p: ParamReader, max_points: Decimal) -> RateBelowSpec:
    return RateBelowSpec(
        threshold=p.decimal("threshold", HUNDRED, positive=True) or HUNDRED,
        points_per_point=p.decimal("points_per_point", positive=True) or Decimal(1),
        partial=p.choice("partial", ("floor", "exact"), "floor"),
    )


def read_rate(item, raw: dict) -> Decimal:
    """A rate in percent, at most 100 % (or the threshold, if the rule sets it higher)."""
    rate = number(raw, "rate", "比率", percent=True)
    return at_most(rate, max(HUNDRED, item.spec.threshold), raw["rate"], "比率")


def score_rate_below(item, rate: Decimal, places: int) -> ItemOutcome:
    spec = item.spec
    top = item.max_points
    head = f"实际 {fmt(rate)}%"
    if rate >= spec.threshold:
        points = round_points(top, places)
        return ItemOutcome(points, f"{head}，达到 {spec.threshold_text}，得 {fmt(points)} 分")
    below = spec.threshold - rate
    counted = below
    text = f"{head}，低于 {spec.threshold_text} {fmt(below)} 个百分点"
    if spec.partial == "floor" and below != below.to_integral_value():
        counted = below.to_integral_value(rounding=ROUND_FLOOR)
        text += f"，按 {fmt(counted)} 个百分点计"
    deducted = counted * spec.points_per_point
    if deducted >= top:
        points = round_points(ZERO, places)
        return ItemOutcome(
            points, f"{text}，{spec.rule}，应扣 {fmt(deducted)} 分，扣完为止，得 {fmt(points)} 分"
        )
    points = round_points(top - deducted, places)
    return ItemOutcome(points, f"{text}，{spec.rule}，扣 {fmt(deducted)} 分，得 {fmt(points)} 分")


# ------------------------------------------------------------------------- brackets


@dataclass(frozen=True)
class Bracket:
    min: Decimal
    points: Decimal


@dataclass(frozen=True)
class BracketsSpec:
    brackets: tuple[Bracket, ...]
    unit: str

    def to_params(self) -> dict:
        return {
            "brackets": [{"min": b.min, "points": b.points} for b in self.brackets],
            "unit": self.unit,
        }


def parse_brackets(p: ParamReader, max_points: Decimal) -> BracketsSpec:
    brackets = []
    for r in p.records("brackets", ("min", "points")):
        low = r.decimal("min")
        points = r.decimal("points")
        if low is not None and points is not None:
            brackets.append(Bracket(low, points))
    for before, after in zip(brackets, brackets[1:], strict=False):
        if after.min <= before.min:
            p.error(
                f"参数「brackets」应按下限从低到高排列：{fmt(after.min)} 排在 {fmt(before.min)} 之后"
            )
            break
    return BracketsSpec(tuple(brackets), p.text("unit", "%"))


def read_value(item, raw: dict) -> Decimal:
    """The value to place in a bracket; in percent (the default unit) at most 100 % (or
    the top bracket's lower bound, if the rule sets it higher)."""
    value = number(raw, "value", "数值", percent=True)
    spec = item.spec
    if spec.unit != "%":
        return value
    top = max([HUNDRED, *(b.min for b in spec.brackets)])
    return at_most(value, top, raw["value"], "数值")


def score_brackets(item, value: Decimal, places: int) -> ItemOutcome:
    spec = item.spec
    unit = spec.unit
    head = f"实际 {qty(value, unit)}"
    brackets = spec.brackets
    if not brackets or value < brackets[0].min:
        low = qty(brackets[0].min, unit) if brackets else ""
        return ItemOutcome(round_points(ZERO, places), f"{head}，低于 {low}，不得分")
    index = 0
    for i, bracket in enumerate(brackets):
        if value >= bracket.min:
            index = i
        else:
            break
    bracket = brackets[index]
    top = item.max_points
    points = clamp(bracket.points, top, places)
    if index + 1 < len(brackets):
        band = f"{qty(bracket.min, unit)}（含）至 {qty(brackets[index + 1].min, unit)} 档"
    else:
        band = f"{qty(bracket.min, unit)}（含）以上档"
    capped = (
        f"，超过{'上限' if item.bonus else '满分'}按 {fmt(points)} 分计"
        if bracket.points > top
        else ""
    )
    return ItemOutcome(points, f"{head}，在 {band}，得 {fmt(bracket.points)} 分{capped}")


# --------------------------------------------------------------- descriptions


def _sample_rate(params: dict, top: Decimal, draw: Sample) -> dict:
    return {"rate": str(100 - draw.rng.randrange(0, 4))}


def _sample_value(params: dict, top: Decimal, draw: Sample) -> dict:
    return {"value": str(draw.rng.randrange(60, 100))}


def _brackets_warnings(item) -> list[str]:
    top = item.max_points
    return [
        f"{fmt(b.min)} 档得 {fmt(b.points)} 分，超过满分 {fmt(top)} 分"
        for b in item.spec.brackets
        if b.points > top
    ]


def _brackets_reach(item) -> Decimal | None:
    return max((b.points for b in item.spec.brackets), default=ZERO)


def describe_rate_below(params: dict, max_points: Decimal | None) -> str:
    """「比率达到 100% 得满分，每低 1 个百分点扣 1 分（不足一个百分点不扣），扣完为止」."""
    partial = "按实际差值折算" if params.get("partial") == "exact" else "不足一个百分点不扣"
    return (
        f"比率达到 {num(params.get('threshold'), HUNDRED)}% 得满分，每低 1 个百分点扣 "
        f"{num(params.get('points_per_point'), '?')} 分（{partial}），扣完为止"
    )


def describe_brackets(params: dict, max_points: Decimal | None) -> str:
    """「低于 40% 不得分；40% 及以上得 1 分；50% 及以上得 2 分」."""
    unit = params.get("unit") or "%"
    suffix = unit if unit == "%" else f" {unit}"
    rows = rows_of(params, "brackets")
    if not rows:
        return "尚未列出分档"
    parts = [f"低于 {num(rows[0].get('min'), '?')}{suffix} 不得分"]
    parts += [
        f"{num(b.get('min'), '?')}{suffix} 及以上得 {num(b.get('points'), '?')} 分" for b in rows
    ]
    return "；".join(parts)


RATE_BELOW = RuleKind(
    "rate_below",
    "比率每降低1个百分点扣分",
    (
        Param(
            "threshold", "达标比率（%）", "number", "达到它得满分。", default=HUNDRED, example="100"
        ),
        Param(
            "points_per_point",
            "每个百分点扣分",
            "number",
            "比率每低于达标线一个百分点扣的分数。",
            required=True,
            example="1",
        ),
        Param(
            "partial",
            "不足一个百分点",
            "choice",
            "floor：只数整百分点；exact：按实际差值。",
            default="floor",
            choices=("floor", "exact"),
        ),
    ),
    parse_rate_below,
    read_rate,
    score_rate_below,
    **one_field("rate", "比率（%）"),
    columns=(("rate", "比率%"),),
    sample=_sample_rate,
    memo_field="rate",
    describer=describe_rate_below,
)

BRACKETS = RuleKind(
    "brackets",
    "按比率分档得分",
    (
        Param(
            "brackets",
            "分档",
            "rows",
            "各档的下限（含）与得分，从低到高；最高一档不设上限。",
            required=True,
            example=[{"min": "40", "points": "1"}, {"min": "50", "points": "2"}],
            columns=(
                Param(
                    "min", "下限（含）", "number", "达到它即进入此档。", required=True, example="40"
                ),
                Param("points", "得分", "number", "此档的得分。", required=True, example="1"),
            ),
        ),
        Param("unit", "单位", "text", "说明里数字后的单位。", default="%", example="%"),
    ),
    parse_brackets,
    read_value,
    score_brackets,
    **one_field("value", "比率（%）"),
    columns=(("value", "比率%"),),
    sample=_sample_value,
    warnings=_brackets_warnings,
    reach=_brackets_reach,
    memo_field="value",
    describer=describe_brackets,
)
