"""Scoring one sheet: ``evaluate(rubric, inputs, na_averages=None) -> SheetResult``.

Totals follow the contract: base total = Σ items that are neither bonus nor penalty;
bonus = Σ bonus items (each within its own cap) then within ``bonus_cap``; penalties =
Σ penalty items; total = base + bonus − penalties, never below 0; a failed veto forces
``veto_grade`` (and its subsidy percent); otherwise the first band whose min ≤ total.

Readings where the contract is silent:
- a bonus or penalty item with no entry means 「无」: it scores 0 and does not make the
  sheet incomplete (the documents' 加分项/扣分项 are only filled when something happened);
- an N/A item with ``na_policy: average`` and no mean given is ``na_pending``: it counts 0
  and the sheet is incomplete until ``evaluate_cycle`` (or ``na_averages``) completes it;
- with several failed vetoes, ``veto`` names the first in rubric order; every failed one
  is in ``award_reasons``;
- the grade of an incomplete sheet is still computed from what was entered.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from .errors import InputError, SheetInputError
from .inputs import NA, read_entry, sheet_items
from .model import Rubric
from .plan import EvaluationPlan, PlanEntry
from .results import ItemResult, SectionResult, SheetResult, VetoFinding
from .rounding import ENGINE_CONTEXT, fmt, round_points

ZERO = Decimal(0)
MEMO_LIMIT = 1024


class Memo:
    """Outcomes an evaluation has already computed, for kinds whose outcome depends on one
    input field alone (a discretionary score, a count, a rate, passed): scoring is a pure
    function of the item and that value, and the documents' inputs repeat a lot (0–6 in
    steps of 0.5), so the outcome of a value seen before is reused across the sheets of one
    evaluation. Only successful outcomes are kept, keyed by the value and its type (so ``1``
    and ``True`` stay apart), at most ``MEMO_LIMIT`` per item. The caller owns it: one per
    ``evaluate_cycle`` call, never stored on the (shared) rubric."""

    __slots__ = ("by_entry",)

    def __init__(self, plan: EvaluationPlan):
        self.by_entry: tuple[dict, ...] = tuple({} for _ in plan.entries)


def evaluate(
    rubric: Rubric,
    inputs: dict,
    *,
    na_averages: dict[str, Decimal] | None = None,
    memo: Memo | None = None,
) -> SheetResult:
    """Score one sheet; raises ``SheetInputError`` listing every bad input."""
    plan = rubric.plan
    with localcontext(ENGINE_CONTEXT):
        subject, town, items, errors = score_sheet(plan, inputs, na_averages, memo)
        if errors:
            raise SheetInputError(errors)
        return summarise(plan, subject, town, items)


def score_sheet(
    plan: EvaluationPlan,
    sheet: object,
    na_averages: dict[str, Decimal] | None = None,
    memo: Memo | None = None,
) -> tuple[str, str | None, list[ItemResult], list[InputError]]:
    """Check and score every item in one pass. When errors are returned, the item
    results are incomplete and must not be used."""
    errors: list[InputError] = []
    subject, town, items = sheet_items(plan, sheet, errors)
    places = plan.places
    memos = memo.by_entry if memo is not None else None
    results: list[ItemResult] = []
    append = results.append
    for entry in plan.entries:
        raw = items.get(entry.key)
        if raw is None:
            append(_missing(plan, entry))
            continue
        field = entry.memo_field
        if field is not None and memos is not None and type(raw) is dict and len(raw) == 1:
            value = raw.get(field)
            kind = type(value)
            key = value if kind is str else (kind, value) if kind is int or kind is bool else None
            if key is not None:
                seen = memos[entry.index]
                o = seen.get(key)
                if o is None:
                    try:
                        value = read_entry(entry, raw)
                    except InputError as error:
                        errors.append(error)
                        continue
                    o = entry.score(entry.item, value, places)
                    if len(seen) < MEMO_LIMIT:
                        seen[key] = o
                append(
                    ItemResult(
                        entry.item, o.score, "scored", o.explanation, o.veto_failed, o.award_lost
                    )
                )
                continue
        try:
            value = read_entry(entry, raw)
        except InputError as error:
            errors.append(error)
            continue
        if value is NA:
            append(na_result(plan, entry, na_averages))
        else:
            item = entry.item
            o = entry.score(item, value, places)
            append(
                ItemResult(
                    item,
                    o.score,
                    "scored",
                    o.explanation,
                    o.veto_failed,
                    o.award_lost,
                    o.components,
                )
            )
    return subject, town, results, errors


def _result(entry: PlanEntry, score: Decimal | None, status: str, text: str) -> ItemResult:
    return ItemResult(entry.item, score, status, text)


def _missing(plan: EvaluationPlan, entry: PlanEntry) -> ItemResult:
    if entry.item.bonus:
        return _result(entry, plan.zero, "scored", "未填报，按无加分计")
    if entry.item.penalty:
        return _result(entry, plan.zero, "scored", "未填报，按无扣分计")
    return _result(entry, None, "missing", "未填报")


def na_result(
    plan: EvaluationPlan, entry: PlanEntry, na_averages: dict[str, Decimal] | None
) -> ItemResult:
    policy = entry.na_policy
    if policy == "full":
        points = round_points(entry.item.max_points, plan.places)
        return _result(entry, points, "na_full", f"不适用，按规定得满分 {fmt(points)} 分")
    if policy == "average":
        if na_averages is None or entry.key not in na_averages:
            return _result(entry, None, "na_pending", "本单位无此项任务，待计算平均分")
        mean = na_averages[entry.key]
        top = entry.item.max_points
        points = round_points(min(max(mean, ZERO), top), plan.places)
        return _result(entry, points, "na_average", f"本单位无此项任务，得平均分 {fmt(points)} 分")
    # "zero"; "none" never gets here (the input check refuses it)
    return _result(entry, plan.zero, "na_zero", "不适用，按规定得 0 分")


def summarise(
    plan: EvaluationPlan,
    subject: str,
    town: str | None,
    items: list[ItemResult],
    flags: list[str] | None = None,
) -> SheetResult:
    n_sections = len(plan.sections)
    subtotals = [ZERO] * n_sections
    bonuses = [ZERO] * n_sections
    penalties_of = [ZERO] * n_sections
    missing: list[str] = []
    pending: list[str] = []
    award_reasons: list[str] = []
    veto = None
    for entry, result in zip(plan.entries, items, strict=True):
        score = result.score
        if score is None:
            (missing if result.status == "missing" else pending).append(entry.key)
            continue
        if entry.is_base:
            subtotals[entry.section_index] += score
        elif entry.item.bonus:
            bonuses[entry.section_index] += score
        else:
            penalties_of[entry.section_index] += score
        if result.veto_failed:
            item = entry.item
            if veto is None:
                veto = VetoFinding(entry.key, item.number, item.title)
            award_reasons.append(f"一票否决项{item.label}未通过")
        if result.award_lost:
            award_reasons.append(f"{entry.item.label}：{result.explanation}")

    places = plan.places
    base_total = round_points(sum(subtotals, ZERO), places)
    bonus = sum(bonuses, ZERO)
    notes = list(flags or ())
    cap = plan.bonus_cap
    if cap is not None and bonus > cap:
        notes.append(f"加分合计 {fmt(bonus)} 分，超过加分上限 {fmt(cap)} 分，按 {fmt(cap)} 分计")
        bonus = cap
    bonus = round_points(bonus, places)
    penalties = round_points(sum(penalties_of, ZERO), places)
    total = base_total + bonus - penalties
    if total < ZERO:
        total = ZERO
    total = round_points(total, places)
    if veto is not None:
        grade = plan.veto_grade
        percent = plan.percent_of[grade]
    else:
        grade, percent = plan.grade_for(total)

    sections = [
        SectionResult(
            section.key,
            section.title,
            section.declared_points,
            plan.section_items_max[i],
            round_points(subtotals[i], places),
            round_points(bonuses[i], places),
            round_points(penalties_of[i], places),
        )
        for i, section in enumerate(plan.sections)
    ]
    return SheetResult(
        subject=subject,
        town=town,
        items=items,
        sections=sections,
        base_total=base_total,
        bonus=bonus,
        penalties=penalties,
        total=total,
        veto=veto,
        grade=grade,
        subsidy_percent=percent,
        award_eligible=not award_reasons,
        award_reasons=award_reasons,
        complete=not missing and not pending,
        missing=missing,
        pending=pending,
        flags=notes,
    )
