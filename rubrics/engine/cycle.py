"""Cycle-level steps: N/A averages, ranking, the quota on the top grade, phase weighting,
subsidies.

Readings where the contract is silent:
- ``evaluate_cycle`` checks every sheet first and raises one ``SheetInputError`` whose
  messages start with the subject (「东陈镇：第 6 项…」); two sheets with the same subject
  in the same town are an error;
- the N/A mean of an item is taken over the sheets where the item was scored from its
  input (status ``scored``); missing entries and other N/A sheets are left out; the mean
  is rounded half-up to the rubric's places; with no sheet applying the N/A sheets score 0
  and both the sheets and the cycle are flagged;
- "listed by name" is Python's code-point order of the subject (then the town), which is
  deterministic; it is not pinyin order;
- ranking: equal totals share a rank (1, 2, 2, 4); every vetoed sheet ranks after every
  sheet that passed, vetoed sheets ranked among themselves the same way;
- quota: n counts every sheet of the scope (vetoed ones too); the allowed number is
  ⌊percent × n / 100⌋; holders are ordered by total, then by the rubric's tie rule
  (``quota.tie_break``: section subtotals, the base total); a tie straddles the boundary
  when the last holder within the allowance and the first beyond it are equal on all of
  these; such a tie is never broken by name: all of it keeps the grade for now and is
  flagged for the administrator's decision; with an advisory quota the excess is flagged
  too and nothing moves; with an enforced one the excess moves down one band;
- phase weighting divides by the sum of the present phases' weights, so weights may be
  written as percents (30/70) or fractions (0.3/0.7), and a missing phase rescales the
  rest to 100%; the result is rounded to ``places`` (default 2);
- subsidies: a sheet without subsidy (percent 0) gets 0; amounts are rounded to the yuan
  half-up one by one, and both sums are reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import Any

from .errors import InputError, SheetInputError
from .model import Rubric
from .results import SheetResult
from .rounding import ENGINE_CONTEXT, fmt, round_points, round_yuan, to_decimal
from .sheet import ZERO, Memo, _result, score_sheet, summarise

HUNDRED = Decimal(100)
PHASE_NAMES = {"process": "过程考核", "annual": "年度考核"}


# ------------------------------------------------------------------------- the cycle


@dataclass(slots=True)
class CycleResult:
    results: list[SheetResult]
    na_averages: dict[str, Decimal]
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "results": [r.to_dict() for r in self.results],
            "na_averages": {k: str(v) for k, v in self.na_averages.items()},
            "flags": list(self.flags),
        }


def evaluate_cycle(rubric: Rubric, sheets: list[dict]) -> CycleResult:
    """Score every sheet, then give N/A items with ``na_policy: average`` the mean."""
    plan = rubric.plan
    memo = Memo(plan)  # this evaluation's own, shared by its sheets
    with localcontext(ENGINE_CONTEXT):
        sheets_items = []
        errors: list[InputError] = []
        seen: set[tuple[str | None, str]] = set()
        for sheet in sheets:
            subject, town, items, problems = score_sheet(plan, sheet, memo=memo)
            if problems:
                name = subject or "（未写名称）"
                errors.extend(
                    InputError(f"{name}：{e.message}", item_key=e.item_key) for e in problems
                )
                continue
            if (town, subject) in seen:
                where = f"（{town}）" if town else ""
                errors.append(InputError(f"「{subject}」{where}有两份评分表"))
            seen.add((town, subject))
            sheets_items.append((subject, town, items))
        if errors:
            raise SheetInputError(errors)

        tally = AverageTally(rubric)
        for _, _, items in sheets_items:
            tally.add_items(items)
        averages, flags = tally.averages()
        results = [
            _complete(plan, subject, town, items, averages) for subject, town, items in sheets_items
        ]
        return CycleResult(results, averages, flags)


def _complete(plan, subject, town, items, averages: Mapping[str, Decimal]) -> SheetResult:
    """A scored sheet's pending N/A items given the cycle's means, then its totals."""
    sheet_flags = []
    for entry in plan.average_entries:
        if items[entry.index].status == "na_pending":
            mean = averages.get(entry.key)
            if mean is None:
                text = "本周期没有承担此项任务的单位，无法计算平均分，按 0 分计"
                items[entry.index] = _result(entry, plan.zero, "na_average", text)
                sheet_flags.append(f"{entry.item.label}：{text}")
            else:
                points = round_points(mean, plan.places)
                text = f"本单位无此项任务，得平均分 {fmt(points)} 分"
                items[entry.index] = _result(entry, points, "na_average", text)
    return summarise(plan, subject, town, items, sheet_flags)


# ------------------------------------------------------- the cycle, in two streamed passes
#
# ``evaluate_cycle`` holds every sheet's item results at once. A caller that reads a big
# cycle in batches does the same work in two passes instead: ``AverageTally`` over every
# sheet (only the items with ``na_policy: average`` matter, so a sheet may carry only
# those), then ``evaluate_in_cycle`` per sheet with the means. The results are those of
# ``evaluate_cycle``; checking for two sheets of one subject is the caller's.


class AverageTally:
    """The N/A means of a cycle, summed sheet by sheet: pass one."""

    __slots__ = ("plan", "memo", "totals", "counts", "wanted")

    def __init__(self, rubric: Rubric):
        self.plan = rubric.plan
        self.memo = Memo(self.plan)
        n = len(self.plan.average_entries)
        self.totals = [ZERO] * n
        self.counts = [0] * n
        self.wanted = [False] * n

    def add(self, sheet: dict) -> bool:
        """Count one sheet; False (and nothing counted) when its inputs have problems:
        pass two reports them."""
        with localcontext(ENGINE_CONTEXT):
            _subject, _town, items, problems = score_sheet(self.plan, sheet, memo=self.memo)
            if problems:
                return False
            self.add_items(items)
            return True

    def add_items(self, items: list) -> None:
        for n, entry in enumerate(self.plan.average_entries):
            result = items[entry.index]
            if result.status == "scored":
                self.totals[n] += result.score
                self.counts[n] += 1
            elif result.status == "na_pending":
                self.wanted[n] = True

    def averages(self) -> tuple[dict[str, Decimal], list[str]]:
        """({item key: mean}, cycle flags), as ``CycleResult.na_averages`` and ``flags``."""
        plan = self.plan
        averages: dict[str, Decimal] = {}
        flags: list[str] = []
        with localcontext(ENGINE_CONTEXT):
            for n, entry in enumerate(plan.average_entries):
                if self.counts[n]:
                    averages[entry.key] = round_points(self.totals[n] / self.counts[n], plan.places)
                elif self.wanted[n]:
                    flags.append(
                        f"{entry.item.label}：本周期没有承担此项任务的单位，不适用的单位按 0 分计"
                    )
        return averages, flags


def evaluate_in_cycle(
    rubric: Rubric, sheet: dict, averages: Mapping[str, Decimal], *, memo: Memo | None = None
) -> tuple[SheetResult | None, list[InputError]]:
    """One sheet scored as ``evaluate_cycle`` scores it, given the cycle's means (pass
    two): (result, []) or (None, the problems, each message starting with the subject)."""
    plan = rubric.plan
    with localcontext(ENGINE_CONTEXT):
        subject, town, items, problems = score_sheet(plan, sheet, memo=memo)
        if problems:
            name = subject or "（未写名称）"
            return None, [InputError(f"{name}：{e.message}", item_key=e.item_key) for e in problems]
        return _complete(plan, subject, town, items, averages), []


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True, slots=True)
class RankedSheet:
    rank: int
    result: SheetResult


def _order(result: SheetResult) -> tuple:
    return (result.veto is not None, -result.total, result.subject, result.town or "")


def rank(results: Iterable[SheetResult]) -> list[RankedSheet]:
    """By total descending, ties share a rank (1, 2, 2, 4) and are listed by name;
    vetoed sheets after every sheet that passed."""
    ranked = []
    previous = None
    current = 0
    for position, result in enumerate(sorted(results, key=_order), start=1):
        key = (result.veto is not None, result.total)
        if key != previous:
            current = position
            previous = key
        ranked.append(RankedSheet(current, result))
    return ranked


# ----------------------------------------------------------------------------- quota


@dataclass(frozen=True, slots=True)
class QuotaDecision:
    subject: str
    town: str | None
    rank: int
    total: Decimal
    grade_before: str
    grade_after: str
    subsidy_percent: Decimal  # of grade_after
    reason: str  # "" when nothing happened
    flagged: bool  # the administrator must decide (advisory excess, or a tie the rule leaves)
    flagged_tie: bool  # part of a tie at the boundary that the tie rule does not break
    beyond: bool = False  # beyond the quota (or in such a tie): 保持 or 调整为下一等次 applies

    @property
    def grade(self) -> str:
        return self.grade_after

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "town": self.town,
            "rank": self.rank,
            "total": str(self.total),
            "grade_before": self.grade_before,
            "grade_after": self.grade_after,
            "subsidy_percent": str(self.subsidy_percent),
            "reason": self.reason,
            "flagged": self.flagged,
            "flagged_tie": self.flagged_tie,
            "beyond": self.beyond,
        }


def tie_values(rubric: Rubric, result: Any) -> tuple[Decimal, ...]:
    """What the quota's tie rule compares of a sheet, in turn (higher first): a section's
    subtotal (``section:<key>``) or the base total (``base_total``). A section the sheet
    does not have counts 0."""
    quota = rubric.quota
    if quota is None or not quota.tie_break:
        return ()
    subtotals = {s.key: s.subtotal for s in getattr(result, "sections", ()) or ()}
    values = []
    for entry in quota.tie_break:
        if entry == "base_total":
            values.append(result.base_total)
        else:
            values.append(subtotals.get(entry.split(":", 1)[1], ZERO))
    return tuple(values)


def tie_rule_text(rubric: Rubric) -> str:
    """The tie rule in the user's words: 「三、促进就业创业」得分，再比基础分."""
    quota = rubric.quota
    if quota is None or not quota.tie_break:
        return "评分标准未规定同分排序"
    titles = {s.key: s.title for s in rubric.sections}
    parts = []
    for entry in quota.tie_break:
        if entry == "base_total":
            parts.append("基础分（不含加分、扣分）")
        else:
            parts.append(f"「{titles.get(entry.split(':', 1)[1], entry)}」得分")
    return "先比" + "，再比".join(parts)


