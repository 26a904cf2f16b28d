"""Rule kind name → how to parse its parameters, read its input and score it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError, RubricFormatError
from . import bonuses, composite, deductions, discretionary, peer, rates, targets, veto
from .base import ItemOutcome, ParamReader


@dataclass(frozen=True)
class RuleKind:
    name: str
    title: str  # 评分方式 in Chinese, for messages and pages
    params: tuple[str, ...]  # parameter names the kind accepts
    parse: Callable[[ParamReader, Decimal], Any]
    read: Callable[[Any, dict], Any]
    score: Callable[[Any, Any, int], ItemOutcome]
    target_linked: bool = False
    # The one input field of kinds whose outcome depends on that field alone; the
    # evaluation memoises their outcomes per item (see ``sheet.score_sheet``).
    memo_field: str | None = None


_KINDS = (
    RuleKind(
        "discretionary",
        "酌情给分",
        ("step",),
        discretionary.parse,
        discretionary.read,
        discretionary.score,
        memo_field="score",
    ),
    RuleKind(
        "deduct_per_occurrence",
        "按次扣分",
        ("per", "label", "unit"),
        deductions.parse_per_occurrence,
        deductions.read_count,
        deductions.score_per_occurrence,
        memo_field="count",
    ),
    RuleKind(
        "fixed_deductions",
        "按情形扣分",
        ("deductions", "zero_if"),
        deductions.parse_fixed,
        deductions.read_fixed,
        deductions.score_fixed,
    ),
    RuleKind(
        "checklist",
        "按项得分",
        ("parts",),
        deductions.parse_checklist,
        deductions.read_checklist,
        deductions.score_checklist,
    ),
    RuleKind(
        "all_or_nothing",
        "完成得分，未完成不得分",
        ("zero_target", "threshold", "unit"),
        targets.parse_all_or_nothing,
        targets.read_all_or_nothing,
        targets.score_all_or_nothing,
        target_linked=True,
    ),
    RuleKind(
        "proportional",
        "按完成比例得分",
        ("source", "zero_target", "unit"),
        targets.parse_proportional,
        targets.read_proportional,
        targets.score_proportional,
        target_linked=True,
    ),
    RuleKind(
        "shortfall_step",
        "按差额分档扣分",
        ("step", "points", "partial", "unit"),
        targets.parse_shortfall,
        targets.read_shortfall,
        targets.score_shortfall,
        target_linked=True,
    ),
    RuleKind(
        "rate_below",
        "按百分点扣分",
        ("threshold", "points_per_point", "partial"),
        rates.parse_rate_below,
        rates.read_rate,
        rates.score_rate_below,
        memo_field="rate",
    ),
    RuleKind(
        "brackets",
        "分档得分",
        ("brackets", "unit"),
        rates.parse_brackets,
        rates.read_value,
        rates.score_brackets,
        memo_field="value",
    ),
    RuleKind(
        "composite",
        "组合评分",
        ("components",),
        composite.parse,
        composite.read,
        composite.score,
    ),
    RuleKind(
        "highest_level",
        "同一项目取最高级",
        ("levels",),
        bonuses.parse_levels,
        bonuses.read_highest,
        bonuses.score_highest,
    ),
    RuleKind(
        "additive_bonus",
        "按级别累加",
        ("levels",),
        bonuses.parse_levels,
        bonuses.read_additive,
        bonuses.score_additive,
    ),
    RuleKind(
        "penalty",
        "扣分项",
        ("per", "removes_award_eligibility", "cap", "label", "unit"),
        bonuses.parse_penalty,
        bonuses.read_penalty,
        bonuses.score_penalty,
        memo_field="count",
    ),
    RuleKind("veto", "一票否决", (), veto.parse, veto.read, veto.score, memo_field="passed"),
    RuleKind("peer_average", "评议平均", ("step",), peer.parse, peer.read, peer.score),
)

KINDS: dict[str, RuleKind] = {kind.name: kind for kind in _KINDS}


def parse_params(
    kind_name: str, raw: object, max_points: Decimal, where: str, errors: list[str]
) -> Any:
    """The kind's spec, or None when a problem was appended to ``errors``."""
    kind = KINDS[kind_name]
    before = len(errors)
    spec = kind.parse(ParamReader(raw, where, errors, kind.params), max_points)
    return spec if len(errors) == before else None


def parse_item_params(item: Any) -> Any:
    """Parse a hand-built item's parameters; raises RubricFormatError when they are bad."""
    errors: list[str] = []
    if item.kind not in KINDS:
        raise RubricFormatError([f"{item.label}：未知的评分方式「{item.kind}」"])
    spec = parse_params(item.kind, item.params, item.max_points, item.label, errors)
    if errors:
        raise RubricFormatError(errors)
    return spec


def score_item(item: Any, raw: dict, places: int = 2) -> ItemOutcome:
    """Read and score one item's input (for tests and previews); raises InputError."""
    kind = KINDS[item.kind]
    try:
        return kind.score(item, kind.read(item, raw), places)
    except InputError as error:
        raise InputError(f"{item.label}：{error.message}", item_key=item.key) from None
