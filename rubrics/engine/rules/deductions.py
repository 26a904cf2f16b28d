"""Start at the maximum and deduct, floor 0 (扣完为止); and its mirror, the checklist
that adds points for what is present.

- ``deduct_per_occurrence``: 「没有记录一次扣1分」;
- ``fixed_deductions``: named failures with fixed points, some counted each time, some
  zeroing the item (「无独立办事窗口此项不得分」);
- ``checklist``: 「保存完好得2分，有专人负责得1分」.

Interpretations:
- ``deduct_per_occurrence`` takes an optional ``unit`` (default 次) for its wording:
  「缺 3 次，每次扣 1 分，扣 3 分，得 5 分」; ``label`` is the words before the count;
- absent ``flags`` (or an absent flag) means the failure did not happen; an ``each``
  deduction takes a whole count (true counts as 1); a ``zero_if`` wins over everything;
- a checklist whose parts add up to more than the item is clamped to the item's max
  (``validate`` warns about it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import InputError
from ..rounding import fmt, round_points
from .base import (
    ZERO,
    ItemOutcome,
    ParamReader,
    boolean,
    cap_word,
    clamp,
    count,
    unique_keys,
)
from .kind import (
    InputField,
    Param,
    RuleKind,
    Sample,
    at_most_points,
    num,
    one_field,
    rows_of,
    text_of,
)

# ------------------------------------------------------------ deduct_per_occurrence


@dataclass(frozen=True)
class PerOccurrenceSpec:
    per: Decimal
    label: str
    unit: str
    rule: str = field(init=False, repr=False, compare=False)  # 「每次扣 1 分」

    def __post_init__(self):
        object.__setattr__(self, "rule", f"每{self.unit}扣 {fmt(self.per)} 分")

    def to_params(self) -> dict:
        return {"per": self.per, "label": self.label, "unit": self.unit}


def parse_per_occurrence(p: ParamReader, max_points: Decimal) -> PerOccurrenceSpec:
    return PerOccurrenceSpec(
        per=p.decimal("per", positive=True) or ZERO,
        label=p.text("label"),
        unit=p.text("unit", "次"),
    )


def read_count(item, raw: dict) -> int:
    return count(raw, "count", "次数")


def score_per_occurrence(item, n: int, places: int) -> ItemOutcome:
    """「缺 3 次，每次扣 1 分，扣 3 分，得 5 分」, floor 0 (扣完为止)."""
    spec = item.spec
    top = item.max_points
    head = f"{spec.label} {n} {spec.unit}" if spec.label else f"{n} {spec.unit}"
    if n == 0:
        points = round_points(top, places)
        return ItemOutcome(points, f"{head}，不扣分，得 {fmt(points)} 分")
    deducted = spec.per * n
    if deducted >= top:
        points = round_points(ZERO, places)
        text = f"{head}，{spec.rule}，应扣 {fmt(deducted)} 分，扣完为止，得 {fmt(points)} 分"
        return ItemOutcome(points, text)
    points = round_points(top - deducted, places)
    return ItemOutcome(points, f"{head}，{spec.rule}，扣 {fmt(deducted)} 分，得 {fmt(points)} 分")


# ------------------------------------------------------------------ fixed_deductions


@dataclass(frozen=True)
class Deduction:
    key: str
    label: str
    points: Decimal
    each: bool


@dataclass(frozen=True)
class ZeroIf:
    key: str
    label: str


@dataclass(frozen=True)
class FixedDeductionsSpec:
    deductions: tuple[Deduction, ...]
    zero_if: tuple[ZeroIf, ...]
    by_key: Mapping[str, Deduction | ZeroIf]

    def to_params(self) -> dict:
        return {
            "deductions": [
                {"key": d.key, "label": d.label, "points": d.points, "each": d.each}
                for d in self.deductions
            ],
            "zero_if": [{"key": z.key, "label": z.label} for z in self.zero_if],
        }


def parse_fixed(p: ParamReader, max_points: Decimal) -> FixedDeductionsSpec:
    deductions = []
    for r in p.records("deductions", ("key", "label", "points", "each"), required=False):
        key = r.key()
        points = r.decimal("points", positive=True)
        label = r.text("label", key or "")
        each = r.flag("each", False)
        if key is not None and points is not None:
            deductions.append(Deduction(key, label, points, each))
    zero_if = []
    for r in p.records("zero_if", ("key", "label"), required=False):
        key = r.key()
        if key is not None:
            zero_if.append(ZeroIf(key, r.text("label", key)))
    if not p.raw.get("deductions") and not p.raw.get("zero_if"):
        p.error("参数「deductions」和「zero_if」不能都为空")
    unique_keys(p, "deductions/zero_if", [d.key for d in deductions] + [z.key for z in zero_if])
    by_key = {entry.key: entry for entry in (*deductions, *zero_if)}
    return FixedDeductionsSpec(tuple(deductions), tuple(zero_if), by_key)


def _flags(raw: dict) -> Mapping:
    flags = raw.get("flags")
    if flags is None:
        return {}
    if type(flags) is not dict and not isinstance(flags, Mapping):
        raise InputError("flags 应为键值对")
    return flags


def read_fixed(item, raw: dict) -> dict[str, int | bool]:
    by_key = item.spec.by_key
    out: dict[str, int | bool] = {}
    for key, value in _flags(raw).items():
        entry = by_key.get(key)
        if entry is None:
            raise InputError(f"未知的扣分情形「{key}」")
        if isinstance(entry, Deduction) and entry.each:
            out[key] = (
                value
                if value is True or value is False
                else count({"n": value}, "n", f"「{entry.label}」的次数")
            )
        else:
            out[key] = boolean(value, f"「{entry.label}」")
    return out


def score_fixed(item, flags: dict[str, int | bool], places: int) -> ItemOutcome:
    spec = item.spec
    zeroed = [z.label for z in spec.zero_if if flags.get(z.key)]
    if zeroed:
        return ItemOutcome(round_points(ZERO, places), f"{'、'.join(zeroed)}，此项不得分")
    parts = []
    total = ZERO
    for d in spec.deductions:
        n = int(flags.get(d.key) or 0)
        if not n:
            continue
        if d.each:
            amount = d.points * n
            parts.append(f"{d.label} {n} 次，每次扣 {fmt(d.points)} 分，扣 {fmt(amount)} 分")
        else:
            amount = d.points
            parts.append(f"{d.label}扣 {fmt(amount)} 分")
        total += amount
    top = item.max_points
    points = clamp(top - total, top, places)
    if not parts:
        return ItemOutcome(points, f"无扣分情形，得 {fmt(points)} 分")
    tail = "，扣完为止" if total >= top else ""
    text = f"{'；'.join(parts)}；共扣 {fmt(total)} 分{tail}，得 {fmt(points)} 分"
    return ItemOutcome(points, text)


# ------------------------------------------------------------------------ checklist


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class ChecklistSpec:
    parts: tuple[Part, ...]
    keys: frozenset[str]

    def to_params(self) -> dict:
        return {"parts": [{"key": c.key, "label": c.label, "points": c.points} for c in self.parts]}


def parse_checklist(p: ParamReader, max_points: Decimal) -> ChecklistSpec:
    parts = []
    for r in p.records("parts", ("key", "label", "points")):
        key = r.key()
        points = r.decimal("points")
        if key is not None and points is not None:
            parts.append(Part(key, r.text("label", key), points))
    unique_keys(p, "parts", [c.key for c in parts])
    return ChecklistSpec(tuple(parts), frozenset(c.key for c in parts))


def read_checklist(item, raw: dict) -> frozenset[str]:
    keys = item.spec.keys
    present = set()
    for key, value in _flags(raw).items():
        if key not in keys:
            raise InputError(f"未知的检查项「{key}」")
        if boolean(value, f"「{key}」"):
            present.add(key)
    return frozenset(present)


def score_checklist(item, present: frozenset[str], places: int) -> ItemOutcome:
    have = [c for c in item.spec.parts if c.key in present]
    lack = [c.label for c in item.spec.parts if c.key not in present]
    top = item.max_points
    total = sum((c.points for c in have), ZERO)
    points = clamp(total, top, places)
    text = []
    if have:
        text.append("具备：" + "、".join(f"{c.label}（{fmt(c.points)} 分）" for c in have))
    if lack:
        text.append("缺少：" + "、".join(lack))
    if total > top:
        text.append(
            f"合计 {fmt(total)} 分，超过{cap_word(item)} {fmt(top)} 分，得 {fmt(points)} 分"
        )
    else:
        text.append(f"得 {fmt(points)} 分")
    return ItemOutcome(points, "；".join(text))


# ------------------------------------------------------------------ what they do


def describe_per_occurrence(params: dict, max_points: Decimal | None) -> str:
    """「缺少记录每次扣 1 分，扣完为止，最多扣 3 分」."""
    unit = params.get("unit") or "次"
    label = params.get("label") or ""
    return (
        f"{label}每{unit}扣 {num(params.get('per'), '?')} 分，扣完为止{at_most_points(max_points)}"
    )


def describe_fixed(params: dict, max_points: Decimal | None) -> str:
    """「无公示栏扣 1 分；网络中断每次扣 1 分；出现「无独立办事窗口」此项不得分；扣完为止」."""
    parts = []
    for d in rows_of(params, "deductions"):
        label = d.get("label") or d.get("key") or "?"
        each = "每次" if d.get("each") else ""
        parts.append(f"{label}{each}扣 {num(d.get('points'), '?')} 分")
    zero = [z.get("label") or z.get("key") or "?" for z in rows_of(params, "zero_if")]
    if zero:
        parts.append(f"出现「{'」或「'.join(zero)}」此项不得分")
    if not parts:
        return "尚未列出扣分情形"
    return "；".join(parts) + "；扣完为止" + at_most_points(max_points)


def describe_checklist(params: dict, max_points: Decimal | None) -> str:
    """「具备即得分：保存完好 2 分、有专人负责 1 分；合计不超过 3 分」."""
    parts = [
        f"{c.get('label') or c.get('key') or '?'} {num(c.get('points'), '?')} 分"
        for c in rows_of(params, "parts")
    ]
    if not parts:
        return "尚未列出检查项"
    tail = f"；合计不超过 {fmt(max_points)} 分" if max_points else ""
    return "具备即得分：" + "、".join(parts) + tail


# --------------------------------------------------------------- descriptions

_KEY = Param("key", "代码", "text", "输入里用来指明这一条的代码。", required=True, example="a")


def _flag_fields(params: dict, base: str) -> list[InputField]:
    fields = [
        InputField(
            f"{base}-flag-{d['key']}", d["label"], "integer" if d.get("each") else "checkbox"
        )
        for d in params.get("deductions", [])
    ]
    fields += [
        InputField(f"{base}-flag-{z['key']}", f"{z['label']}（不得分）", "checkbox")
        for z in params.get("zero_if", [])
    ]
    fields += [
        InputField(f"{base}-flag-{part['key']}", part["label"], "checkbox")
        for part in params.get("parts", [])
    ]
    return fields


def _read_flags(params: dict, base: str, data: Mapping) -> dict:
    flags, touched = {}, False
    entries = params.get("deductions", []) + params.get("zero_if", []) + params.get("parts", [])
    for entry in entries:
        raw = text_of(data, f"{base}-flag-{entry['key']}")
        if entry.get("each"):
            flags[entry["key"]] = raw or "0"
            touched |= bool(raw)
        else:
            flags[entry["key"]] = raw in ("on", "1", "true")
            touched |= flags[entry["key"]]
    # An untouched list of failures means nothing was found wrong only if the person said so.
    return {"flags": flags} if touched or data.get(f"{base}-entered") else {}


def _fill_flags(params: dict, base: str, value: dict, out: dict) -> None:
    for key, flag in (value.get("flags") or {}).items():
        if flag is True:
            out[f"{base}-flag-{key}"] = "on"
        elif flag not in (False, None, "0", 0, ""):
            out[f"{base}-flag-{key}"] = str(flag)


def _sample_count(params: dict, top: Decimal, draw: Sample) -> dict:
    return {"count": 1 if draw.rng.random() > draw.quality else 0}


def _sample_fixed(params: dict, top: Decimal, draw: Sample) -> dict:
    flags = {}
    for d in params.get("deductions", []):
        hit = draw.rng.random() > draw.quality + 0.05
        flags[d["key"]] = (1 if hit else 0) if d.get("each") else hit
    for z in params.get("zero_if", []):
        flags[z["key"]] = False
    return {"flags": flags}


def _sample_checklist(params: dict, top: Decimal, draw: Sample) -> dict:
    parts = params.get("parts", [])
    return {"flags": {part["key"]: draw.rng.random() < draw.quality + 0.1 for part in parts}}


def _checklist_warnings(item) -> list[str]:
    parts = sum((p.points for p in item.spec.parts), ZERO)
    if parts != item.max_points:
        return [f"满分 {fmt(item.max_points)} 分，各检查项合计 {fmt(parts)} 分"]
    return []


PER_OCCURRENCE = RuleKind(
    "deduct_per_occurrence",
    "按次扣分，扣完为止",
    (
        Param("per", "每次扣分", "number", "每发生一次扣的分数。", required=True, example="1"),
        Param("label", "次数前的说明", "text", "说明里写在次数前的文字，如「缺少记录」。"),
        Param("unit", "单位", "text", "说明里的量词。", default="次", example="次"),
    ),
    parse_per_occurrence,
    read_count,
    score_per_occurrence,
    **one_field("count", "发生次数", "integer"),
    columns=(("count", "次数"),),
    sample=_sample_count,
    memo_field="count",
    describer=describe_per_occurrence,
)

FIXED = RuleKind(
    "fixed_deductions",
    "列明情形扣分，扣完为止",
    (
        Param(
            "deductions",
            "扣分情形",
            "rows",
            "列明的扣分情形，各扣固定分数；与「不得分情形」至少填一项。",
            example=[{"key": "a", "label": "无公示栏", "points": "1"}],
            columns=(
                _KEY,
                Param("label", "名称", "text", "表上显示的情形。", example="无公示栏"),
                Param("points", "扣分", "number", "出现时扣的分数。", required=True, example="1"),
                Param("each", "按次扣", "bool", "勾选则每出现一次扣一次。", default=False),
            ),
        ),
        Param(
            "zero_if",
            "不得分情形",
            "rows",
            "出现即此项不得分的情形。",
            example=[{"key": "z", "label": "无独立办事窗口"}],
            columns=(_KEY, Param("label", "名称", "text", "表上显示的情形。")),
        ),
    ),
    parse_fixed,
    read_fixed,
    score_fixed,
    fields=_flag_fields,
    read_form=_read_flags,
    fill_form=_fill_flags,
    ticked=True,
    sample=_sample_fixed,
    describer=describe_fixed,
)

CHECKLIST = RuleKind(
    "checklist",
    "按具备事项得分",
    (
        Param(
            "parts",
            "检查项",
            "rows",
            "具备即得分的事项；合计应等于满分。",
            required=True,
            example=[{"key": "a", "label": "保存完好", "points": "2"}],
            columns=(
                _KEY,
                Param("label", "名称", "text", "表上显示的事项。", example="保存完好"),
                Param("points", "分值", "number", "具备时得的分数。", required=True, example="2"),
            ),
        ),
    ),
    parse_checklist,
    read_checklist,
    score_checklist,
    fields=_flag_fields,
    read_form=_read_flags,
    fill_form=_fill_flags,
    ticked=True,
    sample=_sample_checklist,
    warnings=_checklist_warnings,
    describer=describe_checklist,
)
