"""Points by level (本市级/省级/国家级), added up or highest-per-project, both capped at
the item's ``max_points``; and penalties outside the 100 points.

- ``highest_level``: 「同一项目取最高级得分，4分封顶」: per project its highest level,
  then the sum, then the cap (省级 3 + 国家级 4 on two projects → 7 → 4);
- ``additive_bonus``: 「省级2分，市级1分，县级0.5分，最高加2分」: Σ points × count, capped;
- ``penalty``: 「每次扣2分，并取消评先评优资格」: the score is the deduction (count ×
  per, within ``cap`` when given); the sheet subtracts it after the base total.

Interpretations:
- ``highest_level`` claims must name their ``project``; the same project named twice
  counts once, at its highest level; ``additive_bonus`` claims count 1 unless ``count``;
- an empty or absent ``claims`` list scores 0;
- ``penalty`` takes optional ``label`` (default 发生) and ``unit`` (default 次) for its
  wording: 「发生 2 次，每次扣 2 分，扣 4 分，并取消评先评优资格」; eligibility is lost
  only when the count is above 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError
from ..rounding import fmt, round_points
from .base import ZERO, ItemOutcome, ParamReader, clamp, count, unique_keys
from .kind import InputField, Param, RuleKind, Sample, num, one_field, rows_of, text_of


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class LevelsSpec:
    levels: tuple[Level, ...]
    by_key: Mapping[str, Level]

    def to_params(self) -> dict:
        return {
            "levels": [{"key": v.key, "label": v.label, "points": v.points} for v in self.levels]
        }


def parse_levels(p: ParamReader, max_points: Decimal) -> LevelsSpec:
    levels = []
    for r in p.records("levels", ("key", "label", "points")):
        key = r.key()
        points = r.decimal("points")
        if key is not None and points is not None:
            levels.append(Level(key, r.text("label", key), points))
    unique_keys(p, "levels", [v.key for v in levels])
    return LevelsSpec(tuple(levels), {v.key: v for v in levels})


def _claims(raw: dict) -> list:
    claims = raw.get("claims")
    if claims is None:
        return []
    if not isinstance(claims, list):
        raise InputError("claims 应为列表")
    return claims


def _level(item, claim: object, index: int) -> Level:
    if type(claim) is not dict and not isinstance(claim, Mapping):
        raise InputError(f"第 {index} 条申报应为键值对")
    key = claim.get("level")
    level = item.spec.by_key.get(str(key)) if key is not None else None
    if level is None:
        known = "、".join(v.key for v in item.spec.levels)
        raise InputError(f"第 {index} 条申报的级别「{key}」未知，应为 {known} 之一")
    return level


def _capped(item, total: Decimal, places: int, parts: list[str]) -> ItemOutcome:
    top = item.max_points
    points = clamp(total, top, places)
    if not parts:
        return ItemOutcome(points, f"无申报，得 {fmt(points)} 分")
    text = "；".join(parts)
    if total > top:
        return ItemOutcome(
            points, f"{text}；合计 {fmt(total)} 分，{fmt(top)} 分封顶，得 {fmt(points)} 分"
        )
    return ItemOutcome(points, f"{text}；合计得 {fmt(points)} 分")


# -------------------------------------------------------------------- highest_level


def read_highest(item, raw: dict) -> list[tuple[str, Level]]:
    out = []
    for index, claim in enumerate(_claims(raw), start=1):
        level = _level(item, claim, index)
        project = claim.get("project")
        if project is None or str(project).strip() == "":
            raise InputError(f"第 {index} 条申报缺少项目名称")
        out.append((str(project).strip(), level))
    return out


def score_highest(item, claims: list[tuple[str, Level]], places: int) -> ItemOutcome:
    best: dict[str, Level] = {}
    for project, level in claims:
        if project not in best or level.points > best[project].points:
            best[project] = level
    parts = [
        f"「{project}」{level.label} {fmt(level.points)} 分" for project, level in best.items()
    ]
    total = sum((level.points for level in best.values()), ZERO)
    return _capped(item, total, places, parts)


# ------------------------------------------------------------------- additive_bonus


def read_additive(item, raw: dict) -> list[tuple[Level, int]]:
    out = []
    for index, claim in enumerate(_claims(raw), start=1):
        level = _level(item, claim, index)
        n = (
            count(claim, "count", f"第 {index} 条申报的次数")
            if claim.get("count") is not None
            else 1
        )
        out.append((level, n))
    return out


def score_additive(item, claims: list[tuple[Level, int]], places: int) -> ItemOutcome:
    parts = []
    total = ZERO
    for level, n in claims:
        amount = level.points * n
        total += amount
        parts.append(f"{level.label} {n} 次，{fmt(amount)} 分")
    return _capped(item, total, places, parts)


# -------------------------------------------------------------------------- penalty


@dataclass(frozen=True)
class PenaltySpec:
    per: Decimal
    removes_award_eligibility: bool
    cap: Decimal | None
    label: str
    unit: str

    def to_params(self) -> dict:
        return {
            "per": self.per,
            "removes_award_eligibility": self.removes_award_eligibility,
            "cap": self.cap,
            "label": self.label,
            "unit": self.unit,
        }


def parse_penalty(p: ParamReader, max_points: Decimal) -> PenaltySpec:
    return PenaltySpec(
        per=p.decimal("per", positive=True) or Decimal(1),
        removes_award_eligibility=p.flag("removes_award_eligibility", False),
        cap=p.decimal("cap", None, positive=True, nullable=True),
        label=p.text("label", "发生"),
        unit=p.text("unit", "次"),
    )


def read_penalty(item, raw: dict) -> int:
    return count(raw, "count", "次数")


def score_penalty(item, n: int, places: int) -> ItemOutcome:
    spec = item.spec
    if n == 0:
        return ItemOutcome(round_points(ZERO, places), f"未{spec.label}，不扣分")
    amount = spec.per * n
    text = f"{spec.label} {n} {spec.unit}，每{spec.unit}扣 {fmt(spec.per)} 分"
    if spec.cap is not None and amount > spec.cap:
        text += f"，应扣 {fmt(amount)} 分，最多扣 {fmt(spec.cap)} 分"
        amount = spec.cap
    else:
        text += f"，扣 {fmt(amount)} 分"
    lost = spec.removes_award_eligibility
    if lost:
        text += "，并取消评先评优资格"
    return ItemOutcome(round_points(amount, places), text, award_lost=lost)


# --------------------------------------------------------------- descriptions

_LEVELS = Param(
    "levels",
    "级别",
    "rows",
    "各级别及其分值。",
    required=True,
    example=[{"key": "city", "label": "市级", "points": "1"}],
    columns=(
        Param("key", "代码", "text", "申报里用来指明级别的代码。", required=True, example="city"),
        Param("label", "名称", "text", "表上显示的级别。", example="市级"),
        Param("points", "分值", "number", "一次（一个项目）得的分数。", required=True, example="1"),
    ),
)


def _level_fields(word: str):
    def fields(params: dict, base: str) -> list[InputField]:
        return [
            InputField(f"{base}-level-{lv['key']}", f"{lv['label']}{word}", "integer")
            for lv in params.get("levels", [])
        ]

    return fields


def _read_highest_form(params: dict, base: str, data: Mapping) -> dict:
    claims = []
    for level in params.get("levels", []):
        raw = text_of(data, f"{base}-level-{level['key']}")
        if not raw:
            continue
        if not raw.isdigit():
            return {"claims": [{"project": "1", "level": level["key"], "count": raw}]}
        # One claim per project, each at the highest level it reached.
        claims += [
            {"project": f"{level['key']}-{n}", "level": level["key"]} for n in range(int(raw))
        ]
    return {"claims": claims} if claims or data.get(f"{base}-entered") else {}


def _read_additive_form(params: dict, base: str, data: Mapping) -> dict:
    claims = []
    for level in params.get("levels", []):
        raw = text_of(data, f"{base}-level-{level['key']}")
        if raw:
            claims.append({"level": level["key"], "count": raw})
    return {"claims": claims} if claims or data.get(f"{base}-entered") else {}


def _fill_levels(params: dict, base: str, value: dict, out: dict) -> None:
    counts: dict[str, int] = {}
    for claim in value.get("claims") or ():
        n = int(claim.get("count", 1)) if str(claim.get("count", 1)).isdigit() else 1
        counts[claim["level"]] = counts.get(claim["level"], 0) + n
    for level, n in counts.items():
        out[f"{base}-level-{level}"] = str(n)


def _sample_highest(params: dict, top: Decimal, draw: Sample) -> dict:
    levels = params.get("levels", [])
    if levels and draw.rng.random() < 0.3:
        return {"claims": [{"project": "1", "level": draw.rng.choice(levels)["key"]}]}
    return {"claims": []}


def _sample_additive(params: dict, top: Decimal, draw: Sample) -> dict:
    levels = params.get("levels", [])
    if levels and draw.rng.random() < 0.3:
        return {"claims": [{"level": draw.rng.choice(levels)["key"], "count": 1}]}
    return {"claims": []}


def _sample_penalty(params: dict, top: Decimal, draw: Sample) -> dict:
    return {"count": 1 if draw.rng.random() > 0.93 else 0}


def _levels_warnings(item) -> list[str]:
    top = item.max_points
    return [
        f"「{level.label}」一次即得 {fmt(level.points)} 分，超过本项上限 {fmt(top)} 分"
        for level in item.spec.levels
        if level.points > top
    ]


def _levels_text(params: dict, each: str) -> str:
    levels = [
        f"{lv.get('label') or lv.get('key') or '?'}{each} {num(lv.get('points'), '?')} 分"
        for lv in rows_of(params, "levels")
    ]
    return "、".join(levels) if levels else "（尚未列出级别）"


def _cap(max_points: Decimal | None) -> str:
    return f"，{fmt(max_points)} 分封顶" if max_points else ""


def describe_highest(params: dict, max_points: Decimal | None) -> str:
    """「同一项目取最高级别计分：市级 1 分、省级 2 分，各项目相加，4 分封顶」."""
    return f"同一项目取最高级别计分：{_levels_text(params, '')}，各项目相加{_cap(max_points)}"


def describe_additive(params: dict, max_points: Decimal | None) -> str:
    """「按级别累加：省级每次 2 分、市级每次 1 分，2 分封顶」."""
    return f"按级别累加：{_levels_text(params, '每次')}{_cap(max_points)}"


def describe_penalty(params: dict, max_points: Decimal | None) -> str:
    """「在 100 分以外扣分：每发生 1 次扣 2 分，最多扣 10 分，并取消评先评优资格」."""
    unit = params.get("unit") or "次"
    label = params.get("label") or "发生"
    text = f"在 100 分以外扣分：每{label} 1 {unit}扣 {num(params.get('per'), 1)} 分"
    if params.get("cap") not in (None, ""):
        text += f"，最多扣 {num(params.get('cap'))} 分"
    if params.get("removes_award_eligibility"):
        text += "，并取消评先评优资格"
    return text


HIGHEST_LEVEL = RuleKind(
    "highest_level",
    "同一项目取最高级，封顶",
    (_LEVELS,),
    parse_levels,
    read_highest,
    score_highest,
    fields=_level_fields("项目数（按最高级别）"),
    read_form=_read_highest_form,
    fill_form=_fill_levels,
    ticked=True,
    sample=_sample_highest,
    warnings=_levels_warnings,
    describer=describe_highest,
)

ADDITIVE_BONUS = RuleKind(
    "additive_bonus",
    "按级别累加，封顶",
    (_LEVELS,),
    parse_levels,
    read_additive,
    score_additive,
    fields=_level_fields("次数"),
    read_form=_read_additive_form,
    fill_form=_fill_levels,
    ticked=True,
    sample=_sample_additive,
    warnings=_levels_warnings,
    describer=describe_additive,
)

PENALTY = RuleKind(
    "penalty",
    "100分以外扣分",
    (
        Param("per", "每次扣分", "number", "每发生一次扣的分数。", default=Decimal(1), example="2"),
        Param(
            "removes_award_eligibility",
            "取消评先评优资格",
            "bool",
            "发生即取消评先评优资格。",
            default=False,
        ),
        Param("cap", "最多扣分", "number", "扣分的上限；不填则不设上限。", example="10"),
        Param("label", "次数前的说明", "text", "说明里写在次数前的文字。", default="发生"),
        Param("unit", "单位", "text", "说明里的量词。", default="次", example="次"),
    ),
    parse_penalty,
    read_penalty,
    score_penalty,
    **one_field("count", "发生次数", "integer"),
    columns=(("count", "次数"),),
    sample=_sample_penalty,
    penalty=True,
    in_composite=False,
    memo_field="count",
    describer=describe_penalty,
)
