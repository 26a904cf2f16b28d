"""The summary of a result version: what the results page's panels show, gathered while
the results are computed and stored in ``ResultVersion.summary``, so the page reads one row
instead of every result.

The summary is kept in cells, one per town and grade, each additive: a count, the sums of
the section subtotals (two-phase cycles: weighted as the phase totals are), of the bonus and
of the penalties, the grades before the quota, the sums of the self and review totals, the
largest self-vs-review gaps and, while the cycle has at most ``POINTS_KEPT`` subjects, each
subject's (self, review) point with its sheet. Any view of the results that filters by town
and grade (the whole cycle, a town reviewer's towns, one town, one grade) adds up the cells
it covers.

Stored shape (decimals as text)::

    {"count": 20000, "sections": [[title, items_max], …], "bonus_max": "3" or null,
     "penalties": true, "bonus_section": 6 or null, "penalty_section": null,
     "grades": ["优秀", "合格", …], "subject": "unit", "points": "units" or "towns",
     "quota": {"grade": "优秀", "percent": "30", "scope": "cycle", "enforced": false} or null,
     "cells": [{"town": "…", "grade": "优秀", "count": 31,
     "sections": ["1234.5", …], "bonus": "12", "penalties": "4", "before": {"优秀": 33},
     "self": ["2900.5", "2811", 31], "gaps": [[name, self total, review total, order], …],
     "points": [[name, self total, review total, sheet id, order], …]}, …]}

``bonus_section`` / ``penalty_section``: the section that holds every bonus (penalty) item
and nothing else; its row on the page shows the bonus (penalties) under its own title
(without it the page adds a row 「加分」/「扣分」). Summaries stored before these keys existed
are read as well: the missing parts are left out of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from rubrics.engine.rounding import round_points

GAPS_SHOWN = 10  # the largest self-vs-review gaps kept per cell
# A cycle with at most this many subjects keeps one self-vs-review point per subject; a
# larger one keeps the sums per town and grade, and the page plots one mean point per town.
POINTS_KEPT = 2000
# Part of a cycle with a cycle-wide quota gets a reference line from this many subjects.
REFERENCE_FROM = 10
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def _dec(value) -> Decimal:
    """Stored results keep decimals as strings; absent values count as 0."""
    return Decimal(str(value)) if value not in (None, "") else ZERO


def self_and_review(parsed, detail: dict) -> tuple[str, Decimal, Decimal] | None:
    """(phase, self total, review total) of a stored result: the first phase with self
    scores, the self total worked out as the engine totals a sheet (base items, the bonus
    within its cap, minus penalties, never below 0); None without self scores."""
    from assessments.sides import Side

    entries = parsed.plan.entries_by_key
    selfs = detail.get(Side.SELF, {})
    for phase, data in detail.get("phases", {}).items():
        own = selfs.get(phase)
        if not own:
            continue
        base = bonus = penalties = ZERO
        for key, value in own.items():
            entry = entries.get(key)
            if entry is None:
                continue
            if entry.is_base:
                base += _dec(value)
            elif entry.item.bonus:
                bonus += _dec(value)
            else:
                penalties += _dec(value)
        cap = parsed.plan.bonus_cap
        if cap is not None and bonus > cap:
            bonus = cap
        return phase, max(base + bonus - penalties, ZERO), _dec(data.get("total"))
    return None


def self_total(parsed, detail: dict) -> tuple[Decimal, Decimal] | None:
    """(self total, review total) of a stored result (see ``self_and_review``)."""
    found = self_and_review(parsed, detail)
    return None if found is None else found[1:]


def _only_section(parsed, flag: str) -> int | None:
    """The index of the section holding every item with ``flag`` (bonus, penalty) and no
    other item; None when there is none or the items are spread over sections."""
    holders = [i for i, s in enumerate(parsed.sections) if any(getattr(x, flag) for x in s.items)]
    if len(holders) != 1:
        return None
    items = parsed.sections[holders[0]].items
    return holders[0] if all(getattr(x, flag) for x in items) else None


class _Cell:
    __slots__ = (
        "town",
        "grade",
        "count",
        "sections",
        "bonus",
        "penalties",
        "before",
        "self_sum",
        "review_sum",
        "self_count",
        "gaps",
        "points",
    )

    def __init__(self, town: str, grade: str, n_sections: int):
        self.town, self.grade = town, grade
        self.count = 0
        self.sections = [ZERO] * n_sections
        self.bonus = ZERO
        self.penalties = ZERO
        self.before: dict[str, int] = {}
        self.self_sum = self.review_sum = ZERO
        self.self_count = 0
        self.gaps: list = []  # (−|gap|, order, name, self, review), the largest kept
        self.points: list = []  # [name, self, review, sheet id, order]

    def data(self) -> dict:
        return {
            "town": self.town,
            "grade": self.grade,
            "count": self.count,
            "sections": [str(x) for x in self.sections],
            "bonus": str(self.bonus),
            "penalties": str(self.penalties),
            "before": self.before,
            "self": [str(self.self_sum), str(self.review_sum), self.self_count],
            "gaps": [[name, str(s), str(r), order] for _g, order, name, s, r in self.gaps],
            "points": [[n, str(s), str(r), sheet, order] for n, s, r, sheet, order in self.points],
        }


class SummaryBuilder:
    """Fed each stored result in ranking order; ``data()`` is the version's summary.
    ``weights`` ({phase: weight}) weight the section subtotals of a two-phase cycle as
    the engine weights its totals."""

    def __init__(self, parsed, weights: dict | None = None):
        self.parsed = parsed
        self.weights = {p: _dec(w) for p, w in (weights or {}).items() if _dec(w)}
        self.sections: list | None = None
        self.cells: dict[tuple, _Cell] = {}
        self.count = 0
        self.point_count = 0
        self.keep_points = True
        items = parsed.items
        self.has_bonus = any(i.bonus for i in items)
        self.has_penalties = any(i.penalty for i in items)
        if parsed.plan.bonus_cap is not None:
            self.bonus_max = parsed.plan.bonus_cap
        else:
            self.bonus_max = sum((i.max_points for i in items if i.bonus), ZERO)

    def _subtotals(self, phases: dict) -> list[Decimal]:
        """Each section's subtotal; with two or more phases, weighted over the phases."""
        present = [(p, data) for p, data in phases.items() if p in self.weights]
        if len(present) < 2:
            first = next(iter(phases.values()), {})
            return [_dec(s.get("subtotal")) for s in first.get("sections", [])]
        weight_sum = sum((self.weights[p] for p, _d in present), ZERO)
        sums: list[Decimal] = []
        for p, data in present:
            for i, s in enumerate(data.get("sections", [])):
                if i == len(sums):
                    sums.append(ZERO)
                sums[i] += self.weights[p] * _dec(s.get("subtotal"))
        return [x / weight_sum for x in sums]

    def add(self, result, name: str, sheets: dict | None = None) -> None:
        """``sheets``: the subject's sheet id per phase, for the point's link."""
        phases = result.detail.get("phases", {})
        if self.sections is None:
            first = next(iter(phases.values()), {})
            self.sections = [
                [s["title"], str(_dec(s.get("items_max")))] for s in first.get("sections", [])
            ]
        key = (result.town_name, result.grade)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = _Cell(result.town_name, result.grade, len(self.sections))
        self.count += 1
        cell.count += 1
        for i, subtotal in enumerate(self._subtotals(phases)[: len(cell.sections)]):
            cell.sections[i] += subtotal
        cell.bonus += _dec(result.bonus)
        cell.penalties += _dec(result.penalties)
        before = result.grade_before_quota or result.grade
        cell.before[before] = cell.before.get(before, 0) + 1
        found = self_and_review(self.parsed, result.detail)
        if found is None:
            return
        phase, own, review = found
        cell.self_sum += own
        cell.review_sum += review
        cell.self_count += 1
        cell.gaps.append((-abs(own - review), self.count, name, own, review))
        if len(cell.gaps) > 4 * GAPS_SHOWN:
            cell.gaps = sorted(cell.gaps)[:GAPS_SHOWN]
        self.point_count += 1
        if self.point_count > POINTS_KEPT and self.keep_points:
            self.keep_points = False  # memory stays bounded: the page plots town means
            for c in self.cells.values():
                c.points = []
        if self.keep_points:
            cell.points.append((name, own, review, (sheets or {}).get(phase), self.count))

    def grade_counts(self) -> dict:
        counts: dict[str, int] = {}
        for (_town, grade), cell in self.cells.items():
            counts[grade] = counts.get(grade, 0) + cell.count
        return counts

    def data(self) -> dict:
        for cell in self.cells.values():
            cell.gaps = sorted(cell.gaps)[:GAPS_SHOWN]
        quota = self.parsed.quota
        return {
            "count": self.count,
            "sections": self.sections or [],
            "bonus_max": str(self.bonus_max) if self.has_bonus else None,
            "penalties": self.has_penalties,
            "bonus_section": _only_section(self.parsed, "bonus") if self.has_bonus else None,
            "penalty_section": (
                _only_section(self.parsed, "penalty") if self.has_penalties else None
            ),
            "grades": self.parsed.grade_labels(),
            "subject": self.parsed.subject,
            "quota": None
            if quota is None
            else {
                "grade": quota.grade,
                "percent": str(quota.percent),
                "scope": quota.scope,
                "enforced": quota.enforced,
            },
            "points": "units" if self.keep_points else "towns",
            "cells": [cell.data() for cell in self.cells.values()],
        }


