"""酌情给分 / 酌情扣分: the reviewer enters a score 0..max in steps (default 0.5).

Interpretation: the maximum itself is always accepted, even when it is not a multiple of
the step (an item of 0.3 points with the default step can still get its 0.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError
from ..rounding import fmt, round_points
from .base import ItemOutcome, ParamReader, cap_word, number
from .kind import Param, RuleKind, Sample, num, on_step, one_field

DEFAULT_STEP = Decimal("0.5")


@dataclass(frozen=True)
class DiscretionarySpec:
    step: Decimal

    def to_params(self) -> dict:
        return {"step": self.step}


def parse(p: ParamReader, max_points: Decimal) -> DiscretionarySpec:
    return DiscretionarySpec(step=p.decimal("step", DEFAULT_STEP, positive=True) or DEFAULT_STEP)


def check_score(item, value: Decimal, raw: object, step: Decimal, what: str = "得分") -> None:
    """Within 0..max and a multiple of the step; the max itself is always allowed."""
    top = item.max_points
    if value > top:
        raise InputError(f"{what}「{raw}」超过{cap_word(item)} {fmt(top)} 分")
    if value != top and value % step:
        raise InputError(f"{what}「{raw}」不是 {fmt(step)} 的整数倍")


def read(item, raw: dict) -> Decimal:
    value = number(raw, "score", "得分")
    top = item.max_points
    if value > top or (value != top and value % item.spec.step):
        check_score(item, value, raw.get("score"), item.spec.step)
    return value


def score(item, value: Decimal, places: int) -> ItemOutcome:
    points = round_points(value, places)
    verb = "加" if item.bonus else "得"
    return ItemOutcome(points, f"酌情{verb} {fmt(points)} 分")


def sample(params: dict, top: Decimal, draw: Sample) -> dict:
    return {"score": on_step(top * draw.q, Decimal(str(params.get("step", "0.5"))), top)}


def describe(params: dict, max_points: Decimal | None) -> str:
    """「考核人酌情给分，0 至 5 分，按 0.5 分一档」."""
    top = f"，0 至 {fmt(max_points)} 分" if max_points else ""
    return f"考核人酌情给分{top}，按 {num(params.get('step'), DEFAULT_STEP)} 分一档"


KIND = RuleKind(
    "discretionary",
    "酌情给分",
    (
        Param(
            "step",
            "步长",
            "number",
            "得分须为它的整数倍（满分本身总是允许的）。",
            default=DEFAULT_STEP,
            example="0.5",
        ),
    ),
    parse,
    read,
    score,
    **one_field("score", "得分", step_param="step"),
    columns=(("score", "得分"),),
    sample=sample,
    memo_field="score",
    describer=describe,
)
