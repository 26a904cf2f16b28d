"""``validate(rubric)``: what is inconsistent in a rubric, as the document printed it.

Real rubrics carry arithmetic errors (常州 village 三: 小计 22, items 24); the software
shows them and never corrects them. Warnings are inconsistencies a rubric can still be
scored with; errors make grading itself ambiguous.

Readings where the contract is silent:
- sums count only base items (neither bonus nor penalty); a section without base items
  (a 加分项 section) is not compared with its declared points;
- the sum of declared section points is compared only when every section with base items
  declares one;
- extra warnings beyond the contract come from each rule kind (``RuleKind.warnings``):
  composite parts or checklist parts that do not add up to the item's max, a level or a
  bracket worth more than its item (both would be silently clamped); an item whose rule
  cannot give its points (``RuleKind.reach``: the top bracket worth less than the item);
  and a quota on a grade that is not a band (error).

Each finding names its row (``section:<key>``, ``item:<key>`` or ``rubric``) so a page can
put it beside the row it is about.

``check(rubric)`` is ``validate`` and what an author is told besides, about choices a
document does not make for them: no self-assessment column, a bonus cap the bonus items
cannot reach or a bonus item worth more than it, base items not adding up to 100 when no
total is declared. (A rubric without grade bands does not load: the loader refuses it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Rubric
from .rounding import fmt


@dataclass(frozen=True, slots=True)
class Finding:
    level: str  # "warning" | "error"
    where: str
    message: str
    row: str = "rubric"  # "section:<key>" | "item:<key>" | "rubric"


def _base(item) -> bool:
    return not (item.bonus or item.penalty)


def validate(rubric: Rubric) -> list[Finding]:
    findings: list[Finding] = []
    findings += _sections(rubric)
    findings += _items(rubric)
    findings += _grades(rubric)
    return findings


def _sections(rubric: Rubric) -> list[Finding]:
    findings = []
    declared_sum = Decimal(0)
    all_declared = True
    items_sum = Decimal(0)
    for section in rubric.sections:
        base = [item for item in section.items if _base(item)]
        total = sum((item.max_points for item in base), Decimal(0))
        items_sum += total
        if not base:
            continue
        if section.declared_points is None:
            all_declared = False
            continue
        declared_sum += section.declared_points
        if total != section.declared_points:
            findings.append(
                Finding(
                    "warning",
                    section.title,
                    f"{section.title}：小计标注 {fmt(section.declared_points)} 分，"
                    f"各项合计 {fmt(total)} 分",
                    f"section:{section.key}",
                )
            )
    parts = []
    values = []
    if all_declared:
        parts.append(f"各部分小计合计 {fmt(declared_sum)} 分")
        values.append(declared_sum)
    parts.append(f"各项合计 {fmt(items_sum)} 分")
    values.append(items_sum)
    if rubric.declared_total is not None:
        parts.append(f"标注总分 {fmt(rubric.declared_total)} 分")
        values.append(rubric.declared_total)
    if len(set(values)) > 1:
        findings.append(Finding("warning", "合计", "，".join(parts)))
    return findings


def _items(rubric: Rubric) -> list[Finding]:
    """Each kind's own warnings (``RuleKind.warnings``), named by the item."""
    findings = []
    for item in rubric.items:
        where = item.label
        row = f"item:{item.key}"
        for message in item.rule.warnings(item):
            findings.append(Finding("warning", where, f"{where}：{message}", row))
        reach = item.rule.reach(item)
        if reach is not None and reach < item.max_points:
            findings.append(
                Finding(
                    "warning",
                    where,
                    f"{where}：按此评分办法最高只能得 {fmt(reach)} 分，"
                    f"达不到分值 {fmt(item.max_points)} 分",
                    row,
                )
            )
    return findings


def _grades(rubric: Rubric) -> list[Finding]:
    findings = []
    bands = rubric.grades
    for before, after in zip(bands, bands[1:], strict=False):
        if after.min >= before.min:
            findings.append(
                Finding(
                    "error",
                    "等次",
                    f"等次分数线应从高到低排列：「{after.label}」{fmt(after.min)} 分"
                    f"排在「{before.label}」{fmt(before.min)} 分之后",
                )
            )
    labels = rubric.grade_labels()
    if rubric.veto_grade not in labels:
        findings.append(
            Finding(
                "error",
                "等次",
                f"一票否决等次「{rubric.veto_grade}」不是本表的等次（{'、'.join(labels)}）",
            )
        )
    quota = rubric.quota
    if quota is not None and quota.grade not in [band.label for band in bands]:
        findings.append(
            Finding("error", "名额限制", f"名额限制的等次「{quota.grade}」不是本表的分数段等次")
        )
    return findings


NO_SELF_COLUMN = "没有自评栏：协理员将不能填报自评，考核表直接由镇（街道）审核"


def check(rubric: Rubric) -> list[Finding]:
    """Everything an author is told about a rubric: ``validate`` and the authoring checks."""
    return [*validate(rubric), *_authoring(rubric)]


def _authoring(rubric: Rubric) -> list[Finding]:
    findings = []
    if rubric.columns.self is None:
        findings.append(Finding("warning", "表头", NO_SELF_COLUMN))
    if rubric.declared_total is None:
        base = sum((i.max_points for i in rubric.items if _base(i)), Decimal(0))
        if base and base != 100:
            findings.append(Finding("warning", "合计", f"各项合计 {fmt(base)} 分，不是 100 分"))
    findings += _bonus_cap(rubric)
    return findings


def _bonus_cap(rubric: Rubric) -> list[Finding]:
    cap = rubric.bonus_cap
    if cap is None:
        return []
    bonus = [item for item in rubric.items if item.bonus]
    if not bonus:
        return [Finding("warning", "加分", f"设有加分总上限 {fmt(cap)} 分，但没有加分项")]
    findings = []
    total = sum((item.max_points for item in bonus), Decimal(0))
    if total < cap:
        findings.append(
            Finding(
                "warning",
                "加分",
                f"加分总上限 {fmt(cap)} 分，各加分项合计只有 {fmt(total)} 分，上限达不到",
            )
        )
    for item in bonus:
        if item.max_points > cap:
            findings.append(
                Finding(
                    "warning",
                    item.label,
                    f"{item.label}：最多加 {fmt(item.max_points)} 分，超过加分总上限 {fmt(cap)} 分",
                    f"item:{item.key}",
                )
            )
    return findings
