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