def apply_quota(rubric: Rubric, ranked: list[RankedSheet]) -> list[QuotaDecision]:
    """One decision per ranked sheet, in ranking order.

    Holders of the quota grade are ordered by total, then by the rubric's tie rule
    (``quota.tie_break``); a tie the rule leaves at the boundary is never broken by name:
    every sheet of it keeps its grade for now and is flagged for the administrator."""
    plan = rubric.plan
    quota = rubric.quota
    # position → (grade after, reason, flagged, tie, beyond)
    changes: dict[int, tuple[str, str, bool, bool, bool]] = {}
    if quota is not None:
        groups: dict[Any, list[tuple[int, RankedSheet]]] = {}
        for position, entry in enumerate(ranked):
            scope = entry.result.town if quota.scope == "town" else None
            groups.setdefault(scope, []).append((position, entry))
        noun = "名协理员" if rubric.subject == "coordinator" else "个单位"
        rule = tie_rule_text(rubric)
        for scope, members in groups.items():
            n = len(members)
            allowed = int((quota.percent * n / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))
            holders = [(p, e) for p, e in members if e.result.grade == quota.grade]
            if len(holders) <= allowed:
                continue

            def key(entry: RankedSheet) -> tuple:
                return (entry.result.total, *tie_values(rubric, entry.result))

            # Stable: equal keys stay in ranking order, and every such tie at the boundary
            # is flagged, so that order decides nothing.
            holders.sort(key=lambda pe: tuple(-x for x in key(pe[1])))
            where = f"{scope}" if scope else ""
            if quota.enforced:
                head = (
                    f"{where}{quota.grade}名额 {allowed} 个（{n} {noun}的 {fmt(quota.percent)}%）"
                )
            else:
                head = f"{where}{quota.grade}一般不超过 {allowed} 个（{n} {noun}的 {fmt(quota.percent)}%）"
            boundary = key(holders[allowed][1])
            tie: set[int] = set()
            seats = 0
            if allowed > 0 and key(holders[allowed - 1][1]) == boundary:
                tie = {p for p, e in holders if key(e) == boundary}
                seats = allowed - sum(1 for _p, e in holders if key(e) > boundary)
            last_inside = holders[allowed - 1][1].result.total if allowed else None
            first_outside = holders[allowed][1].result.total
            for order, (position, entry) in enumerate(holders):
                before = entry.result.grade
                total = entry.result.total
                if position in tie:
                    reason = (
                        f"{head}，{fmt(total)} 分同分、按同分规则（{rule}）仍相同的 {len(tie)} "
                        f"{noun}争 {seats} 个名额，暂为{before}，请管理员逐一决定"
                    )
                    changes[position] = (before, reason, True, True, True)
                    continue
                broken = total in (last_inside, first_outside) and last_inside == first_outside
                if order < allowed:
                    if broken:
                        reason = f"{head}，{fmt(total)} 分同分，按同分规则（{rule}）排在名额之内"
                        changes[position] = (before, reason, False, False, False)
                    continue
                place = (
                    f"与名额内的单位同为 {fmt(total)} 分，按同分规则（{rule}）排在名额之外"
                    if broken
                    else f"排名第 {entry.rank} 位超出名额"
                )
                if quota.enforced:
                    after = plan.band_below[before]
                    reason = f"{head}，{place}，由{before}调整为{after}"
                    changes[position] = (after, reason, False, False, True)
                else:
                    reason = f"{head}，{place}，仍为{before}，请管理员决定保持或调整"
                    changes[position] = (before, reason, True, False, True)

    decisions = []
    for position, entry in enumerate(ranked):
        result = entry.result
        after, reason, flagged, tie_, beyond = changes.get(
            position, (result.grade, "", False, False, False)
        )
        percent = result.subsidy_percent if after == result.grade else plan.percent_of[after]
        decisions.append(
            QuotaDecision(
                subject=result.subject,
                town=result.town,
                rank=entry.rank,
                total=result.total,
                grade_before=result.grade,
                grade_after=after,
                subsidy_percent=percent,
                reason=reason,
                flagged=flagged,
                flagged_tie=tie_,
                beyond=beyond,
            )
        )
    return decisions