def towns(summary: dict, visible=None) -> list[str]:
    """The towns of the results, sorted; within ``visible`` (a set of names) when given."""
    names = {c["town"] for c in summary.get("cells", []) if c["town"]}
    if visible is not None:
        names &= visible
    return sorted(names)


@dataclass(frozen=True)
class SectionAverage:
    """One row of the section averages: the mean points of the results shown, and what
    share they are of the row's points."""

    title: str
    mean: Decimal  # penalties: the mean deduction (a positive number)
    top: Decimal | None  # the section's points, the bonus cap; None for penalties
    share: Decimal  # percent of ``top``; penalties: minus the percent of the full marks
    kind: str  # "section", "bonus" or "penalties"


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return round_points(part * HUNDRED / whole, 1) if whole else ZERO


def section_averages(summary: dict, chosen: list, count: int) -> list[SectionAverage]:
    """The rows of the section chart: each section with points (its mean subtotal over its
    points), the bonus (its mean over the bonus cap) and the penalties (the mean deduction,
    drawn below zero as a share of the full marks), in the rubric's order. A section that
    holds only bonus (penalty) items is the bonus (penalties) row under its own title."""
    if not count:
        return []
    sections = summary.get("sections", [])
    full = sum((_dec(top) for _t, top in sections), ZERO)
    bonus_row = penalty_row = None
    if summary.get("bonus_max") is not None:
        bonus = sum((_dec(c["bonus"]) for c in chosen), ZERO) / count
        cap = _dec(summary["bonus_max"])
        bonus_row = ("加分", round_points(bonus, 2), cap, _share(bonus, cap), "bonus")
    if summary.get("penalties"):
        penalties = sum((_dec(c["penalties"]) for c in chosen), ZERO) / count
        shown = round_points(penalties, 2)
        penalty_row = ("扣分", shown, None, -_share(penalties, full), "penalties")
    rows: list[SectionAverage] = []
    for i, (title, top) in enumerate(sections):
        top = _dec(top)
        if bonus_row is not None and i == summary.get("bonus_section"):
            rows.append(SectionAverage(title, *bonus_row[1:]))
            bonus_row = None
        elif penalty_row is not None and i == summary.get("penalty_section"):
            rows.append(SectionAverage(title, *penalty_row[1:]))
            penalty_row = None
        elif top:
            mean = sum((_dec(c["sections"][i]) for c in chosen), ZERO) / count
            rows.append(
                SectionAverage(title, round_points(mean, 2), top, _share(mean, top), "section")
            )
        # a section without points of its own and holding no bonus or penalty is left out
    rows += [SectionAverage(*row) for row in (bonus_row, penalty_row) if row is not None]
    return rows


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def quota_line(summary: dict, in_view: list, *, whole: bool, cycle_count: int) -> dict | None:
    """The quota on the top grade as the distribution draws it: {"grade", "label", "at",
    "note"} (``at`` None: no line, the note only). ``in_view``: the cells shown before the
    grade filter; ``whole``: they are the whole cycle, of ``cycle_count`` subjects. A
    cycle-wide quota over part of the cycle is drawn as a reference line."""
    quota = summary.get("quota")
    if not quota:
        return None
    grade, percent = quota["grade"], _dec(quota["percent"])
    noun = "名协理员" if summary.get("subject") == "coordinator" else "个单位"
    shown = f"{percent.normalize():f}"
    if quota["scope"] == "town":
        per_town: dict[str, int] = {}
        for c in in_view:
            per_town[c["town"]] = per_town.get(c["town"], 0) + c["count"]
        at = sum(_floor(percent * n / HUNDRED) for n in per_town.values())
        who = "协理员" if summary.get("subject") == "coordinator" else "单位"
        how = f"按镇（街道）计算：各镇（街道）{who}数的 {shown}%（向下取整）之和，共 {at} 个"
    else:
        n = cycle_count
        allowed = _floor(percent * n / HUNDRED)
        how = f"按全周期计算：{n} {noun}的 {shown}%，向下取整为 {allowed} 个"
        part = sum(c["count"] for c in in_view)
        if not whole and part != n:
            if part < REFERENCE_FROM:  # a line at a fraction of a unit says nothing
                return {"grade": grade, "label": "", "at": None, "note": f"{grade}名额{how}。"}
            at = round_points(percent * part / HUNDRED, 1)
            note = (
                f"{grade}名额{how}；此处只显示 {part} {noun}，"
                f"虚线按其 {shown}% 折算为 {at} 个，仅供参考。"
            )
            return {"grade": grade, "label": f"{shown}% 参考线 {at}", "at": at, "note": note}
        at = allowed
    label = f"{grade}名额 {at}" if quota["enforced"] else f"{grade}一般不超过 {at} 个"
    rule = "" if quota["enforced"] else "（只提示，不调整等次）"
    return {"grade": grade, "label": label, "at": at, "note": f"{grade}名额{how}{rule}。"}


