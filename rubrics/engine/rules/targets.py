"""Rules tied to a target (目标任务): all-or-nothing, proportional, per shortfall step.

Input is ``target`` and ``actual`` (``sub_target``/``sub_actual`` for the part in
parentheses, 「15000 (7500)」, when ``source: sub``), or a completion ``rate`` in percent.

Interpretations:
- all_or_nothing is complete when actual ≥ target × threshold / 100 (threshold defaults
  to 100, so actual ≥ target); with a ``rate`` input, when rate ≥ threshold;
- a target of 0 scores the maximum (``zero_target: full``, the default) or 0 (``zero``);
  for shortfall_step there is no shortfall, so it scores the maximum;
- proportional scores max × min(actual / target, 1) from the exact ratio; the completion
  rate printed in the explanation is rounded to 2 places for display only;
- shortfall_step counts whole steps by default (15 short, step 10 → 1 step: 「不足一档不扣」);
- an optional ``unit`` parameter (人、个、万元) is used only in the explanation:
  「目标 255 人，完成 200 人，完成率 78.43%，按比例得 3.14 分」;
- a ``rate`` input is accepted with or without a trailing %; all_or_nothing and
  proportional take it instead of target/actual; shortfall_step needs target/actual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..rounding import fmt, round_points
from .base import HUNDRED, ONE, ZERO, ItemOutcome, ParamReader, clamp, number, unit_suffix
from .kind import InputField, Param, RuleKind, Sample, fill_plain, num, text_of

ZERO_TARGET = ("full", "zero")
PARTIAL_STEP = ("floor", "ceil", "exact")


_FIELDS = {
    "main": ("target", "actual", "目标值", "完成数"),
    "sub": ("sub_target", "sub_actual", "其中目标值", "其中完成数"),
}


def read_target_actual(raw: dict, source: str = "main"):
    """(target, actual, None) or (None, None, rate)."""
    if raw.get("rate") is not None:
        return None, None, number(raw, "rate", "完成率", percent=True)
    target_field, actual_field, target_what, actual_what = _FIELDS[source]
    return number(raw, target_field, target_what), number(raw, actual_field, actual_what), None


def _head(target: Decimal, actual: Decimal, suffix: str) -> str:
    return f"目标 {fmt(target)}{suffix}，完成 {fmt(actual)}{suffix}"


def _rate_text(ratio: Decimal) -> str:
    return f"完成率 {fmt(round_points(ratio * HUNDRED, 2))}%"


def _zero_target(item, zero_target: str, places: int) -> ItemOutcome:
    if zero_target == "zero":
        return ItemOutcome(round_points(ZERO, places), "目标为 0，不得分")
    points = round_points(item.max_points, places)
    return ItemOutcome(points, f"目标为 0，得满分 {fmt(points)} 分")


# ------------------------------------------------------------------- all_or_nothing


@dataclass(frozen=True)
class AllOrNothingSpec:
    zero_target: str
    threshold: Decimal
    unit: str
    suffix: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "suffix", unit_suffix(self.unit))

    def to_params(self) -> dict:
        return {"zero_target": self.zero_target, "threshold": self.threshold, "unit": self.unit}


def parse_all_or_nothing(p: ParamReader, max_points: Decimal) -> AllOrNothingSpec:
    return AllOrNothingSpec(
        zero_target=p.choice("zero_target", ZERO_TARGET, "full"),
        threshold=p.decimal("threshold", HUNDRED, positive=True) or HUNDRED,
        unit=p.text("unit"),
    )


def read_all_or_nothing(item, raw: dict):
    return read_target_actual(raw)


def score_all_or_nothing(item, value, places: int) -> ItemOutcome:
    target, actual, rate = value
    spec = item.spec
    top = item.max_points
    if rate is not None:
        head = f"完成率 {fmt(rate)}%"
        done = rate >= spec.threshold
    else:
        if target == ZERO:
            return _zero_target(item, spec.zero_target, places)
        head = _head(target, actual, spec.suffix)
        if spec.threshold != HUNDRED:
            head += f"，{_rate_text(actual / target)}"
        done = actual * HUNDRED >= target * spec.threshold
    if done:
        points = round_points(top, places)
        return ItemOutcome(points, f"{head}，已完成，得 {fmt(points)} 分")
    short = f"未达到 {fmt(spec.threshold)}%" if spec.threshold != HUNDRED else "未完成"
    return ItemOutcome(round_points(ZERO, places), f"{head}，{short}，不得分")


# --------------------------------------------------------------------- proportional


@dataclass(frozen=True)
class ProportionalSpec:
    source: str
    zero_target: str
    unit: str
    suffix: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "suffix", unit_suffix(self.unit))

    def to_params(self) -> dict:
        return {"source": self.source, "zero_target": self.zero_target, "unit": self.unit}


def parse_proportional(p: ParamReader, max_points: Decimal) -> ProportionalSpec:
    return ProportionalSpec(
        source=p.choice("source", ("main", "sub"), "main"),
        zero_target=p.choice("zero_target", ZERO_TARGET, "full"),
        unit=p.text("unit"),
    )


def read_proportional(item, raw: dict):
    return read_target_actual(raw, item.spec.source)


def score_proportional(item, value, places: int) -> ItemOutcome:
    target, actual, rate = value
    top = item.max_points
    if rate is not None:
        head = f"完成率 {fmt(rate)}%"
        ratio = rate / HUNDRED
    else:
        if not target:
            return _zero_target(item, item.spec.zero_target, places)
        ratio = actual / target
        suffix = item.spec.suffix
        head = (
            f"目标 {fmt(target)}{suffix}，完成 {fmt(actual)}{suffix}，"
            f"完成率 {fmt(round_points(ratio * HUNDRED, 2))}%"
        )
    if ratio >= ONE:
        points = round_points(top, places)
        return ItemOutcome(points, f"{head}，已完成，得 {fmt(points)} 分")
    points = round_points(top * ratio, places)
    return ItemOutcome(points, f"{head}，按比例得 {fmt(points)} 分")


# ------------------------------------------------------------------- shortfall_step


@dataclass(frozen=True)
class ShortfallSpec:
    step: Decimal
    points: Decimal
    partial: str
    unit: str
    suffix: str = field(init=False, repr=False, compare=False)
    rule: str = field(init=False, repr=False, compare=False)  # 「每少 10 人扣 1 分」

    def __post_init__(self):
        suffix = unit_suffix(self.unit)
        gap = "" if suffix and suffix != "%" else " "
        rule = f"每少 {fmt(self.step)}{suffix}{gap}扣 {fmt(self.points)} 分"
        object.__setattr__(self, "suffix", suffix)
        object.__setattr__(self, "rule", rule)

    def to_params(self) -> dict:
        return {
            "step": self.step,
            "points": self.points,
            "partial": self.partial,
            "unit": self.unit,
        }


def parse_shortfall(p: ParamReader, max_points: Decimal) -> ShortfallSpec:
    return ShortfallSpec(
        step=p.decimal("step", positive=True) or ONE,
        points=p.decimal("points", positive=True) or ONE,
        partial=p.choice("partial", PARTIAL_STEP, "floor"),
        unit=p.text("unit"),
    )


def read_shortfall(item, raw: dict):
    target = number(raw, "target", "目标值")
    actual = number(raw, "actual", "完成数")
    return target, actual


_PARTIAL_TEXT = {
    "floor": "（不足一档不扣）",
    "ceil": "（不足一档按一档扣）",
    "exact": "（按比例折算）",
}
_ROUNDING = {"floor": ROUND_FLOOR, "ceil": ROUND_CEILING}


def score_shortfall(item, value, places: int) -> ItemOutcome:
    target, actual = value
    spec = item.spec
    top = item.max_points
    head = _head(target, actual, spec.suffix)
    if actual >= target:
        points = round_points(top, places)
        done = "目标为 0" if target == ZERO else "已完成"
        return ItemOutcome(points, f"{head}，{done}，得 {fmt(points)} 分")
    shortfall = target - actual
    steps = shortfall / spec.step
    note = ""
    if steps != steps.to_integral_value():
        note = _PARTIAL_TEXT[spec.partial]
        if spec.partial != "exact":
            steps = steps.to_integral_value(rounding=_ROUNDING[spec.partial])
    deducted = steps * spec.points
    rule = f"少 {fmt(shortfall)}{spec.suffix}，{spec.rule}{note}"
    if deducted >= top:
        points = round_points(ZERO, places)
        return ItemOutcome(
            points, f"{head}，{rule}，应扣 {fmt(deducted)} 分，扣完为止，得 {fmt(points)} 分"
        )
    points = clamp(top - deducted, top, places)
    return ItemOutcome(points, f"{head}，{rule}，扣 {fmt(deducted)} 分，得 {fmt(points)} 分")


# --------------------------------------------------------------- descriptions

TARGET_FIELDS = ("target", "actual", "sub_target", "sub_actual")
_INPUT_KEYS = (*TARGET_FIELDS, "rate")


def target_fields(base: str, *, sub: bool = False) -> list[InputField]:
    if sub:
        return [
            InputField(f"{base}-sub_target", "其中目标", "number"),
            InputField(f"{base}-sub_actual", "其中完成", "number"),
        ]
    return [
        InputField(f"{base}-target", "目标", "number"),
        InputField(f"{base}-actual", "完成", "number"),
    ]


def _rate_field(base: str) -> InputField:
    return InputField(f"{base}-rate", "或：完成率（%）", "number", help="无目标数时填写")


def _fields_all_or_nothing(params: dict, base: str) -> list[InputField]:
    return [*target_fields(base), _rate_field(base)]


def _fields_proportional(params: dict, base: str) -> list[InputField]:
    return [*target_fields(base, sub=params.get("source") == "sub"), _rate_field(base)]


def _fields_shortfall(params: dict, base: str) -> list[InputField]:
    return target_fields(base)


def read_targets_form(params: dict, base: str, data) -> dict:
    return {k: v for k in _INPUT_KEYS if (v := text_of(data, f"{base}-{k}"))}


def fill_targets_form(params: dict, base: str, value: dict, out: dict) -> None:
    fill_plain(base, value, out, _INPUT_KEYS)


def _sample(params: dict, top: Decimal, draw: Sample) -> dict:
    target = draw.rng.randrange(20, 400)
    actual = int(target * min(1.1, float(draw.q) + 0.05))
    return {
        "target": target,
        "actual": actual,
        "sub_target": target // 2,
        "sub_actual": actual // 2,
    }


_UNIT = Param("unit", "单位", "text", "说明里数字后的单位（人、个、万元）。", example="人")
_ZERO_TARGET = Param(
    "zero_target",
    "目标为 0 时",
    "choice",
    "full：得满分；zero：不得分。",
    default="full",
    choices=ZERO_TARGET,
)
_TARGET_FORM = {
    "read_form": read_targets_form,
    "fill_form": fill_targets_form,
    "columns": (("target", "目标"), ("actual", "完成")),
    "sample": _sample,
    "target_linked": True,
}


def _zero_target_text(params: dict) -> str:
    if params.get("zero_target") == "zero":
        return "目标为 0 的不得分"
    return "目标为 0 的得满分"


def describe_all_or_nothing(params: dict, max_points: Decimal | None) -> str:
    """「完成目标任务得满分 4 分，未完成不得分；目标为 0 的得满分」."""
    threshold = num(params.get("threshold"), HUNDRED)
    done = "完成目标任务" if threshold == "100" else f"完成数达到目标的 {threshold}%"
    full = f"得满分 {fmt(max_points)} 分" if max_points else "得满分"
    return f"{done}{full}，未完成不得分；{_zero_target_text(params)}"


def describe_proportional(params: dict, max_points: Decimal | None) -> str:
    """「按完成数占目标的比例得分，超额完成不超过 4 分；目标为 0 的得满分」."""
    which = (
        "括号里的「其中」完成数占「其中」目标" if params.get("source") == "sub" else "完成数占目标"
    )
    top = f"，超额完成不超过 {fmt(max_points)} 分" if max_points else ""
    return f"按{which}的比例得分{top}；{_zero_target_text(params)}"


_PARTIAL = {"floor": "不足一档不扣", "ceil": "不足一档按一档扣", "exact": "不足一档按比例折算"}


def describe_shortfall(params: dict, max_points: Decimal | None) -> str:
    """「比目标每少 10 人扣 1 分，不足一档不扣，扣完为止，最多扣 3 分」."""
    unit = unit_suffix(params.get("unit") or "")
    step = num(params.get("step"), "?") + unit
    partial = _PARTIAL.get(params.get("partial") or "floor", _PARTIAL["floor"])
    top = f"，最多扣 {fmt(max_points)} 分" if max_points else ""
    gap = "" if unit.strip() not in ("", "%") else " "  # 「10 人扣」, 「10 扣」
    return f"比目标每少 {step}{gap}扣 {num(params.get('points'), '?')} 分，{partial}，扣完为止{top}"


ALL_OR_NOTHING = RuleKind(
    "all_or_nothing",
    "完成得满分，未完成不得分",
    (
        _ZERO_TARGET,
        Param(
            "threshold",
            "完成线（%）",
            "number",
            "完成数达到目标的这个百分比即算完成。",
            default=HUNDRED,
            example="100",
        ),
        _UNIT,
    ),
    parse_all_or_nothing,
    read_all_or_nothing,
    score_all_or_nothing,
    fields=_fields_all_or_nothing,
    **_TARGET_FORM,
    describer=describe_all_or_nothing,
)

PROPORTIONAL = RuleKind(
    "proportional",
    "按完成比例得分",
    (
        Param(
            "source",
            "按哪组数",
            "choice",
            "main：目标与完成；sub：括号里的「其中」目标与完成。",
            default="main",
            choices=("main", "sub"),
        ),
        _ZERO_TARGET,
        _UNIT,
    ),
    parse_proportional,
    read_proportional,
    score_proportional,
    fields=_fields_proportional,
    **_TARGET_FORM,
    describer=describe_proportional,
)

SHORTFALL = RuleKind(
    "shortfall_step",
    "每少若干扣分",
    (
        Param("step", "每档差额", "number", "每少这么多算一档。", required=True, example="10"),
        Param("points", "每档扣分", "number", "每档扣的分数。", required=True, example="1"),
        Param(
            "partial",
            "不足一档",
            "choice",
            "floor：不扣；ceil：按一档扣；exact：按比例折算。",
            default="floor",
            choices=PARTIAL_STEP,
        ),
        _UNIT,
    ),
    parse_shortfall,
    read_shortfall,
    score_shortfall,
    fields=_fields_shortfall,
    **_TARGET_FORM,
    describer=describe_shortfall,
)