# ----------------------------------------------------------------------------- phases


@dataclass(frozen=True, slots=True)
class PhaseOutcome:
    total: Decimal | None  # None when every phase is missing
    flags: list[str]
    weights_used: dict[str, Decimal]  # in percent, after rescaling


def weight_phases(
    phases: Mapping[str, Decimal | None], weights: Mapping[str, Decimal], *, places: int = 2
) -> PhaseOutcome:
    """final = Σ weight × phase total / Σ weights of the present phases."""
    for name in phases:
        if name not in weights:
            raise ValueError(f"考核阶段「{name}」没有权重")
    with localcontext(ENGINE_CONTEXT):
        w = {name: to_decimal(value, what=f"「{name}」的权重") for name, value in weights.items()}
        flags = []
        present: dict[str, Decimal] = {}
        for name in w:
            value = phases.get(name)
            if value is None:
                flags.append(f"缺少{PHASE_NAMES.get(name, name)}")
            else:
                present[name] = to_decimal(value, what=PHASE_NAMES.get(name, name))
        weight_sum = sum((w[name] for name in present), ZERO)
        if not present or weight_sum == ZERO:
            return PhaseOutcome(None, flags, {})
        total = sum((w[name] * value for name, value in present.items()), ZERO) / weight_sum
        used = {name: round_points(w[name] * HUNDRED / weight_sum, places) for name in present}
        return PhaseOutcome(round_points(total, places), flags, used)