def _points(summary: dict, chosen: list) -> tuple[list, str]:
    """(points, "unit", "town" or "gap"): {"name", "self", "review", "sheet", "town"} per
    subject in ranking order; where the summary kept sums only, one mean point per town
    (no sheet); from a summary stored before points were kept, the largest gaps only."""
    if summary.get("points") == "units":
        found = sorted(
            ((p, c["town"]) for c in chosen for p in c.get("points", [])), key=lambda x: x[0][4]
        )
        return [
            {"name": n, "self": _dec(s), "review": _dec(r), "sheet": sheet, "town": town}
            for (n, s, r, sheet, _o), town in found
        ], "unit"
    if summary.get("points") != "towns":
        gaps = sorted(
            ((-abs(_dec(s) - _dec(r)), order, name, _dec(s), _dec(r), c["town"]))
            for c in chosen
            for name, s, r, order in c["gaps"]
        )[:GAPS_SHOWN]
        return [
            {"name": name, "self": s, "review": r, "sheet": None, "town": town}
            for _g, _o, name, s, r, town in gaps
        ], "gap"
    sums: dict[str, list] = {}
    for c in chosen:
        own, review, n = c["self"]
        if n:
            acc = sums.setdefault(c["town"], [ZERO, ZERO, 0])
            acc[0] += _dec(own)
            acc[1] += _dec(review)
            acc[2] += n
    return [
        {
            "name": town,
            "self": round_points(s / n, 2),
            "review": round_points(r / n, 2),
            "sheet": None,
            "town": town,
        }
        for town, (s, r, n) in sorted(sums.items())
    ], "town"


def panels(
    summary: dict,
    *,
    towns=None,
    town: str = "",
    grade: str = "",
    whole: bool | None = None,
    cycle_count: int | None = None,
) -> dict:
    """The panels of the results within ``towns`` (a set of names; None: all), filtered by
    one town and one grade: {"count", "distribution", "before", "grade_order", "quota",
    "section_averages", "points", "points_by", "gaps", "grades", "subject"}; ``grades``
    are the grades within ``towns`` before the filters. ``whole``: the summary's cells
    are the whole cycle's (default: when no towns or town narrow them), of
    ``cycle_count`` subjects (default: the summary's count)."""
    if whole is None:
        whole = towns is None and not town
    if cycle_count is None:
        cycle_count = summary.get("count", 0)
    cells = [c for c in summary.get("cells", []) if towns is None or c["town"] in towns]
    by_grade: dict[str, int] = {}
    for c in cells:
        by_grade[c["grade"]] = by_grade.get(c["grade"], 0) + c["count"]
    grades = [g for g, _n in sorted(by_grade.items(), key=lambda kv: -kv[1])]
    in_view = [c for c in cells if not town or c["town"] == town]
    chosen = [c for c in in_view if not grade or c["grade"] == grade]
    count = sum(c["count"] for c in chosen)
    order = list(summary.get("grades") or [])
    order += [g for g in grades if g not in order]
    rank = {g: i for i, g in enumerate(order)}
    distribution: dict[str, int] = {}
    before: dict[str, int] = {}
    for c in chosen:
        distribution[c["grade"]] = distribution.get(c["grade"], 0) + c["count"]
        for g, n in c.get("before", {c["grade"]: c["count"]}).items():
            before[g] = before.get(g, 0) + n
    points, points_by = _points(summary, chosen)
    gaps = sorted(
        ((-abs(_dec(s) - _dec(r)), order, name, _dec(s), _dec(r)))
        for c in chosen
        for name, s, r, order in c["gaps"]
    )[:GAPS_SHOWN]
    return {
        "count": count,
        "distribution": sorted(distribution.items(), key=lambda kv: rank.get(kv[0], 99)),
        "before": (
            sorted(before.items(), key=lambda kv: rank.get(kv[0], 99))
            if before != distribution
            else []
        ),
        "grade_order": order,
        "quota": quota_line(summary, in_view, whole=whole, cycle_count=cycle_count),
        "section_averages": section_averages(summary, chosen, count),
        "points": points,
        "points_by": points_by,
        "gaps": [(name, s, r) for _g, _o, name, s, r in gaps],
        "grades": grades,
        "subject": summary.get("subject", "unit"),
    }


def summarise_rows(parsed, results, *, weights=None, sheets=None) -> dict:
    """The summary of some stored results (those of a user who sees only a few units);
    ``sheets``: {(unit id, coordinator id): {phase: sheet id}}."""
    from assessments.selectors import subject_name

    builder = SummaryBuilder(parsed, weights)
    for r in results:
        builder.add(r, subject_name(r), (sheets or {}).get((r.unit_id, r.coordinator_id)))
    return builder.data()