# --------------------------------------------------------------------------- subsidy


@dataclass(frozen=True, slots=True)
class SubsidyLine:
    subject: str
    town: str | None
    grade: str
    percent: Decimal
    amount: Decimal  # rounded to the yuan
    unrounded: Decimal


@dataclass(frozen=True, slots=True)
class SubsidyOutcome:
    lines: list[SubsidyLine]
    total: Decimal  # Σ rounded amounts
    unrounded_total: Decimal  # Σ unrounded amounts

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {line.subject: line.amount for line in self.lines}


def subsidy_amounts(results: Iterable[Any], base_amount: Decimal | int | str) -> SubsidyOutcome:
    """amount = base × grade percent / 100, to the yuan half-up. ``results`` are
    ``SheetResult``s or, after the quota, ``QuotaDecision``s."""
    with localcontext(ENGINE_CONTEXT):
        base = to_decimal(base_amount, what="补助标准")
        lines = []
        for r in results:
            unrounded = base * r.subsidy_percent / HUNDRED
            lines.append(
                SubsidyLine(
                    r.subject, r.town, r.grade, r.subsidy_percent, round_yuan(unrounded), unrounded
                )
            )
        return SubsidyOutcome(
            lines,
            sum((line.amount for line in lines), ZERO),
            sum((line.unrounded for line in lines), ZERO),
        )
